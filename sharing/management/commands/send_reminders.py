"""Queue the expiry reminders due now, or as of another moment: what beat's hourly
`sharing.tasks.send_expiry_reminders` does, by hand (an operator catching up after an
outage, or a browser scenario living through a week in a second)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from sharing import reminders


class Command(BaseCommand):
    help = "Queue every expiry reminder due now (or --as-of an ISO 8601 moment)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            help="the moment to send as of, e.g. 2026-12-10T09:00:00+00:00",
        )

    def handle(self, *args, as_of=None, **options):
        now = None
        if as_of:
            try:
                now = datetime.datetime.fromisoformat(as_of)
            except ValueError:
                raise CommandError(
                    f"--as-of {as_of!r} is not an ISO 8601 moment"
                ) from None
            if now.tzinfo is None:
                raise CommandError("--as-of needs a time zone, e.g. +00:00 or Z")
        queued = reminders.send_due(now=now)
        noun = "reminder" if queued == 1 else "reminders"
        self.stdout.write(f"{queued} {noun} queued")

"""`manage.py clientmessages`: regenerate the client catalogs in locale/ (every
language of settings.LANGUAGES, `django` and `djangojs`) from what a client sees.

The catalogs hold the client's pages, emails, messages and script strings, which
are translated in full (sharing/tests/test_catalogs.py checks it). The photographer's
pages are marked for translation too but left out (`OWNER_SOURCES`) until they are
translated: drop a pattern here to bring its strings in.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

#: Never sources of strings: tools, data, the compiled catalogs, collected files.
NOT_SOURCES = [
    ".venv",
    "var",
    "staticfiles",
    "locale",
    "node_modules",
    "benchmarks",
    "cli",
    "contract",
    "deploy",
    "docs",
    "e2e",
    "faults",
    "loadtest",
    "samples",
    "twopools",
    "*/tests",
    "*/migrations",
    "conftest.py",
]

#: The photographer's side: marked, not yet in the catalogs.
OWNER_SOURCES = [
    "accounts",
    "config",
    "galleries",
    "templates/accounts",
    "templates/galleries",
    "templates/sharing/owner",
    "templates/rest_framework",
    "templates/drf_spectacular",
    "templates/base.html",
    "templates/home.html",
    "templates/_form.html",
    "templates/_field.html",
    "templates/400.html",
    "templates/403.html",
    "templates/403_csrf.html",
    "templates/sharing/email/digest.*",
    "templates/sharing/email/list_submitted.txt",
    "sharing/admin.py",
    "sharing/models.py",
    "sharing/checks.py",
    "sharing/digest.py",
    "sharing/forms.py",
    "sharing/activity.py",
    "sharing/management",
    "sharing/views/owner.py",
    "sharing/views/invitations.py",
    "sharing/api/owner.py",
    "sharing/api/invitations.py",
    "sharing/api/serializers/owner.py",
]

#: The client pages' one script.
SCRIPT_IGNORES = [
    "static/js/app.js",
    "static/js/share-links.js",
    "static/js/uploader.js",
]


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def ignore_patterns(domain: str) -> list[str]:
    patterns = NOT_SOURCES + OWNER_SOURCES
    if domain == "djangojs":
        patterns = patterns + SCRIPT_IGNORES
    # A folder's pattern also as "folder/*", which makemessages reads as the folder.
    return [p if "." in p.rpartition("/")[2] else f"{p}/*" for p in patterns]


class Command(BaseCommand):
    help = "Regenerate the client catalogs (locale/<lang>/LC_MESSAGES/*.po)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--symlinks",
            action="store_true",
            help="Follow symlinks to sources (for a copy of the tree made of links).",
        )

    def handle(self, *args, **options):
        for domain in ("django", "djangojs"):
            call_command(
                "makemessages",
                locale=languages(),
                domain=domain,
                ignore_patterns=ignore_patterns(domain),
                no_obsolete=True,
                no_location=False,
                add_location="file",
                symlinks=options["symlinks"],
                verbosity=options["verbosity"],
            )

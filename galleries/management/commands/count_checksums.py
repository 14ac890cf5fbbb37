"""Count the CRC-32s that resumable ZIPs need, for photos processed before they were
counted (processing counts them for every new photo).

Idempotent and resumable: each batch is saved as it is done, photos already counted
are skipped, so a run that was stopped simply goes on from where it was when run
again.
"""

from django.core.management.base import BaseCommand

from galleries import services
from galleries.models import Photo

FIELDS = ("id", "original", "size", "crc32", "renditions")


class Command(BaseCommand):
    help = "Count the CRC-32 of every original and web-size copy that has none yet."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--gallery", help="only this gallery's photos (its id)")
        parser.add_argument(
            "--batch-size", type=int, default=200, help="photos saved at a time"
        )

    def handle(self, *args, **options) -> None:
        photos = Photo.objects.lacking_checksums().order_by("pk").only(*FIELDS)
        if options["gallery"]:
            photos = photos.filter(gallery=options["gallery"])
        done = missing = 0
        last = None
        while True:
            page = photos if last is None else photos.filter(pk__gt=last)
            batch = list(page[: options["batch_size"]])
            if not batch:
                break
            last = batch[-1].pk
            for photo in services.photos_count_checksums(photos=batch):
                rendition = photo.renditions.get(Photo.WEB_RENDITION) or {}
                complete = (photo.crc32 is not None or not photo.original) and (
                    "crc32" in rendition or "name" not in rendition
                )
                done += complete
                missing += not complete
            self.stdout.write(f"{done} photo(s) counted so far")
        message = f"Counted checksums for {done} photo(s)."
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"{message} {missing} could not be counted: their files are "
                    "missing from storage (see the log, and reconcile_storage)."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(message))

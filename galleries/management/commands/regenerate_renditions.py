from django.core.management.base import BaseCommand, CommandError

from galleries import processing, services
from galleries.models import Photo


class Command(BaseCommand):
    help = "Make renditions again for a gallery, a photographer, or every photo."

    def add_arguments(self, parser) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--gallery", help="a gallery id")
        scope.add_argument("--user", help="a photographer's email")
        scope.add_argument("--all", action="store_true", help="every photo")
        parser.add_argument(
            "--failed-only",
            action="store_true",
            help="only photos whose processing failed",
        )
        parser.add_argument(
            "--now",
            action="store_true",
            help="process here instead of queueing for workers",
        )

    def handle(self, *args, **options) -> None:
        photos = Photo.objects.filter(
            status__in=[Photo.Status.READY, Photo.Status.FAILED]
        )
        if options["gallery"]:
            photos = photos.filter(gallery=options["gallery"])
        elif options["user"]:
            photos = photos.filter(gallery__owner__email__iexact=options["user"])
        if options["failed_only"]:
            photos = photos.filter(status=Photo.Status.FAILED)
        photos = list(photos.only("id", "status"))
        if not photos and not options["all"]:
            raise CommandError("No processed photos match.")
        for photo in photos:
            if options["now"]:
                processing.photo_process(photo_id=photo.pk, force=True)
            else:
                services.photo_retry(photo=photo)
        verb = "Regenerated" if options["now"] else "Queued"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} renditions for {len(photos)} photo(s).")
        )

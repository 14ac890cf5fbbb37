import datetime

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db.models import Q, Sum
from django.utils import timezone

from galleries import processing, services
from galleries.filestore import delete_files, walk
from galleries.models import Photo

STALE_UPLOAD = datetime.timedelta(hours=24)
KEEP_REJECTED = datetime.timedelta(days=7)


class Command(BaseCommand):
    help = (
        "Compare storage, photos and quotas: orphaned files, missing renditions, "
        "quota drift, abandoned uploads. Reports by default; --fix repairs."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fix", action="store_true", help="repair what is found")

    def handle(self, *args, fix: bool = False, **options) -> None:
        self.fix = fix
        problems = (
            self.abandoned_uploads()
            + self.old_rejections()
            + self.orphaned_files()
            + self.missing_renditions()
            + self.quota_drift()
        )
        verdict = "repaired" if fix else "found (run with --fix to repair)"
        style = self.style.SUCCESS if not problems or fix else self.style.WARNING
        self.stdout.write(style(f"{problems} problem(s) {verdict}."))

    def report(self, message: str) -> None:
        self.stdout.write(("fixed: " if self.fix else "") + message)

    def abandoned_uploads(self) -> int:
        stale = Photo.objects.filter(
            status=Photo.Status.UPLOADING, uploaded_at__lt=timezone.now() - STALE_UPLOAD
        ).select_related("gallery")
        count = 0
        for photo in stale:
            count += 1
            self.report(f"abandoned upload {photo.pk} ({photo.original_filename})")
            if self.fix:
                services.photos_delete(gallery=photo.gallery, photo_ids=[photo.pk])
        return count

    def old_rejections(self) -> int:
        old = Photo.objects.filter(
            status=Photo.Status.REJECTED, uploaded_at__lt=timezone.now() - KEEP_REJECTED
        )
        count = old.count()
        if count:
            self.report(f"{count} rejected upload record(s) older than a week")
            if self.fix:
                old.delete()
        return count

    def orphaned_files(self) -> int:
        known = set()
        for original, renditions in Photo.objects.values_list("original", "renditions"):
            known.add(original)
            known.update(r["name"] for r in renditions.values())
        orphans = [name for name in walk("photos") if name not in known]
        for name in orphans:
            self.report(f"orphaned file {name}")
        if self.fix:
            delete_files(orphans)
        return len(orphans)

    def missing_renditions(self) -> int:
        count = 0
        for photo in Photo.objects.ready().only(
            "id", "status", "original", "renditions"
        ):
            names = [photo.original.name] + [
                r["name"] for r in photo.renditions.values()
            ]
            missing = [name for name in names if not default_storage.exists(name)]
            if not missing:
                continue
            count += 1
            self.report(f"photo {photo.pk} is missing {', '.join(missing)}")
            if self.fix and photo.original.name not in missing:
                processing.photo_retry(photo=photo)
        return count

    def quota_drift(self) -> int:
        count = 0
        users = get_user_model().objects.annotate(
            stored=Sum(
                "galleries__photos__size",
                filter=~Q(galleries__photos__status=Photo.Status.REJECTED),
                default=0,
            )
        )
        for user in users:
            if user.storage_used != user.stored:
                count += 1
                self.report(
                    f"{user.email}: quota says {user.storage_used} bytes used, photos hold {user.stored}"
                )
                if self.fix:
                    type(user).objects.filter(pk=user.pk).update(
                        storage_used=user.stored
                    )
        return count

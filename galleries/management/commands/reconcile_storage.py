import datetime

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db.models import Q, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from galleries import filestore, processing, services, uploads
from galleries.filestore import delete_files, walk
from galleries.models import Photo

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
        self.now = timezone.now()
        problems = (
            self.stuck_photos()
            + self.abandoned_uploads()
            + self.reserved_without_object()
            + self.unfinished_multipart()
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

    def stuck_photos(self) -> int:
        """Processing past the lease: never queued, lost, or their worker died."""
        count = 0
        for photo in Photo.objects.stuck(self.now).only(
            "id", "original_filename", "attempts"
        ):
            count += 1
            self.report(
                f"photo {photo.pk} ({photo.original_filename}) stuck in processing "
                f"after {photo.attempts} attempt(s)"
            )
            if self.fix and not processing.photo_requeue_stuck(
                photo_id=photo.pk, now=self.now
            ):
                processing.photo_give_up_stuck(photo_id=photo.pk, now=self.now)
        return count

    def abandoned_uploads(self) -> int:
        count = 0
        for photo in Photo.objects.abandoned_uploads(self.now).select_related(
            "gallery"
        ):
            count += 1
            self.report(
                f"abandoned upload {photo.pk} ({photo.original_filename}) holding "
                f"{filesizeformat(photo.size)} of quota"
            )
            if self.fix:
                uploads.upload_abandon(photo=photo, now=self.now)
        return count

    def reserved_without_object(self) -> int:
        """Processing or failed photos counted in the quota whose original is gone:
        nothing can become of them."""
        count = 0
        for photo in Photo.objects.filter(
            status__in=[Photo.Status.PROCESSING, Photo.Status.FAILED]
        ).select_related("gallery"):
            if photo.original and filestore.stored_size(photo.original.name):
                continue
            count += 1
            self.report(
                f"photo {photo.pk} ({photo.original_filename}) reserves "
                f"{filesizeformat(photo.size)} of quota for a file that is not stored"
            )
            if self.fix:
                services.photos_delete(gallery=photo.gallery, photo_ids=[photo.pk])
        return count

    def unfinished_multipart(self) -> int:
        """Multipart uploads the bucket keeps parts of, that no live upload owns."""
        live = set(
            Photo.objects.filter(status=Photo.Status.UPLOADING)
            .exclude(upload_id="")
            .values_list("original", "upload_id")
        )
        count = 0
        for key, upload_id, started in filestore.multipart_uploads("photos/"):
            if (key, upload_id) in live:
                continue
            count += 1
            self.report(f"unfinished multipart upload of {key} (begun {started})")
            if self.fix:
                filestore.multipart_abort(key, upload_id)
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
        rows = Photo.objects.values_list("original", "renditions", "watermarked")
        for original, renditions, watermarked in rows:
            known.add(original)
            known.update(r["name"] for r in renditions.values())
            # The studio watermark's copies (galleries/watermarks.py), wm-<version>/.
            known.update(r["name"] for r in (watermarked or {}).values())
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
                services.photo_retry(photo=photo)
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

"""The operator's tools: regenerating renditions and reconciling storage."""

import zlib
from io import StringIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from galleries.models import Photo
from galleries.tests.conftest import PHOTOS


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_reconcile_reports_nothing_on_a_healthy_site(gallery, upload_file):
    upload_file(gallery, PHOTOS / "orientation" / "landscape_1.jpg")

    assert "0 problem(s)" in _run("reconcile_storage")


def test_reconcile_finds_and_fixes_orphans_drift_and_missing_renditions(
    gallery, owner, upload_file, django_capture_on_commit_callbacks
):
    photo = upload_file(gallery, PHOTOS / "orientation" / "landscape_1.jpg")
    photo.refresh_from_db()
    default_storage.save("photos/lost/file.jpg", ContentFile(b"nobody owns me"))
    default_storage.delete(photo.renditions["grid.jpeg"]["name"])
    type(owner).objects.filter(pk=owner.pk).update(storage_used=12345)

    report = _run("reconcile_storage")
    assert "orphaned file photos/lost/file.jpg" in report
    assert f"photo {photo.pk} is missing" in report
    assert "quota says 12345 bytes used" in report
    assert "3 problem(s) found" in report

    with django_capture_on_commit_callbacks(execute=True):
        _run("reconcile_storage", "--fix")

    owner.refresh_from_db()
    assert owner.storage_used == photo.size
    assert not default_storage.exists("photos/lost/file.jpg")
    photo.refresh_from_db()
    assert default_storage.exists(photo.renditions["grid.jpeg"]["name"])
    assert "0 problem(s)" in _run("reconcile_storage")


def test_regenerate_renditions_for_a_gallery(gallery, upload_file):
    photo = upload_file(gallery, PHOTOS / "orientation" / "portrait_1.jpg")
    photo.refresh_from_db()
    default_storage.delete(photo.renditions["preview.jpeg"]["name"])

    assert "Regenerated renditions for 1 photo(s)" in _run(
        "regenerate_renditions", "--gallery", str(gallery.pk), "--now"
    )

    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY
    assert default_storage.exists(photo.renditions["preview.jpeg"]["name"])


# --- Checksums for resumable ZIPs -------------------------------------------------------


def _forget_checksums(photo: Photo) -> None:
    """The photo as it was before checksums were counted at processing."""
    Photo.objects.filter(pk=photo.pk).update(
        crc32=None,
        renditions={
            key: {k: v for k, v in value.items() if k != "crc32"}
            for key, value in photo.renditions.items()
        },
    )


def _file_crc(name: str) -> int:
    with default_storage.open(name, "rb") as handle:
        return zlib.crc32(handle.read())


def test_processing_counts_the_checksums_a_zip_needs(gallery, upload_file):
    path = PHOTOS / "orientation" / "landscape_1.jpg"

    photo = upload_file(gallery, path)

    photo.refresh_from_db()
    preview = photo.renditions[Photo.WEB_RENDITION]
    assert photo.crc32 == zlib.crc32(path.read_bytes())
    assert preview["crc32"] == _file_crc(preview["name"])


def test_count_checksums_fills_in_photos_processed_before_and_runs_again_safely(
    gallery, upload_file, django_assert_max_num_queries
):
    photos = [
        upload_file(gallery, PHOTOS / "orientation" / name)
        for name in ("landscape_1.jpg", "portrait_1.jpg", "landscape_2.jpg")
    ]
    for photo in photos:
        photo.refresh_from_db()
        _forget_checksums(photo)

    report = _run("count_checksums", "--batch-size", "2")

    assert "Counted checksums for 3 photo(s)." in report
    assert not Photo.objects.lacking_checksums().exists()
    for photo in photos:
        photo.refresh_from_db()
        assert photo.crc32 == _file_crc(photo.original.name)
        preview = photo.renditions[Photo.WEB_RENDITION]
        assert preview["crc32"] == _file_crc(preview["name"])
    with django_assert_max_num_queries(1):
        assert "Counted checksums for 0 photo(s)." in _run("count_checksums")


def test_count_checksums_goes_on_past_a_missing_file_and_says_so(gallery, upload_file):
    lost, kept = (
        upload_file(gallery, PHOTOS / "orientation" / name)
        for name in ("landscape_1.jpg", "portrait_1.jpg")
    )
    for photo in (lost, kept):
        photo.refresh_from_db()
        _forget_checksums(photo)
    default_storage.delete(lost.original.name)

    report = _run("count_checksums")

    assert "Counted checksums for 1 photo(s)." in report
    assert "1 could not be counted" in report
    kept.refresh_from_db()
    lost.refresh_from_db()
    assert kept.crc32 is not None
    assert lost.crc32 is None
    assert "crc32" in lost.renditions[Photo.WEB_RENDITION]  # its preview is there

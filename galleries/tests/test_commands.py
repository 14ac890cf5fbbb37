"""The operator's tools: regenerating renditions and reconciling storage."""

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

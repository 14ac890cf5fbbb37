import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from galleries.models import GallerySet
from galleries.tests.factories import GalleryFactory, ReadyPhotoFactory
from sharing import services
from sharing.models import ShareLink
from sharing.tests.downloading import SAMPLES, give_files
from sharing.tests.factories import FavouriteListFactory, ShareLinkFactory

LINK_PASSWORD = "open sesame"


@pytest.fixture
def gallery(owner):
    """A shared wedding: "Ceremony" with three photos and "Reception" with two."""
    gallery = GalleryFactory(
        owner=owner, title="Anna & Ben", sets=["Ceremony", "Reception"]
    )
    ceremony, reception = gallery.sets.all()
    for _ in range(3):
        ReadyPhotoFactory(gallery=gallery, photo_set=ceremony)
    for _ in range(2):
        ReadyPhotoFactory(gallery=gallery, photo_set=reception)
    return gallery


@pytest.fixture
def ceremony(gallery) -> GallerySet:
    return gallery.sets.get(name="Ceremony")


@pytest.fixture
def reception(gallery) -> GallerySet:
    return gallery.sets.get(name="Reception")


@pytest.fixture
def link(gallery):
    """An open link: no password, every set, web-size downloads, favourites on."""
    return ShareLinkFactory(gallery=gallery, label="Couple")


@pytest.fixture
def locked_link(gallery):
    return ShareLinkFactory(gallery=gallery, label="Guests", secret=LINK_PASSWORD)


@pytest.fixture
def other_gallery(stranger):
    gallery = GalleryFactory(owner=stranger, title="Someone else's")
    ReadyPhotoFactory(gallery=gallery)
    return gallery


@pytest.fixture
def files(gallery) -> dict[str, tuple[bytes, bytes]]:
    """Every photo of the shared gallery with real files: {filename: (original, web)}."""
    stored = {}
    for photo, sample in zip(gallery.photos.all(), SAMPLES, strict=False):
        original = sample.read_bytes()
        preview = b"web-size " + original[: len(original) // 3]
        give_files(photo, original, preview)
        stored[photo.original_filename] = (original, preview)
    return stored


@pytest.fixture
def originals_link(gallery):
    return ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.ORIGINAL)


@pytest.fixture
def app() -> APIClient:
    """A phone app: no cookies kept between calls unless a test says so."""
    return APIClient()


@pytest.fixture
def anna(link):
    """Anna's sent list on the couple's link: two photos, one with a note."""
    favourite_list = FavouriteListFactory(link=link, name="Anna", email="anna@x.test")
    first, second = link.visible_photos()[:2]
    services.favourite_add(
        favourite_list=favourite_list, photo=first, note="Print this one big"
    )
    services.favourite_add(favourite_list=favourite_list, photo=second)
    favourite_list.submitted_at = timezone.now()
    favourite_list.save(update_fields=["submitted_at"])
    return favourite_list

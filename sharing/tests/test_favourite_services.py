"""The rules behind the hearts and the start form, called as the pages call them."""

from sharing import services
from sharing.tests.factories import FavouriteListFactory


def test_a_heart_submitted_twice_keeps_the_photo_hearted(link, gallery):
    favourite_list = FavouriteListFactory(link=link)
    photo = gallery.photos.first()

    for _ in range(2):
        hearted, error = services.favourite_toggle(
            favourite_list=favourite_list, photo=photo, hearted=True
        )

    assert (hearted, error) == (True, "")
    assert list(favourite_list.items.values_list("photo", flat=True)) == [photo.pk]


def test_a_heart_without_saying_which_flips_it(link, gallery):
    favourite_list = FavouriteListFactory(link=link)
    photo = gallery.photos.first()

    first = services.favourite_toggle(favourite_list=favourite_list, photo=photo)
    second = services.favourite_toggle(favourite_list=favourite_list, photo=photo)

    assert (first, second) == ((True, ""), (False, ""))
    assert not favourite_list.items.exists()


def test_a_heart_past_the_limit_is_refused_and_the_photo_stays_unhearted(link, gallery):
    link.favourites_limit = 1
    link.save()
    favourite_list = FavouriteListFactory(link=link)
    first, second = gallery.photos.all()[:2]
    services.favourite_toggle(favourite_list=favourite_list, photo=first, hearted=True)

    hearted, error = services.favourite_toggle(
        favourite_list=favourite_list, photo=second, hearted=True
    )

    assert hearted is False
    assert "up to 1" in error
    assert favourite_list.items.count() == 1


def test_starting_a_list_from_a_heart_hearts_that_photo(link, gallery):
    photo = gallery.photos.first()

    favourite_list, error = services.list_start_from_heart(
        link=link, name="Ana", photo_id=str(photo.pk)
    )

    assert error == ""
    assert list(favourite_list.items.values_list("photo", flat=True)) == [photo.pk]


def test_a_photo_hidden_before_its_list_started_does_not_stop_the_list(
    link, other_gallery
):
    elsewhere = other_gallery.photos.first()

    favourite_list, error = services.list_start_from_heart(
        link=link, name="Ana", photo_id=str(elsewhere.pk)
    )

    assert favourite_list.name == "Ana"
    assert error == "That photo could not be added. Try its heart again."
    assert not favourite_list.items.exists()

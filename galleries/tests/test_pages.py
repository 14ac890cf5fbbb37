"""The photographer's gallery pages."""

from django.urls import reverse

from galleries.imaging import DEFAULT_SPECS
from galleries.models import Gallery, Photo
from galleries.tests.factories import GalleryFactory, ReadyPhotoFactory


def test_the_dashboard_lists_only_my_galleries_with_counts(
    owner_client, owner, stranger
):
    mine = GalleryFactory(owner=owner, title="Anna & Ben")
    ReadyPhotoFactory.create_batch(3, gallery=mine)
    GalleryFactory(owner=stranger, title="Someone else's wedding")

    response = owner_client.get(reverse("galleries:dashboard"))

    assert response.status_code == 200
    assert list(response.context["galleries"]) == [mine]
    assert response.context["galleries"][0].photo_count == 3
    assert b"Someone else" not in response.content


def test_the_dashboard_searches_titles(owner_client, owner):
    GalleryFactory(owner=owner, title="Anna & Ben")
    GalleryFactory(owner=owner, title="Corporate headshots")

    response = owner_client.get(reverse("galleries:dashboard"), {"q": "corporate"})

    assert [g.title for g in response.context["galleries"]] == ["Corporate headshots"]


def test_the_dashboard_sorts_by_title(owner_client, owner):
    for title in ["Beta", "Alpha", "Gamma"]:
        GalleryFactory(owner=owner, title=title)

    response = owner_client.get(reverse("galleries:dashboard"), {"sort": "title"})

    assert [g.title for g in response.context["galleries"]] == [
        "Alpha",
        "Beta",
        "Gamma",
    ]


def test_the_dashboard_query_count_does_not_grow_with_galleries(
    owner_client, owner, django_assert_max_num_queries
):
    for _ in range(30):
        ReadyPhotoFactory.create_batch(2, gallery=GalleryFactory(owner=owner))

    with django_assert_max_num_queries(6):
        response = owner_client.get(reverse("galleries:dashboard"))

    assert len(response.context["galleries"]) == 30


def test_creating_a_gallery_gives_it_one_set(owner_client, owner):
    response = owner_client.post(
        reverse("galleries:create"),
        {"title": "Anna & Ben", "event_date": "2026-06-20", "description": ""},
    )

    gallery = Gallery.objects.get(owner=owner)
    assert response["Location"] == reverse("galleries:detail", args=[gallery.pk])
    assert [s.name for s in gallery.sets.all()] == ["Highlights"]


def test_a_gallery_needs_a_title(owner_client, owner):
    response = owner_client.post(reverse("galleries:create"), {"title": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert not Gallery.objects.exists()


def test_editing_a_gallery_saves_it(owner_client, gallery):
    owner_client.post(
        reverse("galleries:edit", args=[gallery.pk]),
        {"title": "Anna & Ben, Lake Como", "event_date": "", "description": "Welcome!"},
    )

    gallery.refresh_from_db()
    assert (gallery.title, gallery.description) == ("Anna & Ben, Lake Como", "Welcome!")


def test_the_gallery_page_shows_ready_photos_lazily_and_hides_rejected_ones(
    owner_client, gallery
):
    ReadyPhotoFactory(gallery=gallery, original_filename="IMG_0001.jpg")
    ReadyPhotoFactory(
        gallery=gallery, original_filename="notes.txt", status=Photo.Status.REJECTED
    )

    response = owner_client.get(reverse("galleries:detail", args=[gallery.pk]))

    html = response.content.decode()
    assert "IMG_0001.jpg" in html
    assert "notes.txt" not in html
    assert 'loading="lazy"' in html
    grid_formats = next(s.formats for s in DEFAULT_SPECS if s.name == "grid")
    # The modern formats as <source>s, the last (JPEG) as the <img> all browsers show.
    assert html.count("<source type=") == len(grid_formats) - 1
    assert grid_formats[-1] == "jpeg"


def test_the_gallery_page_with_1000_photos_uses_a_fixed_number_of_queries(
    owner_client, gallery, django_assert_max_num_queries
):
    photo_set = gallery.sets.get()
    template = ReadyPhotoFactory.build(gallery=gallery, photo_set=photo_set)
    Photo.objects.bulk_create(
        [
            Photo(
                gallery=gallery,
                photo_set=photo_set,
                original_filename=f"IMG_{n:04d}.jpg",
                original=f"photos/x/{n}.jpg",
                size=1000,
                status=Photo.Status.READY,
                width=3000,
                height=2000,
                position=n,
                renditions=template.renditions,
            )
            for n in range(1000)
        ]
    )

    with django_assert_max_num_queries(8):
        response = owner_client.get(reverse("galleries:detail", args=[gallery.pk]))

    assert response.content.count(b'class="owner-tile owner-tile--ready"') == 1000


def test_a_single_set_shows_no_set_navigation_but_two_do(owner_client, owner):
    one = GalleryFactory(owner=owner)
    two = GalleryFactory(owner=owner, sets=["Ceremony", "Reception"])

    assert (
        b'aria-label="Sets"'
        not in owner_client.get(reverse("galleries:detail", args=[one.pk])).content
    )
    page = owner_client.get(reverse("galleries:detail", args=[two.pk])).content
    assert b'aria-label="Sets"' in page
    assert b"Reception" in page


def test_sets_can_be_added_renamed_and_reordered(owner_client, gallery):
    owner_client.post(
        reverse("galleries:set_create", args=[gallery.pk]), {"name": "Reception"}
    )
    reception = gallery.sets.get(name="Reception")
    owner_client.post(
        reverse("galleries:set_rename", args=[gallery.pk, reception.pk]),
        {"name": "Party"},
    )
    owner_client.post(
        reverse("galleries:set_move", args=[gallery.pk, reception.pk]),
        {"direction": "up"},
    )

    assert [s.name for s in gallery.sets.all()] == ["Party", "Highlights"]


def test_photos_can_move_between_sets(owner_client, owner):
    gallery = GalleryFactory(owner=owner, sets=["Ceremony", "Reception"])
    ceremony, reception = gallery.sets.order_by("position")
    photo = ReadyPhotoFactory(gallery=gallery, photo_set=ceremony)

    owner_client.post(
        reverse("galleries:photos_action", args=[gallery.pk]),
        {"action": "move", "photo": [photo.pk], "set": reception.pk},
    )

    photo.refresh_from_db()
    assert photo.photo_set == reception


def test_a_photo_can_become_the_cover(owner_client, gallery):
    photo = ReadyPhotoFactory(gallery=gallery)

    owner_client.post(
        reverse("galleries:photos_action", args=[gallery.pk]),
        {"action": "cover", "photo": [photo.pk]},
    )

    gallery.refresh_from_db()
    assert gallery.cover == photo


def test_photos_sort_by_filename(owner_client, gallery):
    for name in ["C.jpg", "a.jpg", "B.jpg"]:
        ReadyPhotoFactory(gallery=gallery, original_filename=name)

    owner_client.post(
        reverse("galleries:photos_sort", args=[gallery.pk]), {"key": "filename"}
    )

    assert [p.original_filename for p in gallery.photos.order_by("position")] == [
        "a.jpg",
        "B.jpg",
        "C.jpg",
    ]


def test_bulk_actions_ignore_photos_of_other_galleries(owner_client, gallery, stranger):
    theirs = ReadyPhotoFactory(gallery=GalleryFactory(owner=stranger))

    owner_client.post(
        reverse("galleries:photos_action", args=[gallery.pk]),
        {"action": "delete", "photo": [theirs.pk]},
    )

    assert Photo.objects.filter(pk=theirs.pk).exists()


def test_the_next_url_cannot_send_the_photographer_to_another_site(
    owner_client, gallery
):
    photo = ReadyPhotoFactory(gallery=gallery)

    response = owner_client.post(
        reverse("galleries:photos_action", args=[gallery.pk]),
        {"action": "cover", "photo": [photo.pk], "next": "https://evil.test/"},
    )

    assert response["Location"] == reverse("galleries:detail", args=[gallery.pk])

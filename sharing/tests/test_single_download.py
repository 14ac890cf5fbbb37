"""One photo through a share link: the original or its web-size copy, resumable."""

from galleries.models import Photo
from galleries.tests.factories import ReadyPhotoFactory
from sharing.models import ShareLink
from sharing.tests.downloading import counted, download_url, give_files
from sharing.tests.factories import ShareLinkFactory


def _follow(client, response):
    """Fetch the signed URL a download redirected to, as the browser would."""
    assert response.status_code == 302, response.content
    return client.get(response["Location"])


def test_an_original_downloads_with_its_own_name_and_exact_bytes(
    client, originals_link, files
):
    photo = originals_link.visible_photos().first()

    served = _follow(
        client, client.get(download_url(originals_link, photo, "original"))
    )

    assert served.status_code == 200
    assert b"".join(served.streaming_content) == files[photo.original_filename][0]
    assert served["Content-Disposition"] == (
        f'attachment; filename="{photo.original_filename}"'
    )


def test_a_cut_photo_download_resumes_with_range_where_it_stopped(
    client, originals_link, files
):
    photo = originals_link.visible_photos().first()
    original = files[photo.original_filename][0]
    location = client.get(download_url(originals_link, photo, "original"))["Location"]
    whole = client.get(location)
    half = len(original) // 2

    resumed = client.get(
        location, headers={"Range": f"bytes={half}-", "If-Range": whole["ETag"]}
    )
    stale = client.get(
        location, headers={"Range": f"bytes={half}-", "If-Range": '"old"'}
    )

    assert whole["Accept-Ranges"] == "bytes"
    assert resumed.status_code == 206
    assert (
        resumed["Content-Range"] == f"bytes {half}-{len(original) - 1}/{len(original)}"
    )
    assert original[:half] + b"".join(resumed.streaming_content) == original
    assert resumed["Content-Disposition"] == whole["Content-Disposition"]
    assert stale.status_code == 200
    assert b"".join(stale.streaming_content) == original


def test_a_web_size_download_is_the_preview_named_after_the_original(
    client, link, gallery, ceremony
):
    photo = ReadyPhotoFactory(
        gallery=gallery, photo_set=ceremony, original_filename="IMG_0042.HEIC"
    )
    give_files(photo, b"heic bytes", b"jpeg preview bytes")

    served = _follow(client, client.get(download_url(link, photo, "web")))

    assert b"".join(served.streaming_content) == b"jpeg preview bytes"
    assert served["Content-Disposition"] == 'attachment; filename="IMG_0042.jpg"'


def test_without_a_size_the_best_allowed_one_downloads(
    client, link, originals_link, files
):
    photo = link.visible_photos().first()
    original, web = files[photo.original_filename]

    from_web_link = _follow(client, client.get(download_url(link, photo)))
    from_originals_link = _follow(
        client, client.get(download_url(originals_link, photo))
    )

    assert b"".join(from_web_link.streaming_content) == web
    assert b"".join(from_originals_link.streaming_content) == original


def test_a_web_size_link_refuses_originals(client, link, files):
    photo = link.visible_photos().first()

    response = client.get(download_url(link, photo, "original"))

    assert response.status_code == 403
    assert b"web-size downloads only" in response.content
    assert counted(link, "downloads") == 0


def test_an_unknown_size_is_a_clear_bad_request(client, originals_link, files):
    photo = originals_link.visible_photos().first()

    response = client.get(download_url(originals_link, photo, "huge"))

    assert response.status_code == 400
    assert b'"web" or "original"' in response.content


def test_every_photo_download_is_counted(client, originals_link, files):
    photos = list(originals_link.visible_photos()[:2])

    for photo in photos:
        client.get(download_url(originals_link, photo, "original"))
    client.get(download_url(originals_link, photos[0], "web"))

    assert counted(originals_link, "downloads") == 3
    assert counted(originals_link, "zip_downloads") == 0


def test_a_photo_of_another_gallery_a_hidden_set_or_still_processing_is_refused(
    client, gallery, ceremony, reception, other_gallery, files
):
    link = ShareLinkFactory(gallery=gallery, downloads=ShareLink.Downloads.ORIGINAL)
    link.sets.set([ceremony])
    processing = ReadyPhotoFactory(
        gallery=gallery, photo_set=ceremony, status=Photo.Status.PROCESSING
    )

    for photo in (
        other_gallery.photos.first(),
        reception.photos.first(),
        processing,
    ):
        response = client.get(download_url(link, photo, "original"))
        assert response.status_code == 404
    assert counted(link, "downloads") == 0

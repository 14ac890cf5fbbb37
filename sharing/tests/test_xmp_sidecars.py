"""A client's picks as XMP sidecars, read back by exiftool as Lightroom would read them."""

import io
import json
import subprocess
import zipfile

import pytest
from django.urls import reverse

from galleries.tests.factories import ReadyPhotoFactory
from sharing import services, xmp
from sharing.tests.factories import FavouriteListFactory


def exiftool(folder) -> dict:
    """What exiftool reads from each sidecar in `folder`, by file name. exiftool is
    installed by bin/test: a missing one fails here, it never skips."""
    result = subprocess.run(
        ["exiftool", "-json", "-XMP:All", "-ext", "xmp", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    return {
        entry["SourceFile"].rsplit("/", 1)[1]: entry
        for entry in json.loads(result.stdout)
    }


def unzip(content: bytes, folder) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(folder)
        return archive.namelist()


@pytest.fixture
def picks(link, ceremony, reception):
    """Anna's list: two picks with notes (one with markup and quotes), one without,
    and two photos of the same name in different sets."""
    favourite_list = FavouriteListFactory(link=link, name="Anna")
    chosen = [
        (ceremony, "IMG_0001.jpg", 'Print this <big> & "framed"'),
        (ceremony, "IMG_0007.JPG", ""),
        (reception, "IMG_0001.jpeg", "Ünïcödé too"),
    ]
    for photo_set, name, note in chosen:
        photo = ReadyPhotoFactory(
            gallery=link.gallery, photo_set=photo_set, original_filename=name
        )
        services.favourite_add(favourite_list=favourite_list, photo=photo)
        if note:
            favourite_list.items.filter(photo=photo).update(note=note)
    return favourite_list


def test_the_sidecars_carry_the_rating_and_the_notes_exiftool_reads_back(
    owner_client, picks, tmp_path
):
    response = owner_client.get(
        reverse("sharing:list_xmp", args=[picks.pk]), {"mapping": "rating-4"}
    )

    assert response["Content-Type"] == "application/zip"
    assert "xmp.zip" in response["Content-Disposition"]
    names = unzip(response.content, tmp_path)
    assert names == ["IMG_0001.xmp", "IMG_0007.xmp", "IMG_0001 (2).xmp"]
    read = exiftool(tmp_path)
    assert read["IMG_0001.xmp"]["Rating"] == 4
    assert read["IMG_0001.xmp"]["Description"] == 'Print this <big> & "framed"'
    assert read["IMG_0007.xmp"]["Rating"] == 4
    assert "Description" not in read["IMG_0007.xmp"]
    assert read["IMG_0001 (2).xmp"]["Description"] == "Ünïcödé too"


def test_a_pick_can_become_a_colour_label_or_the_keeper_flag(
    owner_client, picks, tmp_path
):
    for mapping, field, value in [
        ("label-green", "Label", "Green"),
        ("pick", "Good", True),
    ]:
        folder = tmp_path / mapping
        response = owner_client.get(
            reverse("sharing:list_xmp", args=[picks.pk]), {"mapping": mapping}
        )
        unzip(response.content, folder)

        read = exiftool(folder)
        assert {entry[field] for entry in read.values()} == {value}
        assert all("Rating" not in entry for entry in read.values())


def test_the_default_is_five_stars(owner_client, picks, tmp_path):
    response = owner_client.get(reverse("sharing:list_xmp", args=[picks.pk]))

    unzip(response.content, tmp_path)
    assert {entry["Rating"] for entry in exiftool(tmp_path).values()} == {5}


def test_an_unknown_mapping_is_refused_with_the_choices(owner_client, picks):
    response = owner_client.get(
        reverse("sharing:list_xmp", args=[picks.pk]), {"mapping": "stars-9"}
    )

    assert response.status_code == 400
    assert "rating-5" in response.content.decode()


def test_the_list_page_offers_the_sidecars_with_every_mapping(owner_client, picks):
    response = owner_client.get(reverse("sharing:list_detail", args=[picks.pk]))

    html = response.content.decode()
    assert reverse("sharing:list_xmp", args=[picks.pk]) in html
    for mapping in xmp.MAPPINGS:
        assert f'value="{mapping}"' in html


def test_the_api_gives_the_same_sidecars(owner_api, picks, tmp_path):
    response = owner_api.get(
        reverse("api:favourite-list-xmp", args=[picks.pk]), {"mapping": "label-red"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    unzip(response.content, tmp_path)
    assert {entry["Label"] for entry in exiftool(tmp_path).values()} == {"Red"}


def test_the_api_refuses_an_unknown_mapping_in_its_error_shape(owner_api, picks):
    response = owner_api.get(
        reverse("api:favourite-list-xmp", args=[picks.pk]), {"mapping": "nope"}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "mapping"

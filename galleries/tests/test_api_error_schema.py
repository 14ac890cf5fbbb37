"""The API's documented error shapes, as the galleries endpoints answer them."""

from config.tests.openapi import assert_documented
from galleries.tests.factories import GalleryFactory


def test_the_schema_names_list_items_errors_as_responses_do(owner_api, owner):
    # Found by bin/contract: a bad id in a list answers "ids.0"; the schema said
    # "ids.INDEX", which no response ever says.
    gallery = GalleryFactory(owner=owner)
    url = f"/api/v1/galleries/{gallery.pk}/photos/delete/"

    response = owner_api.post(url, {"ids": ["nope"]}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "ids.0"
    assert_documented(response)

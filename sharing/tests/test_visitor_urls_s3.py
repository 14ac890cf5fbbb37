"""The visitor's gallery page with photos in a real bucket (radosgw, bin/services):
the signed picture URLs a page hands out are reused, not signed again per visit."""

import re

import pytest
from django.urls import reverse

from galleries import signed_urls
from galleries.tests.factories import ReadyPhotoFactory
from galleries.tests.test_s3 import (
    _count_signatures,
    s3_storage,  # noqa: F401  (autouse: the bucket)
)
from sharing.tests.factories import ShareLinkFactory

pytestmark = pytest.mark.services


def test_a_second_visit_to_a_public_gallery_signs_no_url(gallery, client, monkeypatch):
    ReadyPhotoFactory.create_batch(3, gallery=gallery)
    link = ShareLinkFactory(gallery=gallery)
    page = reverse("sharing:gallery", args=[link.token])
    first = client.get(page)
    signatures = _count_signatures(monkeypatch)
    signed_urls._s3_urls.clear()  # another web process, the shared cache warm

    second = client.get(page)

    assert signatures == []
    assert second.status_code == 200
    urls = set(re.findall(rb"https?://[^\s\"',]+X-Amz-Signature=\w+", second.content))
    assert len(urls) >= 3 * 4
    assert urls == set(
        re.findall(rb"https?://[^\s\"',]+X-Amz-Signature=\w+", first.content)
    )

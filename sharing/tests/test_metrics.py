"""What /metrics tells an operator about visitors' downloads."""

import pytest

from config.tests.scraping import metrics_on, scrape, value  # noqa: F401 (fixture)
from sharing.tests.downloading import streamed, zip_url

ZIP_BYTES = "proofsheet_zip_bytes_streamed_total"


pytestmark = pytest.mark.usefixtures("metrics_on")


def test_zip_bytes_streamed_count_every_byte_a_visitor_downloads(
    client, originals_link, files
):
    before = value(scrape(client), ZIP_BYTES)

    body = streamed(client.get(zip_url(originals_link)))

    samples = scrape(client)
    assert value(samples, ZIP_BYTES) == before + len(body)
    # The download counts under its route name; the link's token is in no label.
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    assert value(samples, latency, view="sharing:zip", method="GET") >= 1
    assert not any(originals_link.token in str(labels) for _, labels in samples), (
        "a share token in a label"
    )

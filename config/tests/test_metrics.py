import subprocess
import sys

import pytest
from django.core.cache import cache
from django.urls import reverse
from kombu import Connection

from config.tests.scraping import TOKEN, scrape, value


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN


def test_metrics_do_not_exist_until_a_token_is_configured(client, settings):
    settings.METRICS_TOKEN = ""

    response = client.get("/metrics", headers={"Authorization": "Bearer "})

    assert response.status_code == 404


def test_anyone_without_the_token_is_refused_the_metrics(
    metrics_on, client, stranger_client
):
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer guessed"})
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"].startswith("Bearer")
    # A logged-in account is no operator either.
    assert stranger_client.get("/metrics").status_code == 401
    assert b"proofsheet" not in wrong.content


def test_a_request_counts_under_its_route_name_with_its_latency(metrics_on, client):
    before = scrape(client)

    client.get(reverse("healthz"))

    after = scrape(client)
    count = "django_http_responses_total_by_status_view_method_total"
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    labels = {"view": "healthz", "method": "GET"}
    assert value(after, count, status="200", **labels) == (
        value(before, count, status="200", **labels) + 1
    )
    assert value(after, latency, **labels) == value(before, latency, **labels) + 1


def test_the_task_queue_depth_counts_the_messages_waiting(
    metrics_on, client, settings, tmp_path
):
    folders = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = folders
    assert value(scrape(client), "proofsheet_task_queue_depth") == 0

    with Connection("filesystem://", transport_options=folders) as connection:
        queue = connection.SimpleQueue("celery")
        queue.put({"task": "one"})
        queue.put({"task": "two"})
        queue.close()

    assert value(scrape(client), "proofsheet_task_queue_depth") == 2


def test_cache_errors_are_counted_while_redis_is_unreachable(
    metrics_on, client, redis_down
):
    before = value(scrape(client), "proofsheet_cache_errors_total", operation="get")

    assert cache.get("anything", "missed") == "missed"

    after = value(scrape(client), "proofsheet_cache_errors_total", operation="get")
    assert after == before + 1


RECORD = (
    "import django; django.setup();"
    "from config.metrics import ZIP_BYTES; ZIP_BYTES.inc({})"
)


def test_metrics_sum_every_process_of_the_machine(
    metrics_on, client, settings, tmp_path
):
    # Two processes (gunicorn workers, say) each count in their own files...
    for amount in (5, 7):
        subprocess.run(
            [sys.executable, "-c", RECORD.format(amount)],
            check=True,
            env={
                "DJANGO_SETTINGS_MODULE": "config.test_settings",
                "METRICS_DIR": str(tmp_path),
            },
        )
    # ...and whichever process is scraped reports their sum.
    settings.METRICS_DIR = str(tmp_path)

    samples = scrape(client)

    assert value(samples, "proofsheet_zip_bytes_streamed_total") == 12
    assert list(tmp_path.iterdir()), "a folder per host name"

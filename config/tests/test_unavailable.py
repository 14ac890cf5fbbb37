"""PostgreSQL down: pages and the API say "back in a moment" (503 with Retry-After),
never "something went wrong" (500), and /healthz names the database.

The database really is unreachable: the site's connection is replaced by one to a
port where nothing listens (a file that cannot be opened, on SQLite)."""

import copy

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.urls import reverse

from config import unavailable
from conftest import closed_port


@pytest.fixture
def database_down():
    working = connections["default"]
    settings = copy.deepcopy(working.settings_dict)
    if working.vendor == "sqlite":
        settings["NAME"] = "/nonexistent-proofsheet-dir/db.sqlite3"
    else:
        settings["HOST"], settings["PORT"] = "127.0.0.1", closed_port()
        settings["OPTIONS"] = {**settings.get("OPTIONS", {}), "connect_timeout": 2}
    broken = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, "default")
    connections["default"] = broken
    yield
    broken.close()
    connections["default"] = working


def test_a_page_answers_503_with_retry_after_and_the_styled_page(
    owner_client, database_down
):
    owner_client.raise_request_exception = False

    response = owner_client.get(reverse("galleries:dashboard"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Back in a moment" in response.content
    assert b"app.css" in response.content


def test_the_api_answers_503_in_its_error_shape(owner_api, database_down):
    owner_api.raise_request_exception = False

    response = owner_api.get("/api/v1/galleries/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "type": "server_error",
        "errors": [
            {
                "code": "service_unavailable",
                "detail": "The service is temporarily unavailable. "
                "Please try again in a few moments.",
                "attr": None,
            }
        ],
    }


def test_a_failure_outside_any_view_answers_503_too(owner_client, database_down):
    # No view matches: the 404 page reads the signed-in user (its header), and the
    # database fails in Django's error handler, not in a view.
    owner_client.raise_request_exception = False

    response = owner_client.get("/no-such-page/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Back in a moment" in response.content


def test_healthz_names_the_database_with_503(client, database_down):
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["storage"]["ok"] is True


def _raised(call) -> BaseException:
    try:
        call()
    except Exception as error:  # noqa: BLE001 - whatever the client raises
        return error
    raise AssertionError("the call did not fail")


def test_a_storage_or_broker_that_refuses_connections_counts_as_down():
    import boto3
    from botocore.config import Config
    from kombu import Connection

    s3 = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{closed_port()}",
        region_name="us-east-1",
        aws_access_key_id="key",
        aws_secret_access_key="secret",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1),
    )
    storage_error = _raised(lambda: s3.head_bucket(Bucket="photos"))
    broker = Connection(f"redis://127.0.0.1:{closed_port()}/0")
    broker_error = _raised(
        lambda: broker.ensure_connection(max_retries=1, interval_start=0, timeout=1)
    )

    assert unavailable.down_service(storage_error) == "storage"
    assert unavailable.down_service(broker_error) == "broker"
    assert unavailable.down_service(ValueError("a bug")) is None

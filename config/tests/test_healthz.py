from django.urls import reverse

from config import health


def test_healthz_reports_every_dependency_ok(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "storage", "broker", "cache"}
    assert all(check["ok"] for check in body["checks"].values())


def broken():
    raise ConnectionError("connection refused")


def test_healthz_says_503_and_names_the_broken_dependency(client, db, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "storage", broken)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["storage"] == {
        "ok": False,
        "error": "ConnectionError: connection refused",
        "ms": response.json()["checks"]["storage"]["ms"],
    }


def test_healthz_says_degraded_with_200_while_only_the_broker_is_down(
    client, db, monkeypatch
):
    # Pages and the API still answer; new photos wait for the broker.
    monkeypatch.setitem(health.CHECKS, "broker", broken)

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"] == {
        "ok": False,
        "error": "ConnectionError: connection refused",
        "ms": response.json()["checks"]["broker"]["ms"],
    }


def test_healthz_leaves_nothing_behind_in_storage(client, db, settings):
    client.get(reverse("healthz"))

    healthz_dir = settings.MEDIA_ROOT / "healthz"
    assert not healthz_dir.exists() or list(healthz_dir.iterdir()) == []


def test_healthz_says_the_cache_is_degraded_but_keeps_serving(redis_down, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True

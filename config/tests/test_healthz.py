from django.urls import reverse

from config import health


def test_healthz_reports_every_dependency_ok(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "storage", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_says_503_and_names_the_broken_dependency(client, db, monkeypatch):
    def broken():
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health.CHECKS, "broker", broken)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {
        "ok": False,
        "error": "ConnectionError: connection refused",
        "ms": response.json()["checks"]["broker"]["ms"],
    }


def test_healthz_leaves_nothing_behind_in_storage(client, db, settings):
    client.get(reverse("healthz"))

    healthz_dir = settings.MEDIA_ROOT / "healthz"
    assert not healthz_dir.exists() or list(healthz_dir.iterdir()) == []

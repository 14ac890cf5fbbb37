import pytest
from django.urls import path, reverse


def test_the_home_page_invites_photographers_to_sign_up(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert reverse("accounts:signup").encode() in response.content


def test_a_missing_page_shows_the_styled_404(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"<h1" in response.content
    assert b"/static/css/app" in response.content


def _explode(request):
    raise RuntimeError("secret internals")


urlpatterns = [path("boom/", _explode)]


@pytest.mark.urls("config.tests.test_pages")
def test_a_crash_shows_the_styled_500_without_details(client, db):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert b"secret internals" not in response.content
    assert b"<h1" in response.content

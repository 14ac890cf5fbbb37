import pytest
from django.urls import reverse

from accounts.models import User

URL = reverse("accounts:signup")


def _post(client, **overrides):
    data = {
        "display_name": "Ada Lens",
        "studio_name": "Lens & Light",
        "email": "ada@lens.test",
        "password": "a-long-unusual-passphrase",
    } | overrides
    return client.post(URL, data)


def test_it_shows_the_signup_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert b'name="email"' in response.content


@pytest.mark.django_db
def test_it_creates_an_account_and_logs_the_photographer_in(client, settings):
    response = _post(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("galleries:dashboard")
    user = User.objects.get(email="ada@lens.test")
    assert user.studio_name == "Lens & Light"
    assert user.storage_quota == settings.DEFAULT_STORAGE_QUOTA
    assert user.storage_used == 0
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_it_refuses_an_email_already_registered_in_any_capitalisation(client, owner):
    response = _post(client, email=owner.email.upper())

    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["email"][0]
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("8302749571634", "entirely numeric"),
    ],
)
def test_it_explains_why_a_weak_password_is_refused(client, password, message):
    response = _post(client, password=password)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["password"])
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_password_that_resembles_the_email(client):
    response = _post(
        client, email="wonderland.alice@lens.test", password="wonderland.alice"
    )

    assert "too similar" in " ".join(response.context["form"].errors["password"])


@pytest.mark.django_db
def test_it_refuses_a_malformed_email(client):
    response = _post(client, email="not-an-email")

    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_a_logged_in_photographer_is_sent_to_their_galleries(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("galleries:dashboard")

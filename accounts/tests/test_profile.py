import pytest
from django.urls import reverse

URL = reverse("accounts:profile")


def test_it_shows_the_storage_used_and_the_quota(owner_client, owner):
    owner.storage_used = 1_500_000_000
    owner.save(update_fields=["storage_used"])

    response = owner_client.get(URL)

    assert response.status_code == 200
    assert (
        "1.4\xa0GB" in response.content.decode()
    )  # 1.5e9 bytes, in the binary units people see
    assert "20.0\xa0GB" in response.content.decode()


def test_it_saves_name_studio_and_email(owner_client, owner, password):
    response = owner_client.post(
        URL,
        {
            "display_name": "Olivia R.",
            "studio_name": "North Light",
            "email": "o@north.test",
            "current_password": password,
        },
    )

    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.display_name, owner.studio_name, owner.email) == (
        "Olivia R.",
        "North Light",
        "o@north.test",
    )


def test_it_refuses_an_email_that_belongs_to_someone_else(
    owner_client, owner, stranger, password
):
    response = owner_client.post(
        URL,
        {
            "display_name": "",
            "studio_name": "",
            "email": stranger.email.title(),
            "current_password": password,
        },
    )

    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["email"][0]
    owner.refresh_from_db()
    assert owner.email == "olivia@studio.test"


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_each_photographer_sees_only_their_own_profile(stranger_client, owner):
    response = stranger_client.get(URL)

    assert owner.email not in response.content.decode()


@pytest.mark.parametrize("current_password", ["", "not my password"])
def test_changing_the_email_needs_the_current_password(
    owner_client, owner, current_password
):
    response = owner_client.post(
        URL,
        {
            "display_name": "Olivia R.",
            "studio_name": "",
            "email": "thief@elsewhere.test",
            "current_password": current_password,
        },
    )

    assert response.status_code == 200
    assert "current password" in response.context["form"].errors["current_password"][0]
    owner.refresh_from_db()
    assert (owner.email, owner.display_name) == (
        "olivia@studio.test",
        owner.display_name,
    )


def test_the_name_and_studio_change_without_the_password(owner_client, owner):
    response = owner_client.post(
        URL,
        {"display_name": "Olivia R.", "studio_name": "North", "email": owner.email},
    )

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.studio_name == "North"

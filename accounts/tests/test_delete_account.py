from django.urls import reverse

from accounts.models import User

URL = reverse("accounts:delete")


def test_it_asks_for_confirmation_first(owner_client):
    response = owner_client.get(URL)

    assert response.status_code == 200
    assert b"deleted for good" in response.content


def test_it_deletes_the_account_and_logs_out(owner_client, owner, password):
    response = owner_client.post(URL, {"password": password, "confirm": "on"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=owner.pk).exists()
    assert owner_client.get(reverse("accounts:profile")).status_code == 302


def test_it_keeps_the_account_when_the_password_is_wrong(owner_client, owner):
    response = owner_client.post(URL, {"password": "not mine", "confirm": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert User.objects.filter(pk=owner.pk).exists()


def test_it_keeps_the_account_without_the_confirmation_box(
    owner_client, owner, password
):
    response = owner_client.post(URL, {"password": password})

    assert response.status_code == 200
    assert User.objects.filter(pk=owner.pk).exists()


def test_an_anonymous_visitor_cannot_delete_anything(client, owner):
    response = client.post(URL, {"password": "x", "confirm": "on"})

    assert response["Location"].startswith(reverse("accounts:login"))
    assert User.objects.filter(pk=owner.pk).exists()


def test_a_stranger_can_only_ever_delete_their_own_account(
    stranger_client, stranger, owner, password
):
    stranger_client.post(URL, {"password": password, "confirm": "on"})

    assert not User.objects.filter(pk=stranger.pk).exists()
    assert User.objects.filter(pk=owner.pk).exists()

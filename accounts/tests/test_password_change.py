from django.urls import reverse

URL = reverse("accounts:password_change")


def _change(client, old, new):
    return client.post(
        URL, {"old_password": old, "new_password1": new, "new_password2": new}
    )


def test_it_changes_the_password_and_keeps_the_photographer_logged_in(
    owner_client, owner, password
):
    response = _change(owner_client, password, "a brand new passphrase")

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("a brand new passphrase")
    assert owner_client.get(reverse("accounts:profile")).status_code == 200


def test_it_refuses_a_wrong_current_password(owner_client, owner, password):
    response = _change(owner_client, "not it", "a brand new passphrase")

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    owner.refresh_from_db()
    assert owner.check_password(password)


def test_it_refuses_a_weak_new_password(owner_client, password):
    response = _change(owner_client, password, "12345678")

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    assert client.get(URL)["Location"].startswith(reverse("accounts:login"))

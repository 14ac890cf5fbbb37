from django.urls import reverse


def test_logging_out_ends_the_session(owner_client):
    response = owner_client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert owner_client.get(reverse("accounts:profile")).status_code == 302


def test_logout_by_get_is_refused_so_links_cannot_log_people_out(owner_client):
    assert owner_client.get(reverse("accounts:logout")).status_code == 405
    assert owner_client.get(reverse("accounts:profile")).status_code == 200

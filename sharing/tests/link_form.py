"""What the photographer's link form sends, for the tests that fill it in."""


def link_form(**changes) -> dict:
    data = {
        "label": "Couple",
        "password": "",
        "expires_on": "",
        "is_active": "on",
        "downloads": "web",
        "favourites_enabled": "on",
        "favourites_limit": "",
        "welcome_message": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}

"""Browsers an account has logged in from: a signed cookie, renewed at each login.

A stranger who knows a photographer's email can make failed logins pause the
account for browsers it does not know (accounts/login_limits.py), but not for a
browser that carries this cookie: there only that browser's own failures count.
The cookie proves nothing about who is typing, so it never lets anyone in; it only
says "this browser logged in to this account before" (OWASP's device cookies). It is
bound to the password it logged in with: after a new password, a browser that once
knew the old one (perhaps an intruder's) is a stranger again until it logs in.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

COOKIE_NAME = "proofsheet_device"
SALT = "accounts.devices"
# A shared computer may be trusted by several photographers; the oldest drop out.
MAX_ACCOUNTS = 10


def _trust_seconds() -> int:
    return int(settings.LOGIN_DEVICE_TRUST.total_seconds())


def _accounts(request: HttpRequest) -> dict[str, str]:
    """The cookie's {user id: device id}, or nothing if it is absent, forged or old."""
    value = request.COOKIES.get(COOKIE_NAME)
    if not value:
        return {}
    try:
        accounts = signing.loads(value, salt=SALT, max_age=_trust_seconds())
    except signing.BadSignature:
        return {}
    if not isinstance(accounts, dict):
        return {}
    return {
        str(user_id): device
        for user_id, device in accounts.items()
        if isinstance(device, str) and device
    }


def _password_tag(user) -> str:
    return salted_hmac(SALT, user.password).hexdigest()[:16]


def device_id(request: HttpRequest, user) -> str | None:
    """This browser's id for the account, if it logged in to it with its password."""
    device, _, tag = _accounts(request).get(str(user.pk), "").partition(".")
    if device and constant_time_compare(tag, _password_tag(user)):
        return device
    return None


def remember(request: HttpRequest, response: HttpResponse, user) -> None:
    """After a successful login: this browser is now known to `user`'s account."""
    accounts = _accounts(request)
    entry = accounts.pop(str(user.pk), "")
    device = entry.partition(".")[0] or secrets.token_urlsafe(12)
    accounts[str(user.pk)] = f"{device}.{_password_tag(user)}"  # last, as the newest
    accounts = dict(list(accounts.items())[-MAX_ACCOUNTS:])
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps(accounts, salt=SALT, compress=True),
        max_age=_trust_seconds(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )

"""How many failed logins pause logging in, and for whom.

django-axes records each failed login (pages, API, admin) in the database, so every
web process agrees on the counts; this module decides which failures count against
an attempt. A login attempt is refused, with 429 (accounts/lockout.py), once any
count that applies to it reaches LOGIN_FAILURE_LIMIT within LOGIN_COOLOFF_MINUTES:

- from a browser that logged in to the account before (its device cookie,
  accounts/devices.py): only that browser's own failures on that account;
- from any other browser: the account's failures from this address; the account's
  failures from browsers it does not know, from every address (so many addresses
  cannot share the guessing of one password); and the number of accounts that
  failed from this address (so one address cannot try a password on every account);
- from an API client, which has no cookies: the account's failures from this
  address, and the number of accounts that failed from this address.

An address is the client's, as the trusted proxies in front (TRUSTED_PROXY_COUNT)
saw it; an IPv6 address counts as its /64 network, which one machine usually has
whole. So failures on one account never pause another account, and a stranger who
knows a photographer's email can pause it for browsers it does not know, but never
for the photographer's own browser. A successful login forgets the failures of that browser
or client on its account; a new password forgets all the account's failures.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db.models import Q, Sum
from django.dispatch import receiver
from django.http import HttpRequest

from accounts import devices
from accounts.signals import password_changed
from config.api_bodies import is_api
from config.client_address import address_group
from config.client_address import client_address as request_address

# Failures in a browser the account knows are recorded under "device:<user>:<device>";
# no email address can look like that (":" is not allowed), nor like "unknown:...".
DEVICE = "device:"
UNKNOWN = "unknown:"
KEY_LENGTH = 255  # axes' username column


def client_address(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address group a login attempt comes from."""
    return address_group(request_address(request))


def _identifier(request: HttpRequest, credentials: dict | None) -> str:
    """What the visitor typed as their email: pages send `username`, the API `email`."""
    credentials = credentials or {}
    typed = credentials.get("username") or credentials.get("email")
    if not typed:
        data = getattr(request, "data", None) or request.POST
        typed = data.get("username") or data.get("email")
    return typed.strip() if isinstance(typed, str) else ""


def _account_key(identifier: str):
    """The account's email as stored, whatever capitalisation was typed, or the typed
    text marked as no account; and the account, if any."""
    user = None
    if identifier and len(identifier) <= 254:
        user = (
            get_user_model()
            .objects.filter(email__iexact=identifier)
            .only("pk", "email", "password")
            .first()
        )
    if user is None:
        return f"{UNKNOWN}{identifier.lower()}"[:KEY_LENGTH], None
    return user.email, user


def _keys(request: HttpRequest, credentials: dict | None) -> tuple[str, str | None]:
    """(the account's key, this browser's key for the account if it knows it)."""
    identifier = _identifier(request, credentials)
    cache = request.__dict__.setdefault("_login_limit_keys", {})
    if identifier not in cache:
        account, user = _account_key(identifier)
        device = None
        if user is not None and not is_api(request):
            known = devices.device_id(request, user)
            device = f"{DEVICE}{user.pk}:{known}"[:KEY_LENGTH] if known else None
        cache[identifier] = (account, device)
    return cache[identifier]


def login_key(request: HttpRequest, credentials: dict | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the key a login attempt's failure is recorded under."""
    account, device = _keys(request, credentials)
    return device or account


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginLimitHandler(AxesDatabaseHandler):
    """axes' database handler, counting failures as this module describes."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        account, device = _keys(request, credentials)
        recent = AccessAttempt.objects.filter(
            attempt_time__gte=get_cool_off_threshold(request)
        )
        if device:
            return _failures(recent.filter(username=device))
        address = request.axes_ip_address
        counts = [
            _failures(recent.filter(username=account, ip_address=address)),
            recent.filter(ip_address=address)
            .exclude(username__startswith=DEVICE)
            .order_by()
            .values("username")
            .distinct()
            .count(),
        ]
        if not is_api(request):
            counts.append(_failures(recent.filter(username=account)))
        return max(counts)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a successful login, forget this browser's or client's failures on
        the account (never the address's failures on other accounts, nor other
        addresses' failures: logging in to one's own account must not buy a guesser
        more guesses)."""
        account, device = _keys(request, credentials)
        forget = Q(username=account, ip_address=request.axes_ip_address)
        if device:
            forget |= Q(username=device)
        count, _ = AccessAttempt.objects.filter(forget).delete()
        return count


def forget_successful_login(request, user) -> None:
    """A login that does not go through django.contrib.auth.login (the API's)."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.update_request(request)
    LoginLimitHandler().reset_user_attempts(request, {"username": user.get_username()})


@receiver(password_changed)
def forget_failures_of_old_password(sender, user, **kwargs) -> None:
    """Guesses at the old password say nothing about the new one, and the owner who
    reset it must be able to log in with it from any browser."""
    AccessAttempt.objects.filter(
        Q(username=user.email) | Q(username__startswith=f"{DEVICE}{user.pk}:")
    ).delete()

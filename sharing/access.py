"""Who may see what through a share link: the one gate pages, files and API share.

- A missing or disabled link is a 404, the same for both, so links can't be probed.
- An expired link is `LinkExpired` (pages answer 410 with a friendly page).
- A password link must be unlocked; the unlock is a key derived from the link's
  password hash, so changing or removing the password ends every old unlock.
- Wrong passwords are limited per link and address (`TooManyAttempts`, HTTP 429).
"""

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core import signing
from django.core.cache import cache
from django.http import Http404
from django.utils.crypto import constant_time_compare, salted_hmac

from galleries.models import Photo
from sharing.models import ShareLink

PASSWORD_ATTEMPTS = 10
PASSWORD_WINDOW = 15 * 60
SESSION_KEY = "share_unlocks"
# Apps without cookies send the unlock as a header instead (see `access_token`).
ACCESS_HEADER = "X-Share-Access"
ACCESS_TOKEN_MAX_AGE = 30 * 24 * 3600
ACCESS_TOKEN_SALT = "sharing.access"


class LinkExpired(Exception):
    def __init__(self, link: ShareLink):
        super().__init__("This gallery has expired.")
        self.link = link


class TooManyAttempts(Exception):
    def __init__(self, retry_after: int = PASSWORD_WINDOW):
        super().__init__(
            "Too many wrong passwords. Please wait 15 minutes and try again."
        )
        self.retry_after = retry_after


def get_link(token: str) -> ShareLink:
    """The active, unexpired link with this token, or 404 / LinkExpired."""
    link = (
        ShareLink.objects.select_related("gallery__owner", "gallery__cover")
        .prefetch_related("sets")
        .filter(token=token, is_active=True)
        .first()
    )
    if link is None:
        raise Http404
    if link.is_expired:
        raise LinkExpired(link)
    return link


def unlock_key(link: ShareLink) -> str:
    """What a visitor holds once unlocked; it changes whenever the password does."""
    return salted_hmac("sharing.unlock", f"{link.id}:{link.password}").hexdigest()


def client_address(request) -> str:
    """The visitor's address, trusting only as many proxies as we are told sit in front."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _attempts_key(link: ShareLink, address: str) -> str:
    return f"sharing:pw:{link.id}:{address}"


def check_link_password(link: ShareLink, password: str, address: str) -> bool:
    """True if right; counts wrong tries and refuses after too many."""
    key = _attempts_key(link, address)
    if cache.get(key, 0) >= PASSWORD_ATTEMPTS:
        raise TooManyAttempts()
    if link.password and check_password(password, link.password):
        cache.delete(key)
        return True
    cache.add(key, 0, PASSWORD_WINDOW)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, PASSWORD_WINDOW)
    return False


# --- Browser sessions -------------------------------------------------------------------


def is_unlocked(request, link: ShareLink) -> bool:
    """True for a link without password, or one unlocked by this browser session or
    by a valid access token in the request's X-Share-Access header."""
    if not link.has_password:
        return True
    held = request.session.get(SESSION_KEY, {}).get(str(link.id))
    if held and constant_time_compare(held, unlock_key(link)):
        return True
    return _holds_access_token(request, link)


def unlock(request, link: ShareLink, password: str) -> bool:
    """Check a visitor's password; if right, the browser session stays unlocked."""
    if not check_link_password(link, password, client_address(request)):
        return False
    unlocks = request.session.get(SESSION_KEY, {})
    unlocks[str(link.id)] = unlock_key(link)
    request.session[SESSION_KEY] = unlocks
    return True


# --- Apps: a signed access token in a header --------------------------------------------


def access_token(link: ShareLink) -> str:
    """What an app sends as X-Share-Access once unlocked: the same key a session holds,
    signed and dated, so it ends with a password change or after 30 days."""
    return signing.dumps(
        {"l": str(link.id), "k": unlock_key(link)}, salt=ACCESS_TOKEN_SALT
    )


def _holds_access_token(request, link: ShareLink) -> bool:
    token = request.META.get("HTTP_X_SHARE_ACCESS", "")
    if not token:
        return False
    try:
        payload = signing.loads(
            token, salt=ACCESS_TOKEN_SALT, max_age=ACCESS_TOKEN_MAX_AGE
        )
    except signing.BadSignature:
        return False
    return (
        isinstance(payload, dict)
        and payload.get("l") == str(link.id)
        and constant_time_compare(str(payload.get("k", "")), unlock_key(link))
    )


# --- What a link shows ------------------------------------------------------------------


def visible_photo(link: ShareLink, photo_id) -> Photo:
    """A photo this link shows, or 404: never another gallery's, a hidden set's, or
    one that is not ready."""
    photo = link.visible_photos().filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    return photo


def is_owner(request, link: ShareLink) -> bool:
    """The photographer looking at their own link: not a visitor to count."""
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.pk == link.gallery.owner_id)

"""Who may see what through a share link: the one gate pages, files and API share.

- A missing or disabled link is a 404, the same for both, so links can't be probed.
- An expired link is `LinkExpired` (pages answer 410 with a friendly page, the API 410).
  A link to a gallery in the trash is `LinkUnavailable`, a kind of `LinkExpired`: the
  same 410, saying the gallery is not available (a restore brings the link back).
- A password link must be unlocked (`Locked` until it is); the unlock is a key derived
  from the link's password hash, so changing or removing the password ends every old
  unlock. A browser holds it in its session, an app as a signed access token in the
  X-Share-Access header (`access_token`).
- Wrong passwords are slowed down per browser, address and link without ever locking
  a shared address out (`sharing.password_attempts`: `TooManyAttempts` for a browser
  that made too many, `PleaseWait` while its address or link takes turns; both 429).

Pages and the API both go through `open_link` and `unlock`; their doors
(`sharing.views.gate`, `sharing.api.gate`) only turn these answers into HTTP.
"""

import datetime
import secrets
from typing import NamedTuple

from django.contrib.auth.hashers import check_password
from django.core import signing
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from config.client_address import client_address as client_address
from galleries.models import Photo
from sharing import password_attempts, recipients
from sharing.models import Recipient, ShareLink
from sharing.password_attempts import PleaseWait as PleaseWait
from sharing.password_attempts import TooManyAttempts as TooManyAttempts

# Wrong tries one browser may make before it alone waits PASSWORD_WINDOW seconds.
PASSWORD_ATTEMPTS = password_attempts.BROWSER_FAILURES
PASSWORD_WINDOW = password_attempts.BROWSER_WINDOW
SESSION_KEY = "share_unlocks"
# A random id that tells this browser's wrong tries from other browsers' at its address.
BROWSER_KEY = "share_browser"
# Links this browser has just unlocked and not yet opened a page of.
ARRIVALS_KEY = "share_arrivals"
# Apps without cookies send the unlock as a header instead (see `access_token`).
ACCESS_HEADER = "X-Share-Access"
ACCESS_TOKEN_MAX_AGE = 30 * 24 * 3600
# The gate's old module name: keep it, or every token already given out stops working.
ACCESS_TOKEN_SALT = "sharing.access"


class LinkExpired(Exception):
    def __init__(self, link: ShareLink):
        super().__init__("This gallery has expired.")
        self.link = link


class LinkUnavailable(LinkExpired):
    """A link to a gallery in the photographer's trash (galleries/trash.py)."""

    def __init__(self, link: ShareLink):
        super().__init__(link)
        self.args = ("This gallery is not available.",)


class RegistrationRequired(Exception):
    """A link that asks for the visitor's email first (before viewing, or before
    downloading), seen through no personal address."""

    def __init__(self, link: ShareLink):
        super().__init__("Give your email address to open this gallery.")
        self.link = link


class Locked(Exception):
    """A password link this request has not unlocked."""

    def __init__(self, link: ShareLink):
        super().__init__("This gallery is protected by a password.")
        self.link = link


def open_link(
    request,
    token: str,
    *,
    unlocked: bool = True,
    with_gallery: bool = True,
    registered: bool = True,
    downloading: bool = False,
) -> ShareLink:
    """The link this request may look through, or 404 / `LinkExpired` / `Locked` /
    `RegistrationRequired`. With `unlocked=False`, a locked link too (for its password
    form); with `with_gallery=False`, without its gallery and studio (read if asked
    for); with `registered=False`, one that asks for an email (for its form); with
    `downloading=True`, one that asks for it before downloading is asked."""
    link = get_link(token, with_gallery=with_gallery)
    if unlocked and not is_unlocked(request, link):
        raise Locked(link)
    if registered and recipients.needs_registration(
        request, link, downloading=downloading
    ):
        raise RegistrationRequired(link)
    return link


def get_link(token: str, *, with_gallery: bool = True) -> ShareLink:
    """The active, unexpired link with this token, or 404 / LinkExpired /
    LinkUnavailable (its gallery is in the trash)."""
    # Every visitor's request starts here, so it costs two light queries: the link
    # with its gallery, studio, the studio's brand and the pages' language (the cover
    # is the gallery page's own business; a list of photos needs neither), and the ids
    # of the sets it shows (`ShareLink.load_visible_set_ids`), not set objects.
    link = ShareLink.objects.active_by_token(token, with_gallery=with_gallery)
    if link is None:
        # A recipient's personal address of a link (sharing/recipients.py).
        recipient = Recipient.objects.opening(token)
        if recipient is None:
            raise Http404
        link = recipients.attach(recipient.link, recipient)
        link.gallery_trashed_at = link.gallery.trashed_at
    elif with_gallery:
        # The language and the trash are then read from the objects themselves.
        link.gallery_trashed_at = link.gallery.trashed_at
    if link.gallery_trashed_at is not None:
        raise LinkUnavailable(link)
    if link.is_expired:
        raise LinkExpired(link)
    link.load_visible_set_ids()
    return link


def unlock_key(link: ShareLink) -> str:
    """What a visitor holds once unlocked; it changes whenever the password does."""
    return salted_hmac("sharing.unlock", f"{link.id}:{link.password}").hexdigest()


def check_link_password(
    link: ShareLink, password: str, *, browser: str, address: str
) -> bool:
    """True if right; wrong tries are counted, and a try may be refused unchecked
    (`TooManyAttempts`, `PleaseWait`) as `sharing.password_attempts` explains. An
    empty password is never right and tells a guesser nothing: it costs no try."""
    if not password:
        return False
    return password_attempts.attempt(
        link,
        browser=browser,
        address=address,
        check=lambda: bool(link.password) and check_password(password, link.password),
    )


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
    held = request.session.get(BROWSER_KEY)
    browser = held or secrets.token_urlsafe(16)
    # Raises, unchecked, for a try that must wait: nothing is stored for it then, so
    # a flood of cookie-less tries leaves no session behind.
    right = check_link_password(
        link, password, browser=browser, address=client_address(request)
    )
    if not held:
        request.session[BROWSER_KEY] = browser
    if not right:
        return False
    unlocks = request.session.get(SESSION_KEY, {})
    unlocks[str(link.id)] = unlock_key(link)
    request.session[SESSION_KEY] = unlocks
    # The page the gate sends the visitor on to is where their visit lands, though
    # its referrer is the gate, a page of the link (see `arrived_through_gate`).
    arrivals = request.session.get(ARRIVALS_KEY, [])
    if str(link.id) not in arrivals:
        request.session[ARRIVALS_KEY] = [*arrivals, str(link.id)]
    return True


def arrived_through_gate(request, link: ShareLink) -> bool:
    """True once, for the first page this browser asks for after unlocking the link."""
    session = getattr(request, "session", None)
    if session is None or not session.get(ARRIVALS_KEY):
        return False
    arrivals = session[ARRIVALS_KEY]
    if str(link.id) not in arrivals:
        return False
    session[ARRIVALS_KEY] = [held for held in arrivals if held != str(link.id)]
    return True


def visitor_browser(request, link: ShareLink) -> str | None:
    """Who a password link's visitor is for counting visitors: the browser that
    unlocked it (its random id), so two guests on one address with the same phone are
    two visitors. None for open links, whose visitors often have no session."""
    if not link.has_password:
        return None
    session = getattr(request, "session", None)
    return session.get(BROWSER_KEY) if session is not None else None


# --- Apps: a signed access token in a header --------------------------------------------


class AccessToken(NamedTuple):
    token: str
    expires_at: datetime.datetime


def access_token(link: ShareLink) -> AccessToken:
    """What an app sends as X-Share-Access once unlocked: the same key a session holds,
    signed and dated, so it ends with a password change or after 30 days."""
    token = signing.dumps(
        {"l": str(link.id), "k": unlock_key(link)}, salt=ACCESS_TOKEN_SALT
    )
    expires_at = timezone.now() + datetime.timedelta(seconds=ACCESS_TOKEN_MAX_AGE)
    return AccessToken(token, expires_at)


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

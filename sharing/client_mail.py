"""THE one way an email reaches a client (anyone who is not the photographer).

Every client email is a `ClientMessage`: who it is from (the photographer), to whom,
its subject, and a template pair (`<template>.html` and `<template>.txt`, extending
templates/sharing/email/_base.html and _base.txt). This module gives each the same
envelope:

- From: the studio's name as the display name; the address stays DEFAULT_FROM_EMAIL
  (our server sends, so SPF/DKIM hold). Reply-To: the photographer's own address.
- An HTML part and a plain-text part.
- `List-Unsubscribe: <https://.../unsubscribe/<signed>/>` and
  `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): a mail client POSTs
  to that URL and the address is unsubscribed from this photographer's studio at once;
  a person who opens it gets a page to confirm (sharing/views/unsubscribe.py).
- An address that unsubscribed is never sent to again by that photographer.

Kinds of email register a builder (`@kind("invitation")`) that turns JSON-safe
arguments (ids, strings) into a `ClientMessage`, so a message is built in the worker
from what is in the database when it leaves: `send_later(kind, **arguments)` queues
it once the transaction commits, `sharing.tasks.send_client_mail` sends it with
retries, `send_now` is what that task calls, and `render` is what a preview shows.
"""

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from galleries import queueing
from galleries.brand import brand_for
from galleries.languages import gallery_language, studio_language
from sharing.models import Unsubscribe

logger = logging.getLogger(__name__)

SEND_TASK = "sharing.tasks.send_client_mail"
UNSUBSCRIBE_SALT = "sharing.client_mail.unsubscribe"
# A mail server that is down or slow now may answer in a minute.
TRANSIENT = (OSError, smtplib.SMTPException)


def brand_name(owner) -> str:
    """The name clients know the photographer by (their brand's studio name)."""
    return brand_for(owner).studio_name


@dataclass(frozen=True)
class ClientMessage:
    owner: object  # accounts.User: the photographer it is from
    to: str
    subject: str
    template: str  # "sharing/email/invitation": .html and .txt beside each other
    context: dict = field(default_factory=dict)
    # Rendered in this language; "" for its gallery's (context["gallery"]), else the
    # studio's (galleries/languages.py).
    language: str = ""
    # Called once the message has left (e.g. to note an invitation as sent).
    sent: Callable[[], None] | None = None


@dataclass(frozen=True)
class Rendered:
    subject: str
    from_email: str
    reply_to: str
    to: str
    text: str
    html: str
    headers: dict


# --- Unsubscribes -----------------------------------------------------------------------


def normalise(email: str) -> str:
    return email.strip().lower()


def is_unsubscribed(owner, email: str) -> bool:
    return Unsubscribe.objects.filter(owner=owner, email=normalise(email)).exists()


def unsubscribed_among(owner, emails) -> set[str]:
    """Which of `emails` (normalised) asked this photographer for no more email."""
    return set(
        Unsubscribe.objects.filter(owner=owner, email__in=list(emails)).values_list(
            "email", flat=True
        )
    )


def unsubscribe(*, owner, email: str) -> None:
    """No more email from this photographer to this address (idempotent)."""
    try:
        with transaction.atomic():
            Unsubscribe.objects.get_or_create(owner=owner, email=normalise(email))
    except IntegrityError:
        pass  # the same click twice at once


def unsubscribe_token(owner, email: str) -> str:
    return signing.dumps(
        {"o": str(owner.pk), "e": normalise(email)}, salt=UNSUBSCRIBE_SALT
    )


def read_unsubscribe_token(token: str) -> tuple[str, str] | None:
    """(owner id, email) a token was signed for, or None for a forged one."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not {"o", "e"} <= payload.keys():
        return None
    return str(payload["o"]), str(payload["e"])


def unsubscribe_url(owner, email: str) -> str:
    path = reverse("sharing:unsubscribe", args=[unsubscribe_token(owner, email)])
    return settings.SITE_URL.rstrip("/") + path


# --- Language ---------------------------------------------------------------------------


def language_of(message: ClientMessage) -> str:
    if message.language:
        return message.language
    gallery = message.context.get("gallery")
    if gallery is not None:
        return gallery_language(gallery)
    return studio_language(message.owner)


def in_language_of(gallery):
    """A block in which text is in the language `gallery`'s clients read."""
    return translation.override(gallery_language(gallery))


def translated(gallery, text: str, **values) -> str:
    """`text` (marked with gettext_noop) in `gallery`'s client language, with
    `%(name)s` filled from `values`: a subject, built before the message renders."""
    with in_language_of(gallery):
        return translation.gettext(text) % values


# --- Rendering and sending --------------------------------------------------------------


def render(message: ClientMessage) -> Rendered:
    """The message as it will leave: subject, envelope, both parts, headers; the
    parts in the client's language (`language_of`)."""
    with translation.override(language_of(message)):
        return _render(message)


def _render(message: ClientMessage) -> Rendered:
    owner = message.owner
    brand = brand_for(owner)
    studio = brand.studio_name
    unsubscribe_link = unsubscribe_url(owner, message.to)
    site_url = settings.SITE_URL.rstrip("/")
    context = {
        **message.context,
        "studio": studio,
        # The studio's logo, accent and contact (galleries/brand.py); the logo's
        # address is the site's own and never expires.
        "brand": brand,
        "logo_url": site_url + brand.logo.url if brand.logo else "",
        "owner": owner,
        "subject": message.subject,
        "site_url": site_url,
        "unsubscribe_url": unsubscribe_link,
    }
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    return Rendered(
        subject=" ".join(message.subject.split()),  # never a header on two lines
        from_email=formataddr((studio, address)),
        reply_to=owner.email,
        to=message.to,
        text=render_to_string(f"{message.template}.txt", context),
        html=render_to_string(f"{message.template}.html", context),
        headers={
            "List-Unsubscribe": f"<{unsubscribe_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def as_email(rendered: Rendered) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=rendered.from_email,
        to=[rendered.to],
        reply_to=[rendered.reply_to],
        headers=rendered.headers,
    )
    email.attach_alternative(rendered.html, "text/html")
    return email


def deliver(message: ClientMessage) -> bool:
    """Send it now, unless its address unsubscribed: True if it left. A mail server
    that fails raises (`TRANSIENT`), for the task to retry."""
    if is_unsubscribed(message.owner, message.to):
        logger.info("not mailing an address that unsubscribed")
        return False
    as_email(render(message)).send()
    if message.sent is not None:
        message.sent()
    return True


# --- Kinds, built in the worker ---------------------------------------------------------

BUILDERS: dict[str, Callable[..., ClientMessage | None]] = {}


def kind(name: str):
    """Register a builder: `builder(**arguments) -> ClientMessage | None` (None when
    what it was about is gone)."""

    def register(builder):
        BUILDERS[name] = builder
        return builder

    return register


def build(kind_name: str, **arguments) -> ClientMessage | None:
    return BUILDERS[kind_name](**arguments)


def send_now(kind_name: str, **arguments) -> bool:
    message = build(kind_name, **arguments)
    if message is None:
        return False
    return deliver(message)


def send_later(kind_name: str, **arguments) -> None:
    """Queue the message once the transaction commits. A broker that is down loses
    the mail (logged by `queueing.send`), never the request that sent it."""
    if kind_name not in BUILDERS:
        raise ValueError(kind_name)
    transaction.on_commit(lambda: queueing.send(SEND_TASK, kind_name, **arguments))

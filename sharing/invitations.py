"""Inviting clients by email to a share link: the writes, and the invitation email.

Each address becomes a `Recipient` of the link (sharing/recipients.py) with its own
personal address; the invitation is a client email (sharing/client_mail.py), built
in the worker, so a revoked recipient or a link that ended meanwhile gets nothing,
and an address that unsubscribed from the studio is never mailed. The subject and
message come from the photographer's own template (`InvitationTemplate`, else ours),
with `{gallery}`, `{studio}` and `{expires}` filled in per link; the photographer
may change both for one send.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sharing import client_mail
from sharing.models import InvitationTemplate, Recipient, ShareLink

INVITATION = "invitation"
# Addresses one send may invite: a couple, their family, a wedding party; not a list.
MAX_PER_SEND = 50
SUBJECT_MAX = 200
MESSAGE_MAX = 5000

DEFAULT_SUBJECT = gettext_lazy("Your photos from {gallery} are ready")
DEFAULT_MESSAGE = gettext_lazy(
    "Hello,\n\n"
    "your photos from {gallery} are ready. Open your personal link below to see "
    "them, pick your favourites and send me your choice.\n\n"
    "Warm regards,\n{studio}"
)
PLACEHOLDERS = ("{gallery}", "{studio}", "{expires}")


@dataclass
class Sent:
    invited: list[Recipient] = field(default_factory=list)
    unsubscribed: list[str] = field(default_factory=list)


# --- The template -----------------------------------------------------------------------


def template_for(owner) -> tuple[str, str]:
    """The photographer's default subject and message, with their placeholders."""
    saved = InvitationTemplate.objects.filter(owner=owner).first()
    if saved is not None:
        return saved.subject, saved.message
    return str(DEFAULT_SUBJECT), str(DEFAULT_MESSAGE)


def template_save(*, owner, subject: str, message: str) -> InvitationTemplate:
    subject, message = _checked(subject, message)
    saved, _created = InvitationTemplate.objects.update_or_create(
        owner=owner, defaults={"subject": subject, "message": message}
    )
    return saved


def fill(text: str, link: ShareLink) -> str:
    """The template's placeholders, for this link."""
    expires = (
        date_format(timezone.localtime(link.expires_at), "DATE_FORMAT")
        if link.expires_at
        else ""
    )
    values = {
        "{gallery}": link.gallery.title,
        "{studio}": client_mail.brand_name(link.gallery.owner),
        "{expires}": expires,
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def prefilled(link: ShareLink) -> tuple[str, str]:
    """The subject and message an invitation form starts with, for this link: in
    the gallery's language, which the client reads it in (its date, the default)."""
    with client_mail.in_language_of(link.gallery):
        subject, message = template_for(link.gallery.owner)
        return fill(subject, link), fill(message, link)


def _checked(subject: str, message: str) -> tuple[str, str]:
    subject = " ".join(subject.split())
    message = message.strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Give the email a subject.")
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = _("Keep the subject under %(n)d characters.") % {
            "n": SUBJECT_MAX
        }
    if not message:
        errors["message"] = _("Write a message for your client.")
    elif len(message) > MESSAGE_MAX:
        errors["message"] = _("Keep the message under %(n)d characters.") % {
            "n": MESSAGE_MAX
        }
    if errors:
        raise ValidationError(errors)
    return subject, message


# --- Addresses --------------------------------------------------------------------------


def parse_addresses(raw: str) -> list[str]:
    """The addresses typed (commas, semicolons, spaces or lines between them), lower-
    cased, each once, in order; a ValidationError naming the ones that are not."""
    found = []
    for part in re.split(r"[\s,;]+", raw or ""):
        # "Anna <anna@example.com>" as mail programs copy it.
        part = part.strip().strip("<>").strip()
        if part:
            found.append(part.lower())
    addresses = list(dict.fromkeys(found))
    invalid = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            invalid.append(address)
    if invalid:
        raise ValidationError(
            {
                "emails": ngettext(
                    "This is not an email address: %(list)s",
                    "These are not email addresses: %(list)s",
                    len(invalid),
                )
                % {"list": ", ".join(invalid)}
            },
            code="invalid",
        )
    if not addresses:
        raise ValidationError({"emails": _("Enter at least one email address.")})
    if len(addresses) > MAX_PER_SEND:
        raise ValidationError(
            {
                "emails": _(
                    "Invite at most %(max)d addresses at once (you entered %(n)d)."
                )
                % {"max": MAX_PER_SEND, "n": len(addresses)}
            }
        )
    return addresses


def _check_link_open(link: ShareLink) -> None:
    if not link.is_active:
        raise ValidationError(_("This link is disabled: enable it before inviting."))
    if link.is_expired:
        raise ValidationError(
            _("This link has expired: give it a later date before inviting.")
        )


# --- Writes -----------------------------------------------------------------------------


def invite(
    *,
    link: ShareLink,
    emails: list[str],
    subject: str,
    message: str,
    save_as_default: bool = False,
) -> Sent:
    """Invite each address: a recipient with a personal address, and the email, sent
    in the background. An address invited before is invited again (a revoked one gets
    a new personal address); one that unsubscribed from the studio is skipped."""
    _check_link_open(link)
    subject, message = _checked(subject, message)
    owner = link.gallery.owner
    if save_as_default:
        template_save(owner=owner, subject=subject, message=message)
    result = Sent()
    unsubscribed = client_mail.unsubscribed_among(owner, emails)
    with transaction.atomic():
        for email in emails:
            if email in unsubscribed:
                result.unsubscribed.append(email)
                continue
            recipient = _recipient(link, email)
            result.invited.append(recipient)
            client_mail.send_later(
                INVITATION,
                recipient_id=str(recipient.pk),
                subject=subject,
                message=message,
            )
    return result


def _recipient(link: ShareLink, email: str) -> Recipient:
    try:
        with transaction.atomic():
            recipient, created = Recipient.objects.get_or_create(
                link=link, email=email, defaults={"source": Recipient.Source.INVITED}
            )
    except IntegrityError:
        recipient, created = Recipient.objects.get(link=link, email=email), False
    if not created and recipient.is_revoked:
        recipient.revoked_at = None
        recipient.token = Recipient._meta.get_field("token").default()
        recipient.save(update_fields=["revoked_at", "token"])
    return recipient


def resend(*, recipient: Recipient) -> None:
    """Send one recipient the invitation again, from the photographer's template."""
    link = recipient.link
    _check_link_open(link)
    if recipient.is_revoked:
        raise ValidationError(
            _("This address was revoked. Invite it again to give it a new link.")
        )
    if client_mail.is_unsubscribed(link.gallery.owner, recipient.email):
        raise ValidationError(
            _("%(email)s unsubscribed from your emails.") % {"email": recipient.email}
        )
    subject, message = prefilled(link)
    client_mail.send_later(
        INVITATION, recipient_id=str(recipient.pk), subject=subject, message=message
    )


def revoke(*, recipient: Recipient) -> Recipient:
    """End this recipient's personal address; the link and everyone else's stay."""
    if recipient.revoked_at is None:
        recipient.revoked_at = timezone.now()
        recipient.save(update_fields=["revoked_at"])
    return recipient


# --- The email --------------------------------------------------------------------------


def personal_url(recipient: Recipient) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "sharing:gallery", args=[recipient.token]
    )


def message_for(
    recipient: Recipient, *, subject: str, message: str, sent=None
) -> client_mail.ClientMessage:
    link = recipient.link
    return client_mail.ClientMessage(
        owner=link.gallery.owner,
        to=recipient.email,
        subject=subject,
        template="sharing/email/invitation",
        context={
            "link": link,
            "gallery": link.gallery,
            "message": message,
            "personal_url": personal_url(recipient),
        },
        sent=sent,
    )


def preview(*, link: ShareLink, subject: str, message: str, email: str):
    """What `email` would get (`client_mail.Rendered`), without inviting anyone: the
    personal address shown is a stand-in."""
    subject, message = _checked(subject, message)
    stand_in = Recipient(link=link, email=email, token="your-personal-link")
    return client_mail.render(message_for(stand_in, subject=subject, message=message))


@client_mail.kind(INVITATION)
def invitation_message(
    *, recipient_id: str, subject: str, message: str
) -> client_mail.ClientMessage | None:
    recipient = (
        Recipient.objects.select_related("link__gallery__owner")
        .filter(pk=recipient_id, revoked_at__isnull=True)
        .first()
    )
    if recipient is None or not recipient.link.is_active or recipient.link.is_expired:
        return None  # revoked, or the link ended, since it was queued

    def sent() -> None:
        now = timezone.now()
        Recipient.objects.filter(pk=recipient.pk).update(
            last_sent_at=now, sends=F("sends") + 1
        )
        Recipient.objects.filter(pk=recipient.pk, invited_at__isnull=True).update(
            invited_at=now
        )

    return message_for(recipient, subject=subject, message=message, sent=sent)

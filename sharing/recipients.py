"""Known visitors of a link: its recipients (sharing.models.Recipient), and what each
did. The writes for recipients' activity and for email registration live here.

A recipient is one email address on one link, invited by the photographer
(sharing/invitations.py) or registered by the visitor at the link's registration gate.
Each has a personal address, /s/<recipient token>/, which opens the same link with
the same password, expiry and download rules (`sharing.gate.get_link` resolves it).
A link opened that way carries the recipient: `link.recipient`, and `link.token` is
the personal token, so every URL the visitor's pages and the API build keeps them on
their personal address (that copy of the link is never saved: `ShareLink.save`
refuses). Revoking a recipient ends their personal address alone.

What a visitor does through a personal address is counted on the recipient, tied to
the address they gave; anonymous visitors stay counted as hashes (sharing/analytics.py).
Deleting the link (or its gallery) deletes its recipients and all of it.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sharing.models import Recipient, RecipientPhoto, ShareLink

# The analytics counters a recipient keeps too (lists sent are counted by the list's
# recipient instead, whichever address the list is sent from).
COUNTED = {"downloads", "zip_downloads", "lists_started"}

REVOKED_ADDRESS = gettext_lazy(
    "This address can no longer open this gallery. Ask the photographer."
)


def normalise(email: str) -> str:
    return email.strip().lower()


def attach(link: ShareLink, recipient: Recipient) -> ShareLink:
    """`link` as seen through `recipient`'s personal address."""
    link.recipient = recipient
    link.token = recipient.token
    recipient.link = link
    return link


def of(link: ShareLink) -> Recipient | None:
    """The recipient whose personal address opened this link, if any."""
    return getattr(link, "recipient", None)


# --- Activity ---------------------------------------------------------------------------


def _touch(recipient: Recipient, **increments) -> None:
    now = timezone.now()
    Recipient.objects.filter(pk=recipient.pk).update(
        last_visit_at=now, **{name: F(name) + 1 for name in increments}
    )
    if recipient.first_visit_at is None:
        Recipient.objects.filter(pk=recipient.pk, first_visit_at__isnull=True).update(
            first_visit_at=now
        )
        recipient.first_visit_at = now
    recipient.last_visit_at = now


def visited(link: ShareLink) -> None:
    """A visit (a landing on the gallery) through a personal address."""
    if (recipient := of(link)) is not None:
        _touch(recipient, views=1)


def photo_seen(link: ShareLink, photo) -> None:
    """A photo opened through a personal address; each photo counts once."""
    if (recipient := of(link)) is None:
        return
    try:
        with transaction.atomic():
            _, new = RecipientPhoto.objects.get_or_create(
                recipient_id=recipient.pk, photo_id=photo.pk
            )
    except IntegrityError:
        new = False
    if new:
        _touch(recipient, photos_viewed=1)
    else:
        _touch(recipient)


def counted(link: ShareLink, counter: str) -> None:
    """What sharing.analytics counts for the link, counted on its recipient too."""
    if counter in COUNTED and (recipient := of(link)) is not None:
        _touch(recipient, **{counter: 1})


def list_submitted(favourite_list) -> None:
    if favourite_list.recipient_id:
        Recipient.objects.filter(pk=favourite_list.recipient_id).update(
            lists_submitted=F("lists_submitted") + 1, last_visit_at=timezone.now()
        )


# --- Registration -----------------------------------------------------------------------


def register(*, link: ShareLink, email: str) -> Recipient:
    """A visitor gives their email at the link's registration gate: their recipient
    (an invited one keeps its row), whose personal address they go on through."""
    email = normalise(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("Enter a valid email address."), code="invalid"
                )
            }
        ) from None
    try:
        with transaction.atomic():
            recipient, _created = Recipient.objects.get_or_create(
                link_id=link.pk,
                email=email,
                defaults={
                    "source": Recipient.Source.REGISTERED,
                    "registered_at": timezone.now(),
                },
            )
    except IntegrityError:
        recipient = Recipient.objects.get(link_id=link.pk, email=email)
    if recipient.is_revoked:
        raise ValidationError(
            {"email": ValidationError(REVOKED_ADDRESS, code="revoked")}
        )
    if recipient.registered_at is None:
        recipient.registered_at = timezone.now()
        Recipient.objects.filter(pk=recipient.pk).update(
            registered_at=recipient.registered_at
        )
    return recipient


def needs_registration(request, link: ShareLink, *, downloading: bool = False) -> bool:
    """True when this visitor must give their email first: the link asks for it
    before viewing (or before downloading, for a download), and they came through no
    personal address. The photographer never has to."""
    mode = link.registration
    if mode == ShareLink.Registration.OFF or of(link) is not None:
        return False
    if mode == ShareLink.Registration.DOWNLOAD and not downloading:
        return False
    user = getattr(request, "user", None)
    is_owner = bool(user and user.is_authenticated and user.pk == link.gallery.owner_id)
    return not is_owner

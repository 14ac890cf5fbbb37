"""Writes to accounts: every door (pages, API, admin actions) goes through here."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User

DUPLICATE_EMAIL = "An account with this email address already exists. Log in instead?"
EMAIL_NEEDS_PASSWORD = "Enter your current password to change your email address."


def _ensure_email_free(email: str, *, exclude: User | None = None) -> None:
    others = User.objects.filter(email__iexact=email)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError({"email": DUPLICATE_EMAIL})


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error


def user_create(
    *, email: str, password: str, display_name: str = "", studio_name: str = ""
) -> User:
    email = User.objects.normalize_email(email.strip())
    user = User(email=email, display_name=display_name, studio_name=studio_name)
    _ensure_email_free(email)
    _validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    try:
        # Two sign-ups racing for one address: the database decides, with a clear message.
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ValidationError({"email": DUPLICATE_EMAIL}) from error
    return user


def user_update(
    *,
    user: User,
    email: str | None = None,
    display_name: str | None = None,
    studio_name: str | None = None,
    current_password: str | None = None,
    activity_digest: bool | None = None,
) -> User:
    """Save what changed. The email is the login and where password resets go, so
    changing it takes the current password (a borrowed session must not take the
    account over)."""
    changes = {
        name: value
        for name, value in {
            "email": User.objects.normalize_email(email.strip()) if email else None,
            "display_name": display_name,
            "studio_name": studio_name,
            "activity_digest": activity_digest,
        }.items()
        if value is not None and getattr(user, name) != value
    }
    if not changes:
        return user
    if "email" in changes:
        if not user.check_password(current_password or ""):
            raise ValidationError({"current_password": EMAIL_NEEDS_PASSWORD})
        _ensure_email_free(changes["email"], exclude=user)
    for name, value in changes.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save(update_fields=list(changes))
    except IntegrityError as error:
        raise ValidationError({"email": DUPLICATE_EMAIL}) from error
    return user


def user_change_password(*, user: User, old_password: str, new_password: str) -> User:
    """Every session and API token issued before ends: Django checks a session's
    copy of the password hash, and tokens carry a digest of it (CHECK_REVOKE_TOKEN).
    A caller that wants to stay logged in updates its own session."""
    if not user.check_password(old_password):
        raise ValidationError(
            {"old_password": "Your current password was entered incorrectly."}
        )
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user


def user_delete(*, user: User, password: str) -> None:
    """Delete the account and everything it owns; the password confirms intent."""
    if not user.check_password(password):
        raise ValidationError({"password": "That is not your password."})
    user_remove(user=user)


def user_remove(*, user: User) -> None:
    """Delete an account with everything it owns. The apps above this one remove
    what they keep for it as it goes (galleries/receivers.py deletes the photos and,
    once this has committed, their files)."""
    with transaction.atomic():
        user.delete()

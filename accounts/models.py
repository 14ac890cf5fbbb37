from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.utils import timezone

from accounts.signals import password_changed


def default_storage_quota() -> int:
    return settings.DEFAULT_STORAGE_QUOTA


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, username: str) -> "User":
        # Email is the login; people type it with any capitalisation.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A photographer (or an admin). Clients never have accounts."""

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=150, blank=True, help_text="Your name, as Proofsheet greets you."
    )
    studio_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="Shown to your clients on every gallery you share.",
    )
    storage_quota = models.PositiveBigIntegerField(
        default=default_storage_quota, help_text="Bytes this photographer may store."
    )
    storage_used = models.PositiveBigIntegerField(
        default=0, help_text="Bytes of original photos stored (renditions are free)."
    )
    activity_digest = models.BooleanField(
        default=False,
        help_text="A daily email of what clients did in each gallery.",
    )
    is_staff = models.BooleanField(
        default=False, help_text="Can log in to the admin site."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"), name="accounts_user_email_ci_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        # set_password() leaves the new password in _password until it is saved.
        new_password = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if new_password:
            password_changed.send(sender=type(self), user=self)

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def public_name(self) -> str:
        """The name clients see: the studio, else the photographer."""
        return self.studio_name or self.display_name or self.email.split("@")[0]

    @property
    def storage_available(self) -> int:
        return max(self.storage_quota - self.storage_used, 0)

    @property
    def storage_used_percent(self) -> float:
        if not self.storage_quota:
            return 100.0
        return min(100.0, 100.0 * self.storage_used / self.storage_quota)

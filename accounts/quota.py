"""A photographer's storage quota: reserved before bytes arrive, released when they go.

Every byte stored counts once in `User.storage_used`: an upload reserves its size
before it starts (galleries/uploads.py), and a rejected or deleted photo gives it
back (galleries/services.py). `manage.py reconcile_storage` finds any drift.
"""

from django.db.models import F, Value
from django.db.models.functions import Greatest

from accounts.models import User


class QuotaExceeded(Exception):
    """The photographer's storage is full; nothing was reserved."""


def storage_reserve(*, user_id: int, nbytes: int) -> None:
    """Reserve bytes of quota in one conditional UPDATE.

    Parallel uploads race here, and the database serialises them: each one either
    fits in what is left or is refused, so the total can never pass the quota.
    """
    reserved = User.objects.filter(
        pk=user_id, storage_used__lte=F("storage_quota") - nbytes
    ).update(storage_used=F("storage_used") + nbytes)
    if not reserved:
        raise QuotaExceeded


def storage_release(*, user_id: int, nbytes: int) -> None:
    if nbytes:
        User.objects.filter(pk=user_id).update(
            storage_used=Greatest(F("storage_used") - nbytes, Value(0))
        )

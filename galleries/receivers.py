"""What the galleries app does when something below it changes.

`accounts` sits below `galleries` and never imports it, so an account being deleted
(from the profile page, the API or the admin, one or many) is heard here: the
photographer's photos leave storage with it, once the delete has committed.
"""

from django.conf import settings
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from galleries.brand import owner_brand_delete
from galleries.services import owner_photos_delete
from galleries.watermarks import owner_watermark_delete


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="galleries-owner")
def delete_an_owners_photos(sender, instance, **kwargs) -> None:
    owner_photos_delete(owner=instance)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="galleries-brand")
def delete_an_owners_brand(sender, instance, **kwargs) -> None:
    owner_brand_delete(owner=instance)


@receiver(
    pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="galleries-watermark"
)
def delete_an_owners_watermark(sender, instance, **kwargs) -> None:
    owner_watermark_delete(owner=instance)

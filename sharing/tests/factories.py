import factory
from django.contrib.auth.hashers import make_password

from galleries.tests.factories import GalleryFactory
from sharing.models import FavouriteList, ShareLink


class ShareLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShareLink

    gallery = factory.SubFactory(GalleryFactory)
    label = factory.Sequence(lambda n: f"Link {n}")

    class Params:
        # ShareLinkFactory(secret="hunter2") makes a password link.
        secret = None

    password = factory.LazyAttribute(
        lambda o: make_password(o.secret) if o.secret else ""
    )


class FavouriteListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FavouriteList

    link = factory.SubFactory(ShareLinkFactory)
    name = factory.Sequence(lambda n: f"Visitor {n}")

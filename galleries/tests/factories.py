import factory

from accounts.tests.factories import UserFactory
from galleries.imaging import DEFAULT_SPECS
from galleries.models import Gallery, GallerySet, Photo


class GalleryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gallery
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Wedding {n}")

    @factory.post_generation
    def sets(gallery, create, extracted, **kwargs):
        if create:
            for position, name in enumerate(extracted or ["Highlights"]):
                GallerySet.objects.create(gallery=gallery, name=name, position=position)


class ReadyPhotoFactory(factory.django.DjangoModelFactory):
    """A processed photo whose files are not needed (pages, lists, permissions)."""

    class Meta:
        model = Photo

    gallery = factory.SubFactory(GalleryFactory)
    photo_set = factory.LazyAttribute(lambda o: o.gallery.sets.first())
    original_filename = factory.Sequence(lambda n: f"IMG_{n:04d}.jpg")
    original = factory.LazyAttribute(lambda o: f"photos/x/{o.original_filename}")
    size = 1_000_000
    crc32 = 0x1234ABCD
    status = Photo.Status.READY
    width, height = 3000, 2000
    position = factory.Sequence(int)
    color = "#808080"
    placeholder = "data:image/webp;base64,AAAA"
    renditions = factory.LazyAttribute(
        lambda o: {
            f"{spec.name}.{fmt}": {
                "name": f"photos/x/{o.original_filename}-{spec.name}.{fmt}",
                "width": spec.box,
                "height": spec.box * 2 // 3,
                "mime": f"image/{fmt}",
                "bytes": 1000,
                "crc32": 0x0BADF00D,
            }
            for spec in DEFAULT_SPECS
            for fmt in spec.formats
        }
    )

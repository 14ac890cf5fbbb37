"""Fill a gallery with many real, ready photos and share it: for demos and benchmarks.

    python manage.py seed_gallery --photos 1000 [--sets 3] [--link-token TOKEN]
        [--email demo@proofsheet.local] [--password ...] [--link-password ...] [--fresh]
        [--branded]

A few sample photos (samples/photos) are cropped to a spread of shapes (3:2, 4:3,
16:9, square, portrait) and rendered once with the real pipeline; every seeded photo
then gets its own copy of one sample's files under its own folder, exactly as if it had
been uploaded and processed: a real original (a JPEG, unique per photo so the gallery's
one-copy-per-content rule holds and a ZIP has distinct files), real renditions, its
bytes counted against the photographer's quota. Deleting a seeded photo or gallery
therefore works like any other.

Run it twice with the same arguments and the gallery is reused; ask for more photos and
it is topped up; `--fresh` deletes it (files included) and starts again.

`--branded` dresses it as a studio would (what bin/lighthouse measures): a logo, an
accent colour, the "editorial" typeface (self-hosted web fonts), the gallery in German,
and the studio's text watermark on the link. The watermarked renditions are made here
and now, before the command ends, so the link shows them from its first visit.
"""

import datetime
import hashlib
import io
import re
import secrets
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont, ImageOps

from accounts.models import User
from accounts.quota import QuotaExceeded, storage_reserve
from accounts.services import user_create
from config.celery import app as celery_app
from galleries import brand as brand_services
from galleries import imaging, services, watermarks
from galleries.filestore import delete_files, original_name
from galleries.models import Brand, Gallery, Photo, Watermark
from galleries.processing import renditions_store
from sharing import services as sharing_services
from sharing.models import ShareLink

DEFAULT_EMAIL = "demo@proofsheet.local"
DEFAULT_TITLE = "Emma & Noah at Lake Como"
SAMPLES_DIR = settings.BASE_DIR / "samples" / "photos"
SET_NAMES = ["Ceremony", "Portraits", "Reception", "Details", "Party", "Morning"]
LINK_LABEL = "Seeded link"
WELCOME = (
    "Thank you for a wonderful day! Heart your favourites and send me your list "
    "when you are done."
)
# Originals are made at this size: big enough for the 2048 px preview, small enough
# that a thousand of them stay well under a gigabyte.
ORIGINAL_BOX = 2400
BATCH = 100
# --branded: the studio's look.
BRAND_ACCENT = "#b4532a"
BRAND_LANGUAGE = "de"
BRAND_WEBSITE = "https://atelier-lumen.example"
WATERMARK_TEXT = "© Atelier Lumen"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


@dataclass(frozen=True)
class Sample:
    """One sample photo, cropped to an aspect ratio (width / height), or as shot."""

    path: str
    ratio: float | None = None


# Landscape first: the first photo is the cover.
SAMPLES = (
    Sample("camera/iphone_hdr_NO.jpg", 3 / 2),
    Sample("camera/canon_hdr_NO.jpg"),  # portrait 3:4, rotated by EXIF
    Sample("camera/jolla.jpg"),  # landscape 4:3
    Sample("heic/iphone_13_pro_max.HEIC", 4 / 5),
    Sample("camera/iphone_hdr_NO.jpg", 2 / 3),
    Sample("camera/jolla.jpg", 16 / 9),
    Sample("camera/canon_hdr_NO.jpg", 1.0),
    Sample("camera/nikon-e950.jpg"),  # an old, small camera file: 800x600
)


@dataclass(frozen=True)
class Prepared:
    original: bytes
    rendered: imaging.Renditions
    camera: str


class Command(BaseCommand):
    help = "Create (or reuse) a gallery of N ready photos with real files, and a link."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", default=DEFAULT_EMAIL, help="the photographer")
        parser.add_argument("--photos", type=int, default=1000, help="how many photos")
        parser.add_argument("--sets", type=int, default=3, help="how many sets")
        parser.add_argument("--title", default=DEFAULT_TITLE, help="gallery title")
        parser.add_argument(
            "--link-token",
            default="",
            help="the share link's token (8-64 of A-Z a-z 0-9 _ -); random if omitted",
        )
        parser.add_argument(
            "--password",
            default="",
            help="the photographer's password (a new one gets a random one otherwise)",
        )
        parser.add_argument(
            "--link-password", default="", help="lock the share link with a password"
        )
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="delete the photographer's gallery of this title first, files too",
        )
        parser.add_argument(
            "--samples", default=str(SAMPLES_DIR), help="folder of sample photos"
        )
        parser.add_argument(
            "--branded",
            action="store_true",
            help="a logo, an accent, a web font, German, and a watermarked link",
        )

    def handle(self, *args, **options) -> None:
        count, set_count = options["photos"], options["sets"]
        if count < 1:
            raise CommandError("--photos must be at least 1.")
        if not 1 <= set_count <= 50:
            raise CommandError("--sets must be between 1 and 50.")
        token = options["link_token"]
        if token and not TOKEN.match(token):
            raise CommandError(
                "--link-token must be 8 to 64 letters, digits, '-' or '_'."
            )
        samples_dir = Path(options["samples"])
        if not samples_dir.is_dir():
            raise CommandError(f"No sample photos at {samples_dir} (see --samples).")

        owner = self.photographer(options["email"], options["password"])
        taken = (
            ShareLink.objects.filter(token=token).select_related("gallery").first()
            if token
            else None
        )
        if taken and (taken.gallery.owner_id, taken.gallery.title) != (
            owner.pk,
            options["title"],
        ):
            raise CommandError(
                f"The token {token} already opens another gallery "
                f"({taken.gallery_id}); choose another or delete that link."
            )
        if options["fresh"]:
            self.delete_seeded(owner, options["title"])
        gallery = self.gallery(owner, options["title"], set_count)
        present = gallery.photos.count()
        if present > count:
            raise CommandError(
                f'"{gallery.title}" already has {present} photos, more than {count}. '
                "Add --fresh to start again."
            )
        if present < count:
            self.add_photos(gallery, present, count, samples_dir)
        if gallery.cover_id is None:
            first = gallery.photos.ready().order_by("position").first()
            services.gallery_set_cover(gallery=gallery, photo=first)
        link = self.link(gallery, token, options["link_password"])
        if options["branded"]:
            link = self.brand(owner, gallery, link)

        url = settings.SITE_URL + reverse("sharing:gallery", args=[link.token])
        verb = "Added" if present < count else "Reused"
        self.stdout.write(
            f"{verb}: {count} ready photos ({present} were there) in "
            f'"{gallery.title}" ({gallery.pk}) of {owner.email}.'
        )
        self.stdout.write(self.style.SUCCESS(url))

    # --- The photographer, the gallery, the link ----------------------------------------

    def photographer(self, email: str, password: str) -> User:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            chosen = password or secrets.token_urlsafe(12)
            try:
                user = user_create(
                    email=email,
                    password=chosen,
                    display_name="Demo Photographer",
                    studio_name="Demo Studio",
                )
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
            if not password:
                self.stdout.write(f"Created {email} with the password {chosen}")
        elif password and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        return user

    def delete_seeded(self, owner: User, title: str) -> None:
        # Files are deleted by a background task after the commit; run it here, now,
        # so a fresh seed does not leave a gallery's worth of files for a worker.
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        try:
            for gallery in Gallery.objects.filter(owner=owner, title=title):
                pk = gallery.pk
                services.gallery_delete(gallery=gallery)
                self.stdout.write(f"Deleted the seeded gallery {pk}.")
        finally:
            celery_app.conf.task_always_eager = eager

    def gallery(self, owner: User, title: str, set_count: int) -> Gallery:
        gallery = Gallery.objects.filter(owner=owner, title=title).first()
        if gallery is not None:
            return gallery
        gallery = services.gallery_create(
            owner=owner,
            title=title,
            event_date=datetime.date(2025, 6, 14),
            description="Villa del Balbianello, June 2025.",
        )
        first = gallery.sets.get()
        services.set_rename(photo_set=first, name=SET_NAMES[0])
        for position in range(1, set_count):
            name = (
                SET_NAMES[position]
                if position < len(SET_NAMES)
                else f"Set {position + 1}"
            )
            services.set_create(gallery=gallery, name=name)
        return gallery

    def link(self, gallery: Gallery, token: str, password: str) -> ShareLink:
        existing = (
            ShareLink.objects.filter(token=token).first()
            if token
            else gallery.share_links.filter(label=LINK_LABEL).first()
        )
        if existing is not None:
            if password and not existing.has_password:
                sharing_services.link_update(link=existing, password=password)
            return existing
        link = sharing_services.link_create(
            gallery=gallery,
            label=LINK_LABEL,
            password=password,
            downloads=ShareLink.Downloads.ORIGINAL,
            welcome_message=WELCOME,
        )
        if token:
            # Services mint tokens; a fixed one lets scripts find the seeded link again.
            ShareLink.objects.filter(pk=link.pk).update(token=token)
            link.token = token
        return link

    # --- The studio's brand (--branded) ------------------------------------------------

    def brand(self, owner: User, gallery: Gallery, link: ShareLink) -> ShareLink:
        """Brand the studio, put the gallery in German, watermark the link, and make
        every photo's watermarked renditions now (the worker would, later)."""
        brand_services.brand_update(
            owner=owner,
            accent=BRAND_ACCENT,
            typeface=Brand.Typeface.EDITORIAL,
            website=BRAND_WEBSITE,
            language=BRAND_LANGUAGE,
        )
        if not brand_services.brand_of(owner).logo:
            brand_services.logo_set(owner=owner, upload=logo_png(owner.public_name))
        services.gallery_update(gallery=gallery, language=BRAND_LANGUAGE)
        watermarks.watermark_update(
            owner=owner,
            kind=Watermark.Kind.TEXT,
            text=WATERMARK_TEXT,
            position=Watermark.Position.BOTTOM_RIGHT,
        )
        if not link.watermark:
            link = sharing_services.link_update(link=link, watermark=True)
        version = Watermark.objects.get(owner=owner).version
        missing = [
            str(pk)
            for pk in gallery.photos.ready()
            .exclude(watermark_version=version)
            .values_list("pk", flat=True)
        ]
        if missing:
            self.stdout.write(f"Watermarking {len(missing)} photos...")
        for start in range(0, len(missing), BATCH):
            watermarks.photos_watermark(photo_ids=missing[start : start + BATCH])
            self.stdout.write(f"  {min(start + BATCH, len(missing))} / {len(missing)}")
        return link

    # --- Photos -------------------------------------------------------------------------

    def add_photos(
        self, gallery: Gallery, present: int, count: int, samples_dir: Path
    ) -> None:
        wanted = min(len(SAMPLES), count - present)
        self.stdout.write(f"Rendering {wanted} sample photos...")
        prepared = [prepare(samples_dir, sample) for sample in SAMPLES[:wanted]]
        sets = list(gallery.sets.order_by("position", "name"))
        # The cameras' clocks, stored as Photo.taken_at keeps them (as if UTC).
        start = datetime.datetime(2025, 6, 14, 11, 0, tzinfo=datetime.UTC)
        position = gallery.photos.aggregate(last=Max("position"))["last"] or 0
        for first in range(present, count, BATCH):
            numbers = range(first, min(first + BATCH, count))
            photos, names = [], []
            try:
                for number in numbers:
                    sample = prepared[number % len(prepared)]
                    position += 1
                    photo = Photo(
                        gallery=gallery,
                        photo_set=sets[number * len(sets) // count],
                        original_filename=f"IMG_{number + 1:04d}.jpg",
                        position=position,
                        taken_at=start + datetime.timedelta(seconds=37 * number),
                    )
                    names += store(photo, sample, number)
                    photos.append(photo)
                with transaction.atomic():
                    storage_reserve(
                        user_id=gallery.owner_id, nbytes=sum(p.size for p in photos)
                    )
                    Photo.objects.bulk_create(photos)
            except QuotaExceeded as error:
                delete_files(names)
                raise CommandError(
                    f"{gallery.owner.email}'s storage is full after "
                    f"{numbers.start} photos; raise the quota in the admin or seed "
                    "fewer photos."
                ) from error
            except BaseException:
                delete_files(names)
                raise
            self.stdout.write(f"  {numbers.stop} / {count}")


# Rendering is the slow part: a process seeding twice (tests, benchmarks) does it once.
@lru_cache(maxsize=len(SAMPLES))
def prepare(samples_dir: Path, sample: Sample) -> Prepared:
    """Crop a sample to its shape as a JPEG original, and render it once."""
    path = samples_dir / sample.path
    info = imaging.inspect(path, max_pixels=settings.PHOTO_MAX_PIXELS)
    with Image.open(path) as source:
        picture = ImageOps.exif_transpose(source).convert("RGB")
    if sample.ratio:
        width, height = picture.size
        if width / height > sample.ratio:
            new_width = round(height * sample.ratio)
            left = (width - new_width) // 2
            picture = picture.crop((left, 0, left + new_width, height))
        else:
            new_height = round(width / sample.ratio)
            top = (height - new_height) // 2
            picture = picture.crop((0, top, width, top + new_height))
    picture.thumbnail((ORIGINAL_BOX, ORIGINAL_BOX), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=88, optimize=True)
    original = buffer.getvalue()
    rendered = imaging.render(
        io.BytesIO(original), max_pixels=settings.PHOTO_MAX_PIXELS
    )
    return Prepared(original=original, rendered=rendered, camera=info.camera or "")


def store(photo: Photo, sample: Prepared, number: int) -> list[str]:
    """Write one photo's original and renditions under its own folder; fill its fields.

    Returns the stored names, so a failed batch can take its files back.
    """
    original = unique_jpeg(sample.original, f"Proofsheet seed {number}")
    names = [default_storage.save(original_name(photo, ".jpg"), ContentFile(original))]
    photo.original = names[0]
    try:
        renditions = renditions_store(
            photo=photo, items=sample.rendered.items, replace=False
        )
    except Exception:
        delete_files(names)
        raise
    names += [r["name"] for r in renditions.values()]
    photo.size = len(original)
    photo.sha256 = hashlib.sha256(original).hexdigest()
    photo.crc32 = zlib.crc32(original)
    photo.mime_type = "image/jpeg"
    photo.status = Photo.Status.READY
    photo.width, photo.height = sample.rendered.width, sample.rendered.height
    photo.camera = sample.camera[:100]
    photo.renditions = renditions
    photo.renditions_size = sum(r["bytes"] for r in renditions.values())
    photo.placeholder = sample.rendered.placeholder
    photo.color = sample.rendered.color
    return names


def unique_jpeg(jpeg: bytes, comment: str) -> bytes:
    """The same picture with a JPEG comment right after the start marker: other bytes,
    so each seeded original has its own checksum."""
    text = comment.encode()
    segment = b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text
    return jpeg[:2] + segment + jpeg[2:]


def logo_png(name: str) -> io.BytesIO:
    """A studio's logo, drawn: a ring with the initial beside the name, on transparency."""
    height, scale = 120, 4
    font = ImageFont.load_default(size=44 * scale)
    text_width = round(font.getlength(name) / scale)
    size = ((height + 24 + text_width + 16) * scale, height * scale)
    picture = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    ink = (40, 32, 28, 255)
    pad = 10 * scale
    draw.ellipse(
        (pad, pad, height * scale - pad, height * scale - pad),
        outline=ink,
        width=6 * scale,
    )
    centre = height * scale / 2
    draw.text((centre, centre), name[:1].upper(), font=font, fill=ink, anchor="mm")
    draw.text(((height + 24) * scale, centre), name, font=font, fill=ink, anchor="lm")
    picture = picture.resize(
        (size[0] // scale, size[1] // scale), Image.Resampling.LANCZOS
    )
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "logo.png"
    return buffer

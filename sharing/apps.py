from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"

    def ready(self):
        # Registers the deploy checks and the gallery page's sharing panel, and tells
        # galleries which galleries the studio watermark's renditions are made for.
        from galleries import watermark_demand
        from sharing import checks, gallery_page  # noqa: F401
        from sharing.models import ShareLink

        watermark_demand.shown_by(ShareLink.objects.watermarked_galleries)

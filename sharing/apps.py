from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"

    def ready(self):
        # Registers the deploy checks and the gallery page's sharing panel.
        from sharing import checks, gallery_page  # noqa: F401

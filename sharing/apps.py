from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"

    def ready(self):
        from sharing import checks  # noqa: F401  (registers the deploy checks)

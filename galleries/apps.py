from django.apps import AppConfig


class GalleriesConfig(AppConfig):
    name = "galleries"

    def ready(self) -> None:
        from galleries import receivers  # noqa: F401  (connects the signal receivers)

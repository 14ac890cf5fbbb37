from django.apps import AppConfig


class GalleriesConfig(AppConfig):
    name = "galleries"

    def ready(self) -> None:
        # Connect the signal receivers, and register the tasks that services queue by
        # name (galleries/queueing.py): a web process may never import them otherwise.
        from galleries import receivers, tasks  # noqa: F401

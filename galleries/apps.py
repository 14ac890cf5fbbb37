from django.apps import AppConfig


class GalleriesConfig(AppConfig):
    name = "galleries"

    def ready(self) -> None:
        # Connect the signal receivers, and register the tasks that services queue by
        # name (galleries/queueing.py): a web process may never import them otherwise.
        # The photo pipeline's gauges, counted when /metrics is read.
        from config.metrics import add_scrape_collector
        from galleries import receivers, tasks  # noqa: F401
        from galleries.metrics import PhotoPipelineCollector

        add_scrape_collector(PhotoPipelineCollector())

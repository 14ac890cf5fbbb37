"""Metrics for operators, in Prometheus' text format at `/metrics` (prometheus-client).

Not public: with no `METRICS_TOKEN` set, `/metrics` answers 404 as if it did not exist;
with one, it answers only a request with `Authorization: Bearer <METRICS_TOKEN>`
(401 otherwise). Labels are route names and operation names, never paths or tokens.

Several processes: every process of a machine (gunicorn's workers, the ZIP pool's,
Celery's) writes its values in files under `METRICS_DIR` (prometheus-client's
multiprocess mode, in a folder per host name, so containers sharing one volume never
write the same file), and `/metrics` on any of them sums them all. Gauges that are
facts of the whole site (photos waiting, the task queue) are computed when scraped,
by collectors the apps register here (`add_scrape_collector`).

What is recorded where: requests by django-prometheus' middleware, cache errors in
config/cache.py, rendition time and storage errors in galleries (processing.py,
filestore.py), ZIP bytes in sharing/zips.py. Each metric is defined here, in the
lowest layer, so every layer above may record into it.
"""

import hmac
import logging
import os
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

# --- What is recorded -----------------------------------------------------------------

RENDITION_SECONDS = Histogram(
    "proofsheet_rendition_seconds",
    "Time to make one photo's whole set of renditions (decode, resize, encode).",
    buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128),
)
STORAGE_ERRORS = Counter(
    "proofsheet_storage_errors",
    "Requests to the object store (S3) that failed: no answer, or a 5xx answer.",
    ["operation"],
)
CACHE_ERRORS = Counter(
    "proofsheet_cache_errors",
    "Cache operations that found Redis unreachable (answered as an empty cache).",
    ["operation"],
)
ZIP_BYTES = Counter(
    "proofsheet_zip_bytes_streamed",
    "Bytes of ZIP downloads sent to visitors.",
)

# --- Gauges computed when scraped ------------------------------------------------------

_scrape_collectors: list = []


def add_scrape_collector(collector) -> None:
    """Have `collector.collect()` called on every scrape (site-wide facts, not counted
    by any one process). Its failures are logged and skipped, never a failed scrape."""
    if collector not in _scrape_collectors:
        _scrape_collectors.append(collector)


class _Guarded:
    def __init__(self, collector):
        self.collector = collector

    def collect(self):
        try:
            return list(self.collector.collect())
        except Exception:  # a database or broker that is down: the rest still counts
            logger.warning("metrics collector %r failed", self.collector, exc_info=True)
            return []


def queue_depth() -> int | None:
    """Messages waiting in the task queue: the length of Celery's default queue on a
    Redis broker; on the embedded default, the message files in its queue folder.
    None for any other broker."""
    broker = settings.CELERY_BROKER_URL
    queue = "celery"
    if broker == "filesystem://":
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        return sum(1 for name in os.listdir(folder) if name.endswith(f".{queue}.msg"))
    if broker.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(
            broker, socket_connect_timeout=0.5, socket_timeout=0.5
        )
        try:
            # Kombu keeps a queue's priorities in lists of their own: name, then
            # name + "\x06\x16" + step for steps 3, 6 and 9.
            keys = [queue, *(f"{queue}\x06\x16{step}" for step in (3, 6, 9))]
            pipe = client.pipeline(transaction=False)
            for key in keys:
                pipe.llen(key)
            return sum(pipe.execute())
        finally:
            client.close()
    return None


class QueueCollector:
    def collect(self):
        depth = queue_depth()
        if depth is not None:
            yield GaugeMetricFamily(
                "proofsheet_task_queue_depth",
                "Tasks waiting in the broker for a worker.",
                value=depth,
            )


add_scrape_collector(QueueCollector())

# --- Reading them --------------------------------------------------------------------


class _MachineCollector:
    """Every process's values under METRICS_DIR, summed (one folder per host)."""

    def __init__(self, root: Path):
        self.root = root

    def collect(self):
        files = sorted(str(path) for path in self.root.glob("*/*.db"))
        return MultiProcessCollector.merge(files, accumulate=True)


class _Registry:
    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        return self.registry.collect()


def exposition() -> bytes:
    """The metrics, in Prometheus' text format."""
    registry = CollectorRegistry(auto_describe=False)
    if settings.METRICS_DIR:
        registry.register(_MachineCollector(Path(settings.METRICS_DIR)))
    elif os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_Registry(REGISTRY))
    for collector in _scrape_collectors:
        registry.register(_Guarded(collector))
    return generate_latest(registry)


def _authorized(request) -> bool:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        token.strip().encode(), settings.METRICS_TOKEN.encode()
    )


@require_GET
def metrics(request):
    if not settings.METRICS_TOKEN:
        raise Http404
    if not _authorized(request):
        response = HttpResponse("A bearer token is required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response

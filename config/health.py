"""/healthz: is this machine able to serve? Load balancers and orchestrators ask.

HTTP 503 ("error") when the database or the storage fails: no page can be served
without them. HTTP 200 ("degraded") when only the broker or the cache fails: pages and
the API still answer (new photos wait for the broker to be processed, the cache's
work is done without it), and a load balancer taking every machine out of service
for an outage they all share would turn a degraded site into a dead one. Each failing
check is named, with its error, in "checks".
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from config.celery import app as celery_app

logger = logging.getLogger(__name__)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_storage() -> None:
    # A real round trip: write, read back, delete. Listing alone would not prove writes.
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise OSError("storage returned different bytes")
    finally:
        default_storage.delete(name)


def _check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)


def _check_cache() -> None:
    # The cache fails soft (config/cache.py), so a failure shows as a value not kept.
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    try:
        if cache.get(key) != "ok":
            raise ConnectionError("the cache is unreachable: it kept nothing")
    finally:
        cache.delete(key)


CHECKS = {
    "database": _check_database,
    "storage": _check_storage,
    "broker": _check_broker,
    "cache": _check_cache,
}
# Without these nothing can be served; without the others the site is degraded.
ESSENTIAL = {"database", "storage"}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
            logger.warning("health check %s failed: %s", name, error)
            results[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    failed = {name for name, result in results.items() if not result["ok"]}
    status = "error" if failed & ESSENTIAL else "degraded" if failed else "ok"
    return JsonResponse(
        {"status": status, "checks": results},
        status=503 if status == "error" else 200,
    )

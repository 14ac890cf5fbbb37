"""The shared cache (Redis) fails soft: while it is unreachable, reads miss and writes
are dropped, so every page and API answer that does not need the cache's contents
keeps working, only slower where it would have read a cached value.

What that means for each user of the cache while Redis is down:

- the share API's rate limit (DRF's throttle) sees no history: not limited;
- presigned photo URLs (galleries/signed_urls.py) are signed by each process, not shared;
- wrong share-link passwords (sharing/password_attempts.py) are not counted, so they
  are neither refused nor paced: guessing fails open for the outage. That is the
  price of never refusing a guest the right password because Redis is away; login
  limits (django-axes) and sessions live in the database and are unaffected.

A dead Redis must cost milliseconds: connecting and reading give up after a short
timeout, and after a failure this process does not try again for
`RETRY_SECONDS`, answering from "nothing cached" at once. One warning is logged
when an outage starts and one line when the cache answers again; every failed
operation counts in `proofsheet_cache_errors_total` (config/metrics.py).
"""

import functools
import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from config.metrics import CACHE_ERRORS

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_SECONDS = 5.0
CONNECT_TIMEOUT = 0.25
READ_TIMEOUT = 0.5


class _Outages:
    """Which cache servers are unreachable, shared by every thread of the process
    (Django keeps one cache object per thread, so one warning per outage needs this)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._retry_at: dict[str, float] = {}

    def skipping(self, server: str) -> bool:
        retry_at = self._retry_at.get(server)
        return retry_at is not None and time.monotonic() < retry_at

    def failed(self, server: str, error: Exception) -> None:
        with self._lock:
            started = server not in self._retry_at
            self._retry_at[server] = time.monotonic() + RETRY_SECONDS
        if started:
            logger.warning(
                "cache %s is unreachable (%s: %s): serving without it until it is back",
                server,
                type(error).__name__,
                error,
            )

    def clear(self) -> None:
        with self._lock:
            self._retry_at.clear()

    def answered(self, server: str) -> None:
        if server not in self._retry_at:
            return
        with self._lock:
            ended = self._retry_at.pop(server, None) is not None
        if ended:
            logger.warning("cache %s answers again", server)


outages = _Outages()


def _fail_soft(fallback):
    """Run the cache operation; if Redis is unreachable, answer `fallback(*args)`."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if outages.skipping(self._server_name):
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except UNREACHABLE as error:
                CACHE_ERRORS.labels(operation=method.__name__).inc()
                outages.failed(self._server_name, error)
                return fallback(*args, **kwargs)
            outages.answered(self._server_name)
            return result

        return wrapper

    return decorate


def _missing(*args, **kwargs):
    # What incr() says of a key that is not there: the cache is empty while it is away.
    raise ValueError("the cache is unreachable: nothing to increment")


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache, with short timeouts, that behaves as an empty cache which
    keeps nothing while Redis cannot be reached."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        params["OPTIONS"].setdefault("socket_connect_timeout", CONNECT_TIMEOUT)
        params["OPTIONS"].setdefault("socket_timeout", READ_TIMEOUT)
        super().__init__(server, params)
        self._server_name = ",".join(self._servers)

    @_fail_soft(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_fail_soft(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_fail_soft(lambda key, version=None: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_fail_soft(lambda *args, **kwargs: False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_fail_soft(lambda *args, **kwargs: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_fail_soft(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_fail_soft(lambda *args, **kwargs: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_fail_soft(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_fail_soft(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_fail_soft(_missing)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_fail_soft(lambda *args, **kwargs: None)
    def clear(self):
        return super().clear()

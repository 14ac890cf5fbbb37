"""Deployment checks for what sharing needs of the platform.

Wrong-password limits (`sharing.password_attempts`) and the share API's rate limits
live in the default cache: with a cache local to each process, every web process
keeps its own counts, and a guesser gets as many tries as there are processes.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, Tags.caches, deploy=True)
def shared_cache_for_password_limits(app_configs=None, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            "The default cache is local to each process, so every web process "
            "counts wrong share-link passwords on its own.",
            hint="Set REDIS_URL (or CACHE_URL) to a cache all web processes share.",
            id="sharing.W001",
        )
    ]

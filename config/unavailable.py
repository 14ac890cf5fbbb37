"""A service that is down is a 503, not a 500: the visitor is told to come back soon
(Retry-After), the API answers its usual error shape, and the log says which service.

The database, the storage (S3) and the broker fail by raising their connection errors
wherever they are used. `ServiceUnavailableMiddleware` turns them into the answer
when a view raises them; DRF views answer through `ProofsheetExceptionHandler`
(config/api_errors.py) and whatever fails outside a view (a middleware reading the
session) through the 500 handler, both of which ask `down_service` too.

The page (templates/503.html) needs nothing but its template and the stylesheet: no
database, no request context.
"""

import logging

from botocore.exceptions import ConnectionError as StorageConnectionError
from botocore.exceptions import HTTPClientError as StorageHTTPError
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework import exceptions

from config.api_bodies import api_error, is_api

logger = logging.getLogger(__name__)

RETRY_AFTER = 30  # seconds: what a restart or a failover takes

SERVICES = (
    ("database", (OperationalError, InterfaceError)),
    ("storage", (StorageConnectionError, StorageHTTPError)),
    ("broker", (BrokerError, RedisConnectionError, RedisTimeoutError)),
)


def down_service(exc: BaseException | None) -> str | None:
    """Which service `exc` says is unreachable ("database", "storage", "broker")."""
    for service, errors in SERVICES:
        if isinstance(exc, errors):
            return service
    return None


class ServiceUnavailable(exceptions.APIException):
    status_code = 503
    default_code = "service_unavailable"
    default_detail = (
        "The service is temporarily unavailable. Please try again in a few moments."
    )
    wait = RETRY_AFTER  # DRF's exception handler sends it as Retry-After


def response(request: HttpRequest, exc: BaseException, service: str) -> HttpResponse:
    """The 503 for `request`: JSON under /api/, the styled page elsewhere."""
    logger.warning(
        "%s unavailable for %s %s: %s: %s",
        service,
        request.method,
        request.path,
        type(exc).__name__,
        exc,
    )
    if is_api(request):
        answer = api_error(request, ServiceUnavailable())
    else:
        answer = HttpResponse(loader.render_to_string("503.html"), status=503)
    answer["Retry-After"] = str(RETRY_AFTER)
    return answer


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        service = down_service(exception)
        if service is None:
            return None
        return response(request, exception, service)

"""The API's answers made outside a DRF view (Django's error handlers, the 503 for a
service that is down): which requests are the API's, and the error body exactly as a
DRF view would format it (config/api_errors.py configures that format)."""

from django.http import HttpRequest, JsonResponse
from drf_standardized_errors.formatter import ExceptionFormatter
from rest_framework import exceptions

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(request: HttpRequest, exc: exceptions.APIException) -> JsonResponse:
    """`exc` as the API's error body, formatted exactly as a DRF view would."""
    body = ExceptionFormatter(exc, {"request": request, "view": None}, exc).run()
    return JsonResponse(body, status=exc.status_code)

"""One error shape for the whole API, whichever layer raised the error.

DRF views answer through `ProofsheetExceptionHandler` (drf-standardized-errors). What
happens before a DRF view runs, or outside one, answers through Django's error
handlers, which config/urls.py points here: under /api/ they answer the same JSON
shape (a URL that matches no pattern, e.g. a malformed id, is a JSON 404); anywhere
else they are the site's styled pages. With DEBUG on, Django shows its own technical
404 and 500 pages instead, as for every page.

`postprocess_schema` makes the OpenAPI schema describe these bodies as they really are.
"""

import re
import sys

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.views import defaults
from drf_spectacular.plumbing import is_serializer
from drf_standardized_errors.handler import ExceptionHandler
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsSchema
from drf_standardized_errors.openapi_serializers import (
    ClientErrorEnum,
)
from drf_standardized_errors.openapi_serializers import (
    ErrorCode401Enum as StandardizedErrorCode401Enum,
)
from drf_standardized_errors.openapi_utils import (
    get_flat_serializer_fields,
    get_serializer_fields_with_error_codes,
)
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from drf_standardized_errors.settings import package_settings
from rest_framework import exceptions, serializers
from rest_framework.fields import get_error_detail
from rest_framework_simplejwt.exceptions import DetailDictMixin

from config import unavailable
from config.api_bodies import api_error, is_api


class ProofsheetExceptionHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        # Services validate with Django's ValidationError, so pages and API share
        # rules; here it becomes the API's 400 with field errors.
        if isinstance(exc, DjangoValidationError):
            return exceptions.ValidationError(get_error_detail(exc))
        if isinstance(exc, DetailDictMixin):
            return _one_error(exc)
        if unavailable.down_service(exc):
            return unavailable.ServiceUnavailable()
        return super().convert_known_exceptions(exc)


def _one_error(exc: exceptions.APIException) -> exceptions.APIException:
    """simplejwt's 401s carry a dict ({"detail", "code", "messages": [...]}) that
    would answer one error per key; the API answers one error, its reason the
    first message ("Token is expired") when there is one."""
    detail = exc.detail
    messages = detail.get("messages") or [{}]
    message = messages[0].get("message") or detail.get("detail") or exc.default_detail
    flat = exceptions.APIException(str(message), code=exc.default_code)
    flat.status_code = exc.status_code
    flat.auth_header = getattr(exc, "auth_header", None)
    return flat


# --- Django's error handlers (config/urls.py) ----------------------------------------


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    # E.g. a request Django refuses before any view (too many fields, a bad Host).
    if is_api(request):
        return api_error(request, exceptions.ParseError("Bad Request (400)"))
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return api_error(request, exceptions.PermissionDenied())
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    # Mostly a URL that matches no pattern: an unknown path or a malformed id.
    if is_api(request):
        return api_error(request, exceptions.NotFound())
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception, which says whether a service
    # is down (e.g. the database, when a middleware read the session).
    exc = sys.exc_info()[1]
    if service := unavailable.down_service(exc):
        return unavailable.response(request, exc, service)
    if is_api(request):
        # The same generic message as DRF views: nothing of the failure leaks.
        return api_error(request, exceptions.APIException("Server Error (500)"))
    return defaults.server_error(request)


# --- Documenting the errors -----------------------------------------------------------


class ErrorCode401Enum(models.TextChoices):
    """drf-standardized-errors' 401 codes, and simplejwt's for a bad token (expired,
    malformed, signed out): what any authenticated operation may answer."""

    AUTHENTICATION_FAILED = StandardizedErrorCode401Enum.AUTHENTICATION_FAILED
    NOT_AUTHENTICATED = StandardizedErrorCode401Enum.NOT_AUTHENTICATED
    TOKEN_NOT_VALID = "token_not_valid"


class Error401Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ErrorCode401Enum.choices)
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse401Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error401Serializer(many=True)


class AutoSchema(StandardizedErrorsSchema):
    """drf-standardized-errors' schema, which also copes with a request documented
    by media type (e.g. raw bytes): only the serializers in it have field errors."""

    def _determine_fields_with_error_codes(self):
        request = self.get_request_serializer()
        if self.method in ("PUT", "PATCH", "POST") and isinstance(request, dict):
            fields = []
            for serializer in filter(is_serializer, request.values()):
                fields += get_flat_serializer_fields(serializer)
            return get_serializer_fields_with_error_codes(fields)
        return super()._determine_fields_with_error_codes()


def extend_query_errors(query_serializer, **scope):
    """Document the 400 a view answers when `query_serializer` refuses its query
    string (drf-standardized-errors only does so for django-filter): each field
    with the codes its validation can answer. `scope`: actions=, methods=."""

    def decorate(view):
        fields = get_flat_serializer_fields(query_serializer())
        for field in get_serializer_fields_with_error_codes(fields):
            if field.name != "non_field_errors":
                extend_validation_errors(
                    sorted(field.error_codes), field_name=field.name, **scope
                )(view)
        return view

    return decorate


def postprocess_schema(result, generator, request, public):
    """drf-spectacular hook, after drf-standardized-errors' own.

    Errors of list items name the item: `ids.0`, `parts.1.etag`. The schema lists
    them as `ids.INDEX`, which no response ever says; each becomes a pattern that
    matches what responses say, and an error union listing one can no longer use
    `attr` as its discriminator (a mapping cannot enumerate every index).
    """
    index = package_settings.LIST_INDEX_IN_API_SCHEMA
    separator = re.escape(package_settings.NESTED_FIELD_SEPARATOR)
    schemas = result.get("components", {}).get("schemas", {})
    suffix = package_settings.ERROR_COMPONENT_NAME_SUFFIX
    for name, schema in schemas.items():
        if not name.endswith(suffix):
            continue
        attr = schema.get("properties", {}).get("attr", {})
        names = attr.get("enum") or []
        if len(names) != 1 or not isinstance(names[0], str):
            continue
        parts = names[0].split(package_settings.NESTED_FIELD_SEPARATOR)
        if index not in parts:
            continue
        pattern = separator.join(
            "[0-9]+" if part == index else re.escape(part) for part in parts
        )
        attr.pop("enum")
        attr["pattern"] = f"^{pattern}$"
        attr["description"] = (
            f"`{names[0]}`, where {index} is the item's position in the list, from 0."
        )
    for schema in schemas.values():
        discriminator = schema.get("discriminator") or {}
        mapping = discriminator.get("mapping") or {}
        if discriminator.get("propertyName") == "attr" and any(
            index in str(name).split(package_settings.NESTED_FIELD_SEPARATOR)
            for name in mapping
        ):
            del schema["discriminator"]
    return result

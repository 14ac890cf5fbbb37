"""One error shape for the whole API, whichever layer raised the error."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions
from rest_framework.fields import get_error_detail


class ProofsheetExceptionHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        # Services validate with Django's ValidationError, so pages and API share
        # rules; here it becomes the API's 400 with field errors.
        if isinstance(exc, DjangoValidationError):
            return exceptions.ValidationError(get_error_detail(exc))
        return super().convert_known_exceptions(exc)

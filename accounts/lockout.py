"""What a visitor sees when brute-force protection refuses a login."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        "Too many failed login attempts. For your security, logging in is paused for "
        f"{minutes} minutes. You can reset your password meanwhile."
    )


def lockout_json() -> JsonResponse:
    """The API's 429 body, in the same shape as every other API error."""
    response = JsonResponse(
        {
            "type": "client_error",
            "errors": [
                {"code": "throttled", "detail": lockout_message(), "attr": None}
            ],
        },
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return lockout_json()
    response = render(
        request,
        "accounts/lockout.html",
        {"message": lockout_message()},
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response

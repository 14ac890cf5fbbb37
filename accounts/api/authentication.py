"""simplejwt's bearer-token authentication, refusing in the API's documented codes."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import InvalidToken


class JWTAuthentication(authentication.JWTAuthentication):
    def get_user(self, validated_token):
        # A token whose account was deleted or disabled, or whose password changed
        # since it was issued, is a token that is no longer valid (401
        # "token_not_valid"), as an expired one is.
        try:
            return super().get_user(validated_token)
        except AuthenticationFailed as error:
            raise InvalidToken(str(error.detail)) from error


class JWTScheme(SimpleJWTScheme):
    """The OpenAPI security scheme: drf-spectacular knows only simplejwt's class."""

    target_class = "accounts.api.authentication.JWTAuthentication"

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView
from rest_framework_simplejwt.views import TokenRefreshView as JWTRefreshView

from accounts import services
from accounts.api import serializers
from accounts.lockout import lockout_message

TOKEN_ERRORS = {401: serializers.TokenErrorSerializer}


@extend_schema(responses={200: serializers.TokenPairSerializer, **TOKEN_ERRORS})
class TokenRefreshView(JWTRefreshView):
    """Exchange a refresh token for a new pair (the old refresh token is spent)."""

    serializer_class = serializers.TokenRefreshSerializer


class TokenObtainView(TokenObtainPairView):
    """Exchange email and password for an access and a refresh token."""

    serializer_class = serializers.TokenObtainPairSerializer

    @extend_schema(
        responses={
            200: serializers.TokenPairSerializer,
            **TOKEN_ERRORS,
            429: serializers.TokenErrorSerializer,
        }
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        try:
            return super().post(request, *args, **kwargs)
        except AuthenticationFailed:
            # django-axes flags the DRF request it was handed; the middleware, which
            # sees only Django's request, cannot, so the API answers 429 itself.
            if getattr(request, "axes_locked_out", False):
                raise Throttled(
                    wait=settings.AXES_COOLOFF_TIME.total_seconds(),
                    detail=lockout_message(),
                ) from None
            raise


class RegisterView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "register"

    @extend_schema(
        request=serializers.RegisterSerializer,
        responses={201: serializers.RegisterResponseSerializer},
        summary="Create a photographer account",
    )
    def post(self, request: Request) -> Response:
        payload = serializers.RegisterSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            user = services.user_create(**payload.validated_data)
        except ValidationError as error:
            serializers.raise_as_drf(error)
        refresh = RefreshToken.for_user(user)
        body = {
            "user": serializers.UserSerializer(user).data,
            "tokens": {"access": str(refresh.access_token), "refresh": str(refresh)},
        }
        return Response(body, status=status.HTTP_201_CREATED)


class LogoutView(APIView):
    """Blacklist a refresh token, so it can never mint access tokens again."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=serializers.LogoutSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        payload = serializers.LogoutSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            RefreshToken(payload.validated_data["refresh"]).blacklist()
        except TokenError as error:
            raise AuthenticationFailed(str(error), code="token_not_valid") from error
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(generics.RetrieveUpdateAPIView):
    """The logged-in photographer's own account."""

    serializer_class = serializers.UserSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer: serializers.UserSerializer) -> None:
        try:
            services.user_update(user=self.request.user, **serializer.validated_data)
        except ValidationError as error:
            serializers.raise_as_drf(error)


class PasswordChangeView(APIView):
    """Change your password. Every refresh and access token issued before, this
    caller's too, stops working: log in again with the new password. A browser
    session making the call stays logged in; every other session ends."""

    @extend_schema(request=serializers.PasswordChangeSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        payload = serializers.PasswordChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            services.user_change_password(user=request.user, **payload.validated_data)
        except ValidationError as error:
            if "password" in error.message_dict:
                error = ValidationError(
                    {"new_password": error.message_dict["password"]}
                )
            serializers.raise_as_drf(error)
        if isinstance(request.successful_authenticator, SessionAuthentication):
            update_session_auth_hash(request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccountDeleteView(APIView):
    @extend_schema(
        request=serializers.AccountDeleteSerializer,
        responses={204: None},
        summary="Delete your account with all its galleries and photos",
    )
    def post(self, request: Request) -> Response:
        payload = serializers.AccountDeleteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            services.user_delete(user=request.user, **payload.validated_data)
        except ValidationError as error:
            serializers.raise_as_drf(error)
        return Response(status=status.HTTP_204_NO_CONTENT)

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import get_error_detail
from rest_framework_simplejwt import serializers as jwt_serializers

from accounts.login_limits import forget_successful_login
from accounts.models import User


def raise_as_drf(error: DjangoValidationError):
    """A service's field errors become the API's 400 field errors."""
    raise serializers.ValidationError(get_error_detail(error)) from error


class UserSerializer(serializers.ModelSerializer):
    storage_available = serializers.IntegerField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "display_name",
            "studio_name",
            "storage_quota",
            "storage_used",
            "storage_available",
            "date_joined",
        ]
        read_only_fields = ["id", "storage_quota", "storage_used", "date_joined"]
        # Uniqueness is the service's rule (case-insensitive, one message everywhere).
        extra_kwargs = {"email": {"validators": []}}


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    display_name = serializers.CharField(max_length=150, required=False, default="")
    studio_name = serializers.CharField(max_length=150, required=False, default="")


class TokenErrorItemSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text='"no_active_account" (wrong email or password), "token_not_valid"'
        ' (a refresh token expired, blacklisted or malformed), "throttled" (locked out).'
    )
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class TokenErrorSerializer(serializers.Serializer):
    """Why no token was given: the API's one error shape."""

    type = serializers.CharField(help_text='"client_error"')
    errors = TokenErrorItemSerializer(many=True)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class RegisterResponseSerializer(serializers.Serializer):
    user = UserSerializer()
    tokens = TokenPairSerializer()


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(write_only=True)
    new_password = serializers.CharField(write_only=True)


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class AccountDeleteSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True)


class TokenObtainPairSerializer(jwt_serializers.TokenObtainPairSerializer):
    def validate(self, attrs):
        data = super().validate(attrs)
        # As a page login does: this client's failed attempts are forgotten.
        forget_successful_login(self.context["request"], self.user)
        return data

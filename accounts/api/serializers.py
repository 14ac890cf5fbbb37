from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.fields import get_error_detail
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from accounts.login_limits import forget_successful_login
from accounts.models import User


def raise_as_drf(error: DjangoValidationError):
    """A service's field errors become the API's 400 field errors."""
    raise serializers.ValidationError(get_error_detail(error)) from error


class UserSerializer(serializers.ModelSerializer):
    storage_available = serializers.IntegerField(read_only=True)
    current_password = serializers.CharField(
        write_only=True,
        required=False,
        style={"input_type": "password"},
        help_text="Your password: needed to change your email address.",
    )

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
            "current_password",
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
        help_text='"no_active_account" (wrong email or password; or the refresh'
        ' token\'s account was deleted or disabled), "token_not_valid" (a refresh'
        " token expired, blacklisted, malformed or older than the account's"
        ' password), "throttled" (locked out).'
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


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    def validate(self, attrs):
        # simplejwt's own fails (500) when the token's account is gone, and does not
        # look at the password digest the token carries (CHECK_REVOKE_TOKEN).
        token = self.token_class(attrs["refresh"])
        user_id = token.payload.get(jwt_settings.USER_ID_CLAIM)
        try:
            user = User.objects.filter(**{jwt_settings.USER_ID_FIELD: user_id}).first()
        except (TypeError, ValueError):
            user = None
        if user is None or not jwt_settings.USER_AUTHENTICATION_RULE(user):
            raise AuthenticationFailed(
                self.error_messages["no_active_account"], "no_active_account"
            )
        if token.payload.get(jwt_settings.REVOKE_TOKEN_CLAIM) != (
            get_md5_hash_password(user.password)
        ):
            raise InvalidToken("The password was changed since this token was issued.")
        return super().validate(attrs)

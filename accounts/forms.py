from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import User


class ServiceFormMixin:
    """Turns a service's ValidationError into errors on the form's own fields."""

    def add_service_error(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class SignupForm(ServiceFormMixin, forms.Form):
    display_name = forms.CharField(
        label="Your name",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    studio_name = forms.CharField(
        label="Studio name",
        max_length=150,
        required=False,
        help_text="Shown to your clients on the galleries you share.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        strip=False,
        help_text="At least 10 characters, not a common password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def save(self) -> User | None:
        try:
            return services.user_create(**self.cleaned_data)
        except ValidationError as error:
            self.add_service_error(error)
            return None


class LoginForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Email",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": "That email and password do not match an account.",
        "inactive": "This account is disabled.",
    }


class ProfileForm(ServiceFormMixin, forms.Form):
    display_name = forms.CharField(label="Your name", max_length=150, required=False)
    studio_name = forms.CharField(
        label="Studio name",
        max_length=150,
        required=False,
        help_text="Shown to your clients on the galleries you share.",
    )
    email = forms.EmailField()
    activity_digest = forms.BooleanField(
        label="Email me a daily digest of what clients did in each gallery",
        required=False,
    )
    current_password = forms.CharField(
        label="Current password",
        required=False,
        strip=False,
        help_text="Needed only to change your email address.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs.setdefault(
            "initial",
            {
                "display_name": user.display_name,
                "studio_name": user.studio_name,
                "email": user.email,
                "activity_digest": user.activity_digest,
            },
        )
        super().__init__(*args, **kwargs)

    def save(self) -> bool:
        try:
            services.user_update(user=self.user, **self.cleaned_data)
        except ValidationError as error:
            self.add_service_error(error)
            return False
        return True


class DeleteAccountForm(ServiceFormMixin, forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my galleries, photos and share links will be deleted for good."
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def save(self) -> bool:
        try:
            services.user_delete(user=self.user, password=self.cleaned_data["password"])
        except ValidationError as error:
            self.add_service_error(error)
            return False
        return True

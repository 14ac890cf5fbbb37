"""The photographer's share link form. It only reads input; services make the change."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from galleries.models import Gallery
from sharing import reminders, services
from sharing.models import ShareLink


class LinkForm(forms.Form):
    label = forms.CharField(
        max_length=100,
        error_messages={"required": "Give the link a name, e.g. “Couple”."},
        help_text="Who the link is for, e.g. “Couple”, “Guests” or “Planner”. "
        "Visitors don't see it.",
    )
    password = forms.CharField(
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Visitors type it once per browser session.",
    )
    remove_password = forms.BooleanField(
        required=False,
        label="Remove the password",
        help_text="Anyone with the link can open the gallery again.",
    )
    expires_on = forms.DateField(
        required=False,
        label="Expires on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The link works until the end of this day. Leave empty to keep it open.",
    )
    expiry_reminders = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Remind recipients before the link expires"),
        help_text=_(
            "Invited and registered visitors who have not downloaded anything or "
            "sent a list get an email. Needs an expiry date."
        ),
    )
    reminder_days = forms.CharField(
        required=False,
        max_length=100,
        initial="7, 1",
        label=_("Days before expiry"),
        help_text=_(
            "e.g. “7, 1”: a week before and the day before (1 to 60 days, commas "
            "between)."
        ),
    )
    is_active = forms.BooleanField(
        required=False,
        initial=True,
        label="Link is active",
        help_text="A disabled link shows visitors a “not found” page.",
    )
    sets = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Sets shown",
        help_text="Tick none to show every set, including sets you add later.",
    )
    downloads = forms.ChoiceField(
        choices=ShareLink.Downloads.choices,
        initial=ShareLink.Downloads.WEB,
        widget=forms.RadioSelect,
        label="Downloads",
    )
    favourites_enabled = forms.BooleanField(
        required=False,
        initial=True,
        label="Visitors can choose favourites",
        help_text="They heart photos and send you the list.",
    )
    favourites_limit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100_000,
        label="Favourites limit",
        help_text="“Choose up to 40”. Leave empty for no limit.",
    )
    favourites_require_email = forms.BooleanField(
        required=False,
        label="Ask for an email address with each list",
        help_text="Visitors then get a private link to carry on from another device.",
    )
    registration = forms.ChoiceField(
        choices=ShareLink.Registration.choices,
        initial=ShareLink.Registration.OFF,
        required=False,
        widget=forms.RadioSelect,
        label=_("Ask visitors for their email"),
        help_text=_(
            "Registered visitors appear in the link's activity, with what they did."
        ),
    )
    watermark = forms.BooleanField(
        required=False,
        label=_("Watermark the photos"),
        help_text=_(
            "Your studio watermark on the lightbox, the cover and web-size "
            "downloads. Originals, if this link allows them, are sent as you "
            "uploaded them."
        ),
    )
    watermark_thumbnails = forms.BooleanField(
        required=False,
        label=_("Watermark the grid's thumbnails too"),
    )
    welcome_message = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Welcome message",
        help_text="Shown above the photos, e.g. “Here are your photos — enjoy!”",
    )

    def __init__(self, *args, gallery: Gallery, link: ShareLink | None = None, **kw):
        self.gallery = gallery
        self.link = link
        if link is not None:
            kw.setdefault("initial", self.initial_for(link))
        super().__init__(*args, **kw)
        self.fields["sets"].queryset = gallery.sets.all()
        self.fields["sets"].label_from_instance = lambda s: s.name
        if link is not None and link.has_password:
            self.fields["password"].label = "New password"
            self.fields["password"].help_text = (
                "This link has a password. Leave empty to keep it. A new password "
                "signs out everyone who unlocked the gallery with the old one."
            )
        else:
            # Nothing to remove on a link without a password.
            del self.fields["remove_password"]

    @staticmethod
    def initial_for(link: ShareLink) -> dict:
        expires = link.expires_at
        return {
            "label": link.label,
            "expires_on": timezone.localtime(expires).date() if expires else None,
            "is_active": link.is_active,
            "sets": list(link.sets.all()),
            "downloads": link.downloads,
            "favourites_enabled": link.favourites_enabled,
            "favourites_limit": link.favourites_limit,
            "favourites_require_email": link.favourites_require_email,
            "registration": link.registration,
            "welcome_message": link.welcome_message,
            "expiry_reminders": link.expiry_reminders,
            "reminder_days": reminders.days_text(link),
            "watermark": link.watermark,
            "watermark_thumbnails": link.watermark_thumbnails,
        }

    def clean_label(self) -> str:
        label = self.cleaned_data["label"].strip()
        if not label:
            raise forms.ValidationError("Give the link a name, e.g. “Couple”.")
        return label

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        unchanged = "expires_on" not in self.changed_data
        # An expired link may be edited without moving its date; a new date must
        # still be ahead, or the link would be dead on arrival.
        if day and day < timezone.localdate() and not (self.link and unchanged):
            raise forms.ValidationError(
                "That day has passed. Choose today or later, or disable the link "
                "to stop it now."
            )
        return day

    def clean_reminder_days(self):
        raw = self.cleaned_data["reminder_days"].strip()
        if not raw:
            return None
        try:
            return reminders.parse_days(raw)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["reminder_days"]) from None

    def clean(self) -> dict:
        data = super().clean()
        if data.get("expiry_reminders") and not data.get("expires_on"):
            # Ticked by default: refused only when the photographer ticked it.
            if "expiry_reminders" in self.changed_data and "expires_on" in data:
                self.add_error("expiry_reminders", reminders.NEEDS_EXPIRY)
        elif (
            data.get("expiry_reminders")
            and "reminder_days" in data
            and data["reminder_days"] is None
        ):
            self.add_error("reminder_days", _("Give at least one day, e.g. 7, 1."))
        if data.get("remove_password") and data.get("password"):
            self.add_error(
                "password",
                "Either type a new password or tick “Remove the password”, not both.",
            )
        return data

    def service_arguments(self) -> dict:
        """Keyword arguments for services.link_create / link_update."""
        data = self.cleaned_data
        arguments = {
            "label": data["label"],
            "expires_at": services.expiry_from_date(data["expires_on"]),
            "is_active": data["is_active"],
            "sets": list(data["sets"]),
            "downloads": data["downloads"],
            "favourites_enabled": data["favourites_enabled"],
            "favourites_limit": data["favourites_limit"],
            "favourites_require_email": data["favourites_require_email"],
            "registration": data["registration"] or ShareLink.Registration.OFF,
            "welcome_message": data["welcome_message"].strip(),
            "watermark": data["watermark"],
            "watermark_thumbnails": data["watermark_thumbnails"],
        }
        # Without an expiry the service turns reminders off (and refuses them on).
        if data["expires_on"]:
            arguments["expiry_reminders"] = data["expiry_reminders"]
        if data["reminder_days"] is not None:
            arguments["reminder_days"] = data["reminder_days"]
        if self.link is None:
            arguments["password"] = data["password"]
        elif data.get("remove_password"):
            arguments["password"] = ""
        elif data["password"]:
            arguments["password"] = data["password"]
        # Otherwise no "password" key: link_update keeps the old one.
        return arguments

    def add_service_errors(self, error) -> None:
        """Show a ValidationError raised by a service on the fields it names."""
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                target = "expires_on" if field == "expires_at" else field
                self.add_error(target if target in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)

"""The Brand page's forms: the settings, and one logo upload (galleries/brand.py saves)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from galleries.models import Brand


class BrandForm(forms.ModelForm):
    accent = forms.CharField(
        label=_("Accent colour"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text=_(
            "Buttons and links on your client pages. Text on it, and the colour used "
            "as text, are adjusted so they always stay readable."
        ),
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    no_accent = forms.BooleanField(
        label=_("Use Proofsheet's neutral colours instead of an accent"),
        required=False,
    )

    class Meta:
        model = Brand
        fields = [
            "accent",
            "typeface",
            "website",
            "email",
            "phone",
            "instagram",
            "credit_proofsheet",
            "language",
        ]
        labels = {
            "typeface": _("Typefaces"),
            "website": _("Website"),
            "email": _("Email for clients"),
            "phone": _("Phone"),
            "instagram": _("Instagram"),
            "credit_proofsheet": _("Credit Proofsheet in the footer of client pages"),
            "language": _("Language of your galleries"),
        }
        help_texts = {
            "typeface": _("Headings and text of your client pages."),
            "instagram": _("Your name on Instagram, e.g. @yourstudio."),
            "language": _(
                "What your clients read on your galleries and in their emails; "
                "each gallery can choose another."
            ),
        }
        widgets = {"typeface": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("no_accent", not self.instance.accent)
        if not self.instance.accent:
            self.initial["accent"] = "#1d6354"
        # A form without it (an older page, a script) keeps the studio's language.
        self.fields["language"].required = False

    def settings(self) -> dict:
        """The cleaned settings, for `brand.brand_update`."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if self.cleaned_data["no_accent"]:
            data["accent"] = ""
        if not data["language"]:
            del data["language"]
        return data

    def _post_clean(self):
        # The service validates and saves; the form only gathers.
        pass


class LogoForm(forms.Form):
    logo = forms.FileField(
        label=_("Logo"),
        help_text=_("PNG, JPEG or WebP; a transparent PNG looks best. Up to 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/webp"}
        ),
    )
    dark = forms.BooleanField(required=False, widget=forms.HiddenInput)

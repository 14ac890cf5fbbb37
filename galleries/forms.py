from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from galleries.models import Gallery


class GalleryForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language for your clients"),
        required=False,
        choices=[
            ("", _("Your studio's language (on the Brand page)")),
            *settings.LANGUAGES,
        ],
        help_text=_("The gallery's pages and the emails your clients get from it."),
    )

    class Meta:
        model = Gallery
        fields = ["title", "event_date", "description", "language"]
        widgets = {
            "event_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "title": _("Title"),
            "event_date": _("Event date"),
            "description": _("Description"),
        }


class SetForm(forms.Form):
    name = forms.CharField(max_length=100, label=_("Set name"))


SORT_CHOICES = [
    ("filename", "File name"),
    ("taken", "Date taken"),
    ("uploaded", "Upload time"),
]


class SortForm(forms.Form):
    key = forms.ChoiceField(choices=SORT_CHOICES)


DASHBOARD_ORDER = {
    "recent": ("-last_activity", "Last activity"),
    "newest": ("-created_at", "Newest"),
    "event": ("-event_date", "Event date"),
    "title": ("title", "Title"),
}


class DashboardFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, label) for key, (_, label) in DASHBOARD_ORDER.items()],
    )

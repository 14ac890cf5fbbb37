from django import forms

from galleries.models import Gallery


class GalleryForm(forms.ModelForm):
    class Meta:
        model = Gallery
        fields = ["title", "event_date", "description"]
        widgets = {
            "event_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"event_date": "Event date"}


class SetForm(forms.Form):
    name = forms.CharField(max_length=100, label="Set name")


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

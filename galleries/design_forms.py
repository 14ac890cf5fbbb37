"""The Design page's form (galleries/design.py checks and saves)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from galleries.design import SETTINGS
from galleries.models import Gallery


class DesignForm(forms.ModelForm):
    class Meta:
        model = Gallery
        fields = list(SETTINGS)
        labels = {
            "cover_layout": _("Cover"),
            "focal_x": _("Focal point, across"),
            "focal_y": _("Focal point, down"),
            "grid_style": _("Grid"),
            "spacing": _("Spacing"),
            "theme": _("Theme"),
        }
        help_texts = {
            "cover_layout": _("What your client sees first."),
            "focal_x": _(
                "Click the faces on the cover photo: the crop keeps them in view on a "
                "phone and on a wide screen. 0 is the left edge, 1 the right."
            ),
            "focal_y": _("0 is the top edge, 1 the bottom."),
        }
        widgets = {
            "cover_layout": forms.RadioSelect,
            "grid_style": forms.RadioSelect,
            "spacing": forms.RadioSelect,
            "theme": forms.RadioSelect,
            "focal_x": forms.NumberInput(attrs={"min": 0, "max": 1, "step": "any"}),
            "focal_y": forms.NumberInput(attrs={"min": 0, "max": 1, "step": "any"}),
        }

    def settings(self) -> dict:
        """The cleaned settings, for `design.design_update`."""
        return {name: self.cleaned_data[name] for name in SETTINGS}

    def _post_clean(self):
        # The service validates and saves; the form only gathers.
        pass

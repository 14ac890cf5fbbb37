"""The Watermark page's forms: the settings, and the image (galleries/watermarks.py
saves)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from galleries.models import Watermark


class WatermarkForm(forms.ModelForm):
    class Meta:
        model = Watermark
        fields = ["kind", "text", "position", "size", "opacity"]
        labels = {
            "kind": _("Watermark"),
            "text": _("Text"),
            "position": _("Position"),
            "size": _("Size (% of the photo's width)"),
            "opacity": _("Opacity (%)"),
        }
        help_texts = {"text": _("e.g. © Studio Anna. Used when the watermark is text.")}
        widgets = {
            "kind": forms.RadioSelect,
            "position": forms.RadioSelect,
            "size": forms.NumberInput(attrs={"min": 5, "max": 100, "step": 1}),
            "opacity": forms.NumberInput(attrs={"min": 5, "max": 100, "step": 5}),
        }

    def settings(self) -> dict:
        """The cleaned settings, for `watermarks.watermark_update`."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _post_clean(self):
        # The service validates and saves; the form only gathers.
        pass


class WatermarkImageForm(forms.Form):
    image = forms.FileField(
        label=_("Image"),
        help_text=_("PNG or WebP with a transparent background. Up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/webp"}),
    )

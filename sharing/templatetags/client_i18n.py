"""`{% client_catalog_url %}`: the script strings' catalogue for the page's language."""

from django import template
from django.utils import translation

from sharing.views.catalog import catalog_url

register = template.Library()


@register.simple_tag
def client_catalog_url() -> str:
    return catalog_url(translation.get_language())

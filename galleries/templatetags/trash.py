"""`{% trash_summary user as trash %}`: what a photographer's trash holds, for pages of
apps that cannot import galleries (the profile's storage card)."""

from django import template

from galleries import trash

register = template.Library()


@register.simple_tag
def trash_summary(user) -> trash.TrashSummary:
    return trash.summary(user)

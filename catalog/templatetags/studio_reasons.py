"""`{{ album.exclusion_reason|in_reader_language }}`: why an album is not a studio album, stored
once in English (catalog.studio.verdict), read in the reader's language."""

from django import template

from catalog import studio

register = template.Library()


@register.filter
def in_reader_language(stored_reason):
    return studio.reason_in_language(stored_reason)

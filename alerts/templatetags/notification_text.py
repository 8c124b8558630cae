"""`{{ notification|in_reader_language }}`: a notification's message in the reader's language
(written again from what it is about when it was written in another, alerts.describe)."""

from django import template

from alerts import describe

register = template.Library()


@register.filter
def in_reader_language(notification):
    return describe.in_reader_language(notification)

"""Templates' door to pricing.formats, in the active language: {% load locale_formats %} then
{{ amount|money }} ("17,50 €" / "€17.50"), {{ count|number }} (or |number:1), {{ day|long_date }} ("3 de
diciembre de 2026" / "3 December 2026"), {{ moment|ago }} (a price's age by the day: "hace 3
días" / "3 days ago") and {{ moment|since }} (a notification's: "hace 5 minutos" / "5 minutes
ago"). An empty value stays empty, so `|default:"—"` still works after them."""

from django import template

from .. import formats

register = template.Library()


def _unless_empty(format_value):
    def apply(value):
        return "" if value is None or value == "" else format_value(value)

    apply.__doc__ = format_value.__doc__
    return apply


register.filter("money", _unless_empty(formats.money))


@register.filter
def number(value, decimals=None):
    """{{ count|number }} "1.234" / "1,234"; {{ rating|number:1 }} "4,3" / "4.3"."""
    return "" if value is None or value == "" else formats.number(value, None if decimals is None else int(decimals))


register.filter("long_date", _unless_empty(formats.long_date))
register.filter("ago", _unless_empty(formats.ago))
register.filter("since", _unless_empty(formats.since))

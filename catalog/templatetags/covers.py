"""{% sleeve album %}: the album's designed sleeve (catalog.sleeve), inline in the page, where
its cover would be: under the cover image, or alone when we know no cover."""

from django import template
from django.utils.safestring import mark_safe

from .. import covers
from ..sleeve import sleeve_svg

register = template.Library()


@register.simple_tag
def sleeve(album):
    # Reads the album's title, genre and artist name: a grid's queryset must load them.
    return mark_safe(sleeve_svg(album.title, album.artist.name, key=album.pk, genre=album.genre))  # escaped by sleeve_svg


@register.filter
def usable_cover(url):
    """The cover URL when a browser can show it (catalog.covers.usable): a link on a host
    Discogs retired is left out, and the sleeve shows at once."""
    return covers.usable(url)

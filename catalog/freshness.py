"""How long a catalog row stays fresh: the one place that reads the freshness settings.

Each stamp on a row (Artist.refreshed_at, Album.releases_refreshed_at...) has a window; a
row whose stamp is empty or older than its window is *due*: the next lookup calls the API.
The model properties (`artist.is_stale`), the QuerySet methods the beat jobs and commands
select with (`Artist.objects.stale()`, `Album.objects.releases_due()`) and the
compare-and-set claims all ask here, so they agree on what "fresh" means.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

ARTIST = "artist"  # the artist's profile and its album list (MusicBrainz + Last.fm)
SIMILARS = "similars"  # Last.fm similar artists
RELEASES = "releases"  # an album's pressings, a pressing's details (Discogs)
PRICES = "prices"  # an album's quotes


def window(kind):
    """The freshness window of one kind of stamp, from settings."""
    return {
        ARTIST: timedelta(days=settings.ARTIST_FRESHNESS_DAYS),
        SIMILARS: timedelta(days=settings.SIMILARS_FRESHNESS_DAYS),
        RELEASES: timedelta(days=settings.RELEASES_FRESHNESS_DAYS),
        PRICES: timedelta(hours=settings.PRICES_FRESHNESS_HOURS),
    }[kind]


def cutoff(kind, now=None):
    """Stamps before this are stale."""
    return (now or timezone.now()) - window(kind)


def is_due(stamp, kind):
    """A row with this stamp needs the API: never fetched, or fetched before the cutoff."""
    return stamp is None or stamp < cutoff(kind)


def due(field, kind, now=None):
    """The filter for rows whose `field` stamp is due."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": cutoff(kind, now)})


def expired(field, kind):
    """Rows fetched once and now past their window (a never-fetched row is not expired)."""
    return Q(**{f"{field}__lt": cutoff(kind)})

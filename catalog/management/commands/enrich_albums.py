"""manage.py enrich_albums — studio albums (and why others are left out) for every artist due.

    manage.py enrich_albums              # artists whose albums are stale or never listed
    manage.py enrich_albums --artist ID  # one artist

MusicBrainz release groups with Discogs masters from url-rels, else a confident Discogs
search. Database first: artists listed within ARTIST_FRESHNESS_DAYS cost nothing.
"""
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from catalog import services
from catalog.models import Artist

from ._ingestion import IngestionCommand


def artists_due():
    cutoff = timezone.now() - timedelta(days=settings.ARTIST_FRESHNESS_DAYS)
    due = Q(albums_refreshed_at__isnull=True) | Q(albums_refreshed_at__lt=cutoff)
    return Artist.objects.filter(due).order_by("pk")


class Command(IngestionCommand):
    help = "List studio albums from MusicBrainz (with Discogs masters) for artists whose albums are stale."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        self.add_selection(parser, "artist", "artist")

    def ingest(self, *args, artist=None, limit=None, **options):
        artists = Artist.objects.filter(pk__in=artist) if artist else artists_due()
        self.each(self.selected(artists, limit), services.sync_artist_albums, "artists")

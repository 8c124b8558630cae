"""manage.py enrich_albums — studio albums (and why others are left out) for every artist due.

    manage.py enrich_albums              # artists whose albums are stale or never listed
    manage.py enrich_albums --artist ID  # one artist

MusicBrainz release groups with Discogs masters from url-rels, else a confident Discogs
search. Database first: artists listed within ARTIST_FRESHNESS_DAYS cost nothing.
"""

from catalog import services
from catalog.models import Artist

from ._ingestion import IngestionCommand


class Command(IngestionCommand):
    help = "List studio albums from MusicBrainz (with Discogs masters) for artists whose albums are stale."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        self.add_selection(parser, "artist", "artist")

    def ingest(self, *args, artist=None, limit=None, **options):
        artists = Artist.objects.filter(pk__in=artist) if artist else Artist.objects.albums_due().order_by("pk")
        self.each(self.selected(artists, limit), services.sync_artist_albums, "artists")

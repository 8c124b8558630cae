"""manage.py sync_releases — every vinyl pressing of the studio albums that are due.

    manage.py sync_releases              # albums whose pressings are stale or never synced
    manage.py sync_releases --album ID   # one album

All pages of the Discogs master's versions, then the details (tracklist, cover) of each
album's representative pressing. Albums synced within RELEASES_FRESHNESS_DAYS cost nothing.
"""

from catalog import services
from catalog.models import Album

from ._ingestion import IngestionCommand


class Command(IngestionCommand):
    help = "Sync every vinyl pressing (Discogs master versions) of studio albums whose pressings are stale."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        self.add_selection(parser, "album", "album")

    def ingest(self, *args, album=None, limit=None, **options):
        albums = Album.objects.filter(pk__in=album).select_related("artist") if album else services.albums_due_for_releases()
        self.each(self.selected(albums, limit), services.sync_album_chain, "albums")

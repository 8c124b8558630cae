"""manage.py refresh_stale — bring every stale part of the catalog up to date, in chain order.

Artists past ARTIST_FRESHNESS_DAYS (MusicBrainz + Last.fm), their similar artists past
SIMILARS_FRESHNESS_DAYS, album lists, then pressings past RELEASES_FRESHNESS_DAYS and the
tracklists still missing. The same work the monthly beat fan-out enqueues, run in-process.
"""

from catalog import services
from catalog.models import Artist

from ._ingestion import IngestionCommand


class Command(IngestionCommand):
    help = "Refresh stale artists, similar artists, album lists, pressings and missing tracklists."

    def ingest(self, *args, **options):
        self.each(Artist.objects.stale().order_by("pk"), services.refresh_artist, "artists")
        self.each(Artist.objects.similars_expired().order_by("pk"), services.sync_artist_similars, "similars")
        self.each(
            Artist.objects.albums_due().exclude(mbid__isnull=True).order_by("pk"), services.sync_artist_albums, "album lists"
        )
        self.each(services.albums_due_for_releases(), services.sync_album_chain, "pressings")
        self.each(services.albums_missing_tracklist(), self.detail_representative, "tracklists")

    @staticmethod
    def detail_representative(album):
        release = services.representative_release(album)
        if release is not None:
            services.sync_release_details(release)

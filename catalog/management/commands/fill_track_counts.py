"""manage.py fill_track_counts — standard tracklists, track counts and first-release years
from the Discogs masters of the studio albums that have never asked theirs.

    manage.py fill_track_counts              # every studio album with a master not yet asked
    manage.py fill_track_counts --album ID   # one album (asked again even if it was)
    manage.py fill_track_counts --limit 500  # a slice of the Discogs budget at a time

One master call per album (its main release too when the master carries no tracklist).
Idempotent: an album asked once is skipped, so a rerun resumes where the last one stopped;
the monthly refresh_stale beat fans the same work out as catalog.sync_album_tracklist tasks.
"""

from functools import partial

from catalog import services
from catalog.models import Album

from ._ingestion import IngestionCommand


class Command(IngestionCommand):
    help = "Fill track counts (the master's main release) and first-release years of studio albums."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        self.add_selection(parser, "album", "album")

    def ingest(self, *args, album=None, limit=None, **options):
        albums = Album.objects.filter(pk__in=album) if album else services.albums_due_for_tracklist()
        step = partial(services.sync_album_tracklist, force=bool(album))
        self.each(self.selected(albums, limit), step, "albums")

    def outcome(self):
        studio = Album.objects.studio()
        counted = studio.filter(track_count__isnull=False).count()
        return f"{counted:,} of {studio.count():,} studio albums have a track count, {studio.tracklist_due().count():,} masters still to ask"

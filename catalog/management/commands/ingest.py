"""manage.py ingest ARTIST... — the whole chain for named artists (or MusicBrainz ids).

    manage.py ingest "Radiohead" "Neil Young"
    manage.py ingest 5b11f4ce-a62d-471e-81fc-a69a8278c7da

Artist, similar artists, studio albums, every vinyl pressing and one detailed pressing per
album; fresh data costs no API call, so rerunning resumes where a run stopped.
"""

import uuid

from catalog import services

from ._ingestion import IngestionCommand


def artist_reference(text):
    """{"mbid": ...} for a MusicBrainz id, else {"name": ...}."""
    try:
        return {"mbid": str(uuid.UUID(text))}
    except ValueError:
        return {"name": text}


class Command(IngestionCommand):
    help = "Run the whole ingestion chain (artist, similars, albums, pressings, details) for named artists."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("artists", nargs="+", help="artist names or MusicBrainz ids")

    def ingest(self, *args, artists, **options):
        self.each(artists, lambda text: services.ingest_artist(**artist_reference(text)), "artists")

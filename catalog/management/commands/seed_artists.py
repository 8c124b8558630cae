"""manage.py seed_artists — grow the catalog's artists from a Last.fm tag or a CSV file.

    manage.py seed_artists --tag "post-rock" --limit 100
    manage.py seed_artists --csv artists.csv

`--tag` takes Last.fm's top artists of the tag and fetches each one (MusicBrainz + Last.fm,
database first). `--csv` goes through the CSV import service (the format shown on the admin's
upload page) and records an IngestionJob like an upload does.
"""

import math
from pathlib import Path

from django.core.files import File
from django.core.management import CommandError

from catalog import csv_import, services
from integrations import clients, runs

from ._ingestion import IngestionCommand

TAG_PAGE_SIZE = 50


class Command(IngestionCommand):
    help = "Add artists from a Last.fm tag's top artists (--tag, --limit) or from a CSV file (--csv)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--tag", help="Last.fm tag, e.g. 'shoegaze'")
        source.add_argument("--csv", help="CSV file with a 'name' column (and optional mbid, rating, image_url)")
        parser.add_argument("--limit", type=int, default=50, help="how many of the tag's top artists")

    def ingest(self, *args, tag=None, csv=None, limit=50, **options):
        if csv:
            self.import_csv(Path(csv))
        else:
            names = self.tag_artist_names(tag, limit)
            self.each(names, lambda name: services.get_or_create_artist(name=name), f"tag {tag}")

    def tag_artist_names(self, tag, limit):
        client = clients.lastfm()
        if client is None:
            raise CommandError("Seeding from a tag needs LASTFM_API_KEY")
        pages = max(1, math.ceil(limit / TAG_PAGE_SIZE))
        chart = client.tag_top_artists_all(tag, limit=min(limit, TAG_PAGE_SIZE), max_pages=pages)
        return [artist.name for artist in chart[:limit]]

    def import_csv(self, path):
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        with path.open("rb") as handle:
            try:
                job = csv_import.create_job(File(handle, name=path.name), None)
            except csv_import.CsvRejected as error:
                raise CommandError(str(error)) from error
        csv_import.run_import(job.pk)
        job.refresh_from_db()
        for outcome in ("created", "updated", "unchanged"):
            runs.note(outcome, getattr(job, outcome))
        for error in job.errors:
            runs.note_error(f"line {error.get('line')}: {error.get('reason')}")

"""manage.py backup [--output FILE] — the database, MEDIA_ROOT and MODEL_DIR in one archive.

SQLite is copied with sqlite3's backup API, PostgreSQL dumped with pg_dump (postgresql-client,
in the Docker image); `manage.py restore FILE` puts all three back (vinilogy.backup).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vinilogy.backup import BackupFailed, describe, write_backup


class Command(BaseCommand):
    help = "Write the database, the uploaded files (MEDIA_ROOT) and the model versions (MODEL_DIR) into one tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="archive to write (default: var/backups/vinilogy-<time>.tar.gz)")
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, output, database, **options):
        path = Path(output) if output else _default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            manifest = write_backup(path, using=database)
        except (BackupFailed, OSError) as error:
            path.unlink(missing_ok=True)
            raise CommandError(f"backup failed: {error}") from error
        self.stdout.write(f"backup written to {path}: {describe(manifest)}")


def _default_path():
    return Path(settings.BASE_DIR) / "var" / "backups" / f"vinilogy-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"

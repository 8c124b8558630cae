"""manage.py restore FILE — put a `manage.py backup` archive back: the database into a new, empty
database (SQLite: a new file), MEDIA_ROOT and MODEL_DIR into empty folders. Every checksum is
checked before anything is written, and the restored row counts against the archive's.
"""

import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vinilogy.backup import BackupFailed, describe, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive into a fresh database and empty MEDIA_ROOT and MODEL_DIR folders."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--database", default="default", help="database alias to restore into (default: default)")
        parser.add_argument("--database-url", help="restore into this database instead (same syntax as DATABASE_URL)")
        parser.add_argument("--media-root", default=None, help="default: MEDIA_ROOT")
        parser.add_argument("--model-dir", default=None, help="default: MODEL_DIR")

    def handle(self, archive, database, database_url, media_root, model_dir, **options):
        target = environ.Env.db_url_config(database_url) if database_url else settings.DATABASES[database]
        try:
            manifest = restore_backup(
                archive,
                target=target,
                media_root=media_root or settings.MEDIA_ROOT,
                model_dir=model_dir or settings.MODEL_DIR,
            )
        except (BackupFailed, OSError) as error:
            raise CommandError(f"restore failed: {error}") from error
        self.stdout.write(f"restored the backup of {manifest['created_at']}: {describe(manifest)}")

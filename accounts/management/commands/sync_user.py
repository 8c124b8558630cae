"""manage.py sync_user USERNAME [--source NAME] [--preview]   (NAME: a syncable source of accounts/sources)

Fetch a listener's listening sources (all of them, or one) into snapshots and seed artists,
the same services the daily Celery fan-out runs. With --preview nothing is written: the
artists each source would add, update or remove are printed with their weights. Running it
twice with nothing new on the providers' side changes nothing.
"""

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from tqdm import tqdm

from accounts import services, sources


class Command(BaseCommand):
    help = "Sync a user's listening sources (Last.fm, Spotify, ListenBrainz, Discogs), or preview what would change."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--source", choices=[s.name for s in sources.syncable()], help="only this source (default: all)")
        parser.add_argument("--preview", action="store_true", help="print what would change; write nothing")

    def handle(self, *args, username, source, preview, **options):
        user = get_user_model().objects.filter(username=username).select_related("profile").first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        names = [source] if source else [s.name for s in sources.syncable()]
        run = self._preview if preview else self._sync
        # disable=None hides the bar when stderr is not a terminal (cron, CI, tests).
        lines = [run(user, name) for name in tqdm(names, desc=f"sync {username}", disable=None)]
        self.stdout.write("\n".join(line for line in lines if line))

    def _sync(self, user, source):
        return services.sync_source(user, source).summary()

    def _preview(self, user, source):
        return "\n".join(services.preview_import(user, source).lines())

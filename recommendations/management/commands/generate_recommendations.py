"""manage.py generate_recommendations [USERNAME ...] [--force]

Generate recommendation sets in this process (no worker needed), for the named users or,
without names, every active user with something to go on (seed artists). A user whose set
is still fresh keeps it unless --force. Prints one line per user and a summary.
"""

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from tqdm import tqdm

from recommendations import services
from recommendations.models import RecommendationSet


class Command(BaseCommand):
    help = "Generate recommendation sets now, for the named users or every active user with seed artists."

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", help="default: every active user with seed artists")
        parser.add_argument("--force", action="store_true", help="recompute even a fresh set")

    def handle(self, *args, usernames, force, **options):
        users = self._users(usernames)
        counts = {status: 0 for status in RecommendationSet.Status.values}
        for user in tqdm(users, desc="recommendations", disable=None):
            rec_set = services.generate_now(user, force=force)
            counts[rec_set.status] += 1
            self.stdout.write(self._line(user, rec_set))
        self.stdout.write(f"{len(users)} user(s): {counts['ready']} ready, {counts['failed']} failed")

    def _users(self, usernames):
        User = get_user_model()
        if not usernames:
            return list(User.objects.filter(is_active=True, seed_artists__isnull=False).distinct().order_by("username"))
        users = list(User.objects.filter(username__in=usernames).order_by("username"))
        missing = set(usernames) - {user.username for user in users}
        if missing:
            raise CommandError(f"no user named {', '.join(sorted(missing))}")
        return users

    def _line(self, user, rec_set):
        if rec_set.status == RecommendationSet.Status.FAILED:
            return f"{user.username}: set {rec_set.pk} failed: {rec_set.error}"
        return f"{user.username}: set {rec_set.pk} {rec_set.status}, {rec_set.items.count()} album(s)"

"""Delete a listener and every row that belongs to them, as the "Your data" page does."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from vinilogy.personal_data import delete_user


class Command(BaseCommand):
    help = "Delete a user (by username or id) and every row that references them; the catalog and price history stay."

    def add_arguments(self, parser):
        parser.add_argument("user", help="username or numeric id")
        parser.add_argument("--yes", action="store_true", help="do not ask to confirm")

    def handle(self, user, yes, **options):
        User = get_user_model()
        found = User.objects.filter(username=user).first() or (User.objects.filter(pk=user).first() if user.isdigit() else None)
        if found is None:
            raise CommandError(f"No user {user!r}")
        if not yes and input(f"Delete {found.username} and all their data? [y/N] ").strip().lower() != "y":
            raise CommandError("Nothing deleted")
        counts = delete_user(found, by="an operator")
        self.stdout.write(
            f"deleted user {found.pk}: {sum(counts.values())} rows across {sum(1 for n in counts.values() if n)} models"
        )

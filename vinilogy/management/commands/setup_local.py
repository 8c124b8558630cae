"""Prepare the embedded default: an operator login, a demo listener, the demo catalog.

Run by bin/serve on every start; it only adds what is missing and prints the logins.
"""

import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command

from catalog.models import Artist

DEFAULT_BIND = "127.0.0.1:8000"  # as in bin/serve
CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".operator-credentials"
ACCOUNTS = {"operator": {"is_staff": True, "is_superuser": True}, "demo": {}}


def _load_credentials():
    if CREDENTIALS_FILE.exists():
        return json.loads(CREDENTIALS_FILE.read_text())
    return {}


class Command(BaseCommand):
    help = "Create the local operator and demo logins and load the demo catalog into an empty database."

    def handle(self, *args, **options):
        credentials = _load_credentials()
        for username, flags in ACCOUNTS.items():
            credentials[username] = self._ensure_user(username, credentials.get(username), flags)
        CREDENTIALS_FILE.write_text(json.dumps(credentials, indent=2))
        CREDENTIALS_FILE.chmod(0o600)
        self._load_demo_if_empty()
        self._print_logins(credentials)

    def _ensure_user(self, username, password, flags):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@vinilogy.local", **flags})
        if created or not password:
            # A new database reuses the login already printed for this checkout.
            password = password or secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
        return password

    def _load_demo_if_empty(self):
        if Artist.objects.exists():
            self.stdout.write("Catalog already has data; not loading the demo catalog.")
        else:
            call_command("load_demo", stdout=self.stdout)

    def _print_logins(self, credentials):
        # bin/serve passes BIND to runserver: say the address it really serves.
        self.stdout.write(self.style.SUCCESS(f"Vinilogy is ready at http://{os.environ.get('BIND') or DEFAULT_BIND}"))
        self.stdout.write(f"  operator (admin at /admin/): operator / {credentials['operator']}")
        self.stdout.write(f"  demo listener:               demo / {credentials['demo']}")
        self.stdout.write(f"  (kept in {CREDENTIALS_FILE.name}, never committed)")

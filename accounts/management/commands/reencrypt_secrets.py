"""manage.py reencrypt_secrets: rewrite every stored token and secret under the newest key.

Run it after putting a new key first in FIELD_ENCRYPTION_KEYS; once it has run, the old keys
can be dropped. Values stored before encryption are encrypted too. Safe to run again.
"""

from django.apps import apps
from django.core.management.base import BaseCommand

from accounts.encryption import ENCRYPTED_FIELDS, reencrypt


class Command(BaseCommand):
    help = "Re-encrypt every stored OAuth token and app secret under the first FIELD_ENCRYPTION_KEYS key."

    def handle(self, *args, **options):
        counts = {label: self._reencrypt(apps.get_model(label), fields) for label, fields in ENCRYPTED_FIELDS.items()}
        self.stdout.write(", ".join(f"{count} {label} row(s)" for label, count in counts.items()) + " re-encrypted")

    def _reencrypt(self, model, fields):
        # values_list reads the stored text as it is (loading instances would decrypt it), and
        # update() writes ciphertext we made, without the signals encrypting it again.
        rows = model.objects.values_list("pk", *fields)
        for pk, *stored in rows.iterator():
            model.objects.filter(pk=pk).update(**{name: reencrypt(value) for name, value in zip(fields, stored)})
        return rows.count()

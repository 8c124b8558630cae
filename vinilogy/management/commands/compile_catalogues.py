"""manage.py compile_catalogues: the .po files of LOCALE_PATHS compiled to .mo without GNU
gettext (vinilogy.i18n_catalogues); bin/serve, the Dockerfile and the test suite run it."""

from django.conf import settings
from django.core.management.base import BaseCommand

from vinilogy.i18n_catalogues import compile_all


class Command(BaseCommand):
    help = "Compile the message catalogues (.po → .mo) with Babel; only those that changed."

    def handle(self, *args, **options):
        found, written = compile_all(settings.LOCALE_PATHS)
        self.stdout.write(f"{found} catalogue(s), {written} compiled")

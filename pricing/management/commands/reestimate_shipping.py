"""manage.py reestimate_shipping — estimate every current quote's shipping again with today's table.

What a shipping-table edit in the admin starts by itself (pricing.services.reestimate_shipping):
for a table changed another way (a fixture, SQL), or to check. Idempotent: a second run changes
nothing. The albums whose quotes changed get their best prices recomputed.
"""

from django.core.management.base import BaseCommand

from pricing import services


class Command(BaseCommand):
    help = "Re-estimate the current quotes' shipping with the shipping table as it is now, and their albums' best prices."

    def handle(self, *args, **options):
        changed = services.reestimate_shipping()
        self.stdout.write(f"{changed} quote(s) re-estimated; their albums' best prices recomputed.")

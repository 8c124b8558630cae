"""The Discogs collection CSV export: a file the listener uploads (accounts.collection_import, a job).

Read like the Discogs collection (owned records weigh most), without an account or a key.
"""

from django.utils.translation import gettext_lazy as _

from catalog.models import Source

from .base import TasteSource
from .discogs import Discogs


class DiscogsExport(TasteSource):
    name = "discogs_csv"
    label = _("Discogs CSV export")
    catalog_source = Source.DISCOGS
    syncable = False
    collection = True
    reason = Discogs.reason  # a collection exported from Discogs
    reason_order = Discogs.reason_order

    def is_connected(self, user):
        return user.snapshots.filter(source=self.name).exists()

    def connected_user_ids(self):
        return set()

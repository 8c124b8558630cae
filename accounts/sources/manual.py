"""Artists a listener adds by hand (accounts.services.add_seed_artist): one seed each, at a fixed weight."""

from django.utils.translation import gettext_lazy as _

from catalog.models import Source

from .base import TasteSource


class Manual(TasteSource):
    name = "manual"
    label = _("Added by hand")
    catalog_source = Source.MANUAL
    syncable = False
    reason = _("you added %(artist)s to your artists%(album_plays)s")
    reason_order = 20

    def is_connected(self, user):
        return user.seed_artists.filter(source=self.name).exists()

    def connected_user_ids(self):
        return set()

"""Discogs: a listener's collection and wantlist (allauth OAuth, or a public username).

Payloads are releases, not listens: owning a record weighs most, wanting one next
(accounts.weights.collection_weight); the vinyl ones also become pressings and the
listener's collection items (accounts.services.store_collection).
"""

from django.utils.translation import gettext as _, gettext_lazy

from catalog.models import Source
from catalog.normalize import strip_discogs_suffix
from integrations.discogs import DiscogsClient

from .base import SourceUnavailable, TasteSource
from .spotify import social_token


class Discogs(TasteSource):
    name = "discogs"
    provider = "discogs"
    label = "Discogs"
    catalog_source = Source.DISCOGS
    by_username = True
    social_provider = "discogs"
    csp_hosts = {"form-action": ["https://discogs.com", "https://www.discogs.com"]}  # the connect button's redirect
    collection = True
    reason = gettext_lazy("you collect %(artist)s on Discogs%(album_plays)s")
    reason_order = 10

    def fetch(self, user, client=None):
        """Every page of the collection (folder 0, "All") and of the wantlist, as payloads."""
        token = social_token(user, "discogs")
        username = (token.account.extra_data or {}).get("username") if token else ""
        if token and username and client is None:
            client = DiscogsClient.for_user(token.token, token.token_secret)
        username = username or self.username(user)
        if not username:
            raise SourceUnavailable(
                _("Connect Discogs or give your Discogs username first"),
                "Discogs is not connected and the profile has no Discogs username",
            )
        client = client or DiscogsClient.from_settings()
        return {
            "collection": {"releases": [discogs_release_entry(i) for i in client.collection(username)]},
            "wantlist": {"releases": [discogs_release_entry(i) for i in client.wantlist(username)]},
        }

    def ping(self):
        return DiscogsClient.from_settings().ping()


def discogs_release_entry(item) -> dict:
    """From an integrations.discogs CollectionItem (collection or wantlist)."""
    label = item.labels[0] if item.labels else None
    return {
        "id": item.release_id,
        "master_id": item.master_id,
        "title": item.title,
        "year": item.year,
        "artists": [{"id": a.id, "name": a.clean_name} for a in item.artists],
        "format": item.format_summary,
        "is_vinyl": item.is_vinyl,
        "rating": item.rating or None,
        "date_added": item.date_added.isoformat() if item.date_added else None,
        "label": strip_discogs_suffix(label.name) if label else "",
        "catno": label.catno if label else "",
        "thumb": item.thumb or "",
    }

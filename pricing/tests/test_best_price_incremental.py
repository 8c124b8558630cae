"""The incremental best price equals the full recompute, whatever changed (issue 13, item 4).

Random batches of changes (new quotes landed or item-only, retired ones, new observations of an
offer) are each followed by the per-album update of the albums
the batch touched, as a price batch does; the table must then equal the full recompute. Runs
on SQLite and, in the PostgreSQL leg, on PostgreSQL.
"""

import random
from decimal import Decimal

import pytest

from catalog.factories import AlbumFactory, ReleaseFactory
from pricing import best_price
from pricing.factories import PriceQuoteFactory, StoreFactory
from pricing.models import AlbumBestPrice, PriceQuote

pytestmark = pytest.mark.django_db(transaction=True)

COUNTRIES = ["ES", "DE", "FR"]


def _world():
    albums = [AlbumFactory() for _ in range(8)]
    releases = [ReleaseFactory(album=album) for album in albums for _ in range(2)]
    stores = [StoreFactory(name=f"store {n}", kind=kind) for n, kind in enumerate(["discogs", "ebay", "local"])]
    return releases, stores


def _new_quote(rng, releases, stores):
    release = rng.choice(releases)
    landed = rng.random() < 0.8
    return PriceQuoteFactory(
        release=release,
        album=release.album,
        store=rng.choice(stores),
        ships_to=rng.choice(COUNTRIES),
        amount=Decimal(rng.randint(5, 40)),
        shipping=Decimal(rng.choice([0, 3, 5])) if landed else None,
        offer_key=f"offer:{rng.randint(1, 10**9)}",
    )


def _change(rng, releases, stores):
    """One random change; returns the album ids whose quotes it touched (what the batch announces)."""
    current = list(PriceQuote.objects.current())
    action = rng.choice(["new", "new", "retire", "reobserve"] if current else ["new"])
    if action == "new":
        return {_new_quote(rng, releases, stores).album_id}
    quote = rng.choice(current)
    PriceQuote.objects.filter(pk=quote.pk).update(is_current=False)
    if action == "reobserve":
        PriceQuoteFactory(
            release=quote.release,
            album=quote.album,
            store=quote.store,
            ships_to=quote.ships_to,
            offer_key=quote.offer_key,
            amount=Decimal(rng.randint(5, 40)),
            shipping=quote.shipping,
        )
    return {quote.album_id}


def _table():
    return sorted(AlbumBestPrice.objects.values_list("album_id", "ships_to", "quote_id", "total_eur"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_updates_equal_the_full_recompute_after_random_changes(seed):
    rng = random.Random(seed)
    releases, stores = _world()
    for _ in range(12):
        touched = set()
        for _ in range(rng.randint(1, 6)):
            touched |= _change(rng, releases, stores)
        best_price.update_best_prices(touched)
        incremental = _table()

        assert best_price.mismatched_album_ids() == []
        AlbumBestPrice.objects.all().delete()
        best_price.refresh_best_prices()  # on an empty table: the full recompute
        assert _table() == incremental

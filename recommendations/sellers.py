"""Sellers holding your wants: crawled Discogs sellers, and eBay sellers seen in the last week,
ranked by how many of the listener's wanted albums each one holds, with what buying them all
from that seller costs at the listener's door.

Wanted is what the basket buys (locks, the wantlist here, the Discogs wantlist): an album locked
or wantlisted here is held by any pressing that passes the buying filters; an album only on the
Discogs wantlist is held by the exact pressings wanted there. Offers are priced by the basket's
landed rules (recommendations.basket.solver_offers): a crawled seller's records ship as one parcel
(basket_solver.single_parcel picks the cheapest copies exactly), an eBay listing ships alone.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from accounts.models import CollectionItem
from catalog.models import Album
from pricing import shipping as shipping_table
from pricing.filters import filter_quotes
from pricing.models import PriceQuote
from pricing.sources.ebay import EbayListings

from . import basket_solver
from .basket import Line, SellerParcel, eur, solver_offers
from .models import Feedback

EBAY_SEEN_DAYS = 7


@dataclass
class SellerHolding(SellerParcel):
    """One seller, the wanted albums they hold (its `lines`, by artist and title) and what they
    cost together (a basket parcel's totals and sentence)."""

    rating: Decimal | None = None
    ratings_count: int | None = None  # how many ratings the percentage is of (eBay: feedback score)
    kind: str = ""  # Store.kind of the quotes: crawled sellers' or "ebay"

    @property
    def albums(self):
        return len(self.lines)


@dataclass
class Holdings:
    sellers: list  # SellerHolding, most albums first, then cheapest
    wanted: int  # the wanted albums (and Discogs pressings not linked to an album yet)
    country: str


def wanted(user):
    """(albums wanted in any pressing, album → the Discogs pressings wanted of it, count)."""
    here = set(
        Feedback.objects.filter(user=user, kind__in=[Feedback.Kind.LOCK, Feedback.Kind.WANTLIST]).values_list(
            "album_id", flat=True
        )
    )
    exact, unlinked = {}, 0
    for album_id, release_id in CollectionItem.objects.filter(user=user, folder=CollectionItem.Folder.WANTLIST).values_list(
        "release__album_id", "release_id"
    ):
        if album_id is None:
            unlinked += 1
        elif album_id not in here:
            exact.setdefault(album_id, set()).add(release_id)
    return here, exact, len(here) + len(exact) + unlinked


def sellers_for_wants(user, filters, now=None):
    """The sellers holding the listener's wants under `filters` (a pricing.filters.BuyingFilters)."""
    any_pressing, exact, count = wanted(user)
    quotes = [
        q
        for q in _seller_quotes(any_pressing | exact.keys(), filters, now)
        if q.album_id in any_pressing or q.release_id in exact.get(q.album_id, ())
    ]
    albums = Album.objects.select_related("artist").in_bulk({q.album_id for q in quotes})
    by_seller = {}
    for quote in quotes:
        by_seller.setdefault(_seller_key(quote), []).append(quote)
    table = shipping_table.load_table()
    sellers = [_holding(found, albums, table) for found in by_seller.values()]
    sellers.sort(key=lambda s: (-s.albums, s.total_eur, s.name.lower()))
    return Holdings(sellers=sellers, wanted=count, country=filters.country)


def _seller_quotes(album_ids, filters, now):
    """Landed quotes of the wanted albums passing the filters, from a crawled seller or an eBay
    seller seen in the last EBAY_SEEN_DAYS."""
    since = (now or timezone.now()) - timedelta(days=EBAY_SEEN_DAYS)
    sellers = Q(seller_account__isnull=False) | (Q(store__kind=EbayListings.name, fetched_at__gte=since) & ~Q(seller=""))
    quotes = filter_quotes(PriceQuote.objects.filter(album_id__in=album_ids), filters).filter(sellers)
    return list(quotes.select_related("store", "seller_account", "release"))


def _seller_key(quote):
    return f"seller:{quote.seller_account_id}" if quote.seller_account_id else f"{quote.store.kind}:{quote.seller}"


def _holding(quotes, albums, table):
    """What buying every wanted album this seller holds costs: the cheapest copies, exactly."""
    offers = solver_offers(quotes, table)
    if len({offer.parcel for offer in offers}) == 1:
        chosen = basket_solver.single_parcel(offers)
    else:  # listings that each ship alone: each album's cheapest landed copy
        chosen = {}
        for offer in offers:
            if offer.album not in chosen or basket_solver.landed_alone(offer) < basket_solver.landed_alone(chosen[offer.album]):
                chosen[offer.album] = offer
    by_pk = {quote.pk: quote for quote in quotes}
    lines = [Line(albums[offer.album], by_pk[offer.key]) for offer in chosen.values()]
    first = quotes[0]
    account = first.seller_account
    return SellerHolding(
        name=account.discogs_username if account else first.seller,
        country=(account.country if account else "") or first.item_location,
        rating=account.rating if account else first.seller_rating,
        ratings_count=account.ratings_count if account else first.seller_ratings_count,
        kind=first.store.kind,
        lines=sorted(lines, key=lambda line: (line.album.artist.name.lower(), line.album.title.lower())),
        items_eur=sum((line.quote.item_eur for line in lines), Decimal("0")),
        shipping_eur=eur(basket_solver.total_cents(chosen) - sum(offer.item_cents for offer in chosen.values())),
    )

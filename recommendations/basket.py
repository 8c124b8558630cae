"""The listener's cheapest basket: their locked and wantlisted albums, bought from as few
parcels as the landed total wants (recommendations.basket_solver does the choosing).

The instance comes from a few set-based queries: the albums (locks, wantlist here, Discogs
wantlist), their landed quotes that pass the listener's buying filters (pricing.filters, any
acceptable pressing), and the shipping table. Only landed quotes are summed; an album with none
is listed as unpriced.

Each offer is priced by the rule its card is (pricing.offers.parcel_shipping): its first-item
shipping is the quote's own (stated, or estimated for its weight class: a box costs what its
landed total says), and as one more item of a crawled seller's parcel (seller_account) it adds
the table's additional cost for its route and weight class, or its own shipping again when no
row covers the route (we assume no discount we cannot show). Any other quote (an eBay listing, a
shop's own price) carries its own shipping and is a parcel of one. A basket of one album costs
exactly that album's landed total.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from accounts.models import CollectionItem
from catalog.models import Album
from pricing import describe, shipping as shipping_table
from pricing.filters import filter_quotes
from pricing.models import PriceQuote
from pricing.offers import parcel_shipping

from . import basket_solver
from .models import Feedback

CENTS = Decimal("100")


@dataclass
class Line:
    album: Album
    quote: PriceQuote

    @property
    def price_text(self):
        """ "€12.00", or "€12.00 (sample price, not a live offer)" (pricing.describe)."""
        return describe.basket_item(self.quote.item_eur, self.quote.sample)


@dataclass
class SellerParcel:
    """What to buy from one seller, and what it costs at the listener's door."""

    name: str
    country: str
    lines: list
    items_eur: Decimal
    shipping_eur: Decimal

    @property
    def total_eur(self):
        return self.items_eur + self.shipping_eur

    @property
    def sample_count(self):
        """Lines priced by a sample (the offline demo's, never observed)."""
        return sum(line.quote.sample for line in self.lines)

    @property
    def total_text(self):
        """ "Items €40.00 + shipping €12.00 = €52.00", saying when it adds sample prices."""
        return describe.parcel_total(self.items_eur, self.shipping_eur, self.total_eur, self.sample_count)


@dataclass
class BasketView:
    method: str  # basket_solver.EXACT or GREEDY
    parcels: list  # SellerParcel, most expensive first
    unpriced: list  # Album
    total_eur: Decimal
    separate_eur: Decimal
    country: str
    gap_bound: float = 0.0  # a greedy answer is at most this fraction dearer than the cheapest (LP bound)

    @property
    def gap_pct(self):
        """The greedy answer's bound in per cent, rounded up to a tenth (0 when exact)."""
        return math.ceil(self.gap_bound * 1000) / 10

    @property
    def saving_eur(self):
        return self.separate_eur - self.total_eur

    @property
    def album_count(self):
        return sum(len(parcel.lines) for parcel in self.parcels)

    @property
    def samples_text(self):
        """ "includes 2 sample prices, not live offers", or "" (pricing.describe)."""
        return describe.includes_samples(sum(parcel.sample_count for parcel in self.parcels))


def basket_albums(user):
    """The albums the basket is for: locked and wantlisted here, and on the Discogs wantlist."""
    here = Feedback.objects.filter(user=user, kind__in=[Feedback.Kind.LOCK, Feedback.Kind.WANTLIST]).values("album_id")
    discogs = CollectionItem.objects.filter(
        user=user, folder=CollectionItem.Folder.WANTLIST, release__album__isnull=False
    ).values("release__album_id")
    albums = Album.objects.filter(Q(pk__in=here) | Q(pk__in=discogs))
    return list(albums.select_related("artist").order_by("artist__name", "title"))


def cheapest_basket(user, filters):
    """The listener's cheapest basket under `filters` (a pricing.filters.BuyingFilters)."""
    albums = basket_albums(user)
    quotes = _landed_quotes([album.pk for album in albums], filters)
    offers = solver_offers(quotes, shipping_table.load_table())
    basket = basket_solver.solve([album.pk for album in albums], offers)
    return _view(basket, albums, {quote.pk: quote for quote in quotes}, filters.country)


def _landed_quotes(album_ids, filters):
    quotes = filter_quotes(PriceQuote.objects.filter(album_id__in=album_ids), filters)
    return list(quotes.select_related("store", "seller_account", "release"))


def solver_offers(quotes, table):
    """The quotes as basket_solver offers: cents, the quote's parcel and its parcel shipping."""
    return [basket_solver.Offer(q.album_id, q.pk, _parcel_key(q), _cents(q.item_eur), _shipping(q, table)) for q in quotes]


def _parcel_key(quote):
    if quote.seller_account_id:
        return f"seller:{quote.seller_account_id}"
    return f"quote:{quote.pk}"


def _shipping(quote, table):
    """The quote's first and additional shipping in cents (a parcel of one never adds a second item)."""
    first, additional = parcel_shipping(quote, table) if quote.seller_account_id else (quote.shipping_eur, quote.shipping_eur)
    return basket_solver.Shipping(_cents(first), _cents(additional))


def _cents(amount):
    return int((amount * CENTS).to_integral_value())


def eur(cents):
    return (Decimal(cents) / CENTS).quantize(Decimal("0.01"))


def _view(basket, albums, quotes, country):
    by_id = {album.pk: album for album in albums}
    grouped = {}
    for offer in basket.chosen.values():
        grouped.setdefault(offer.parcel, []).append(offer)
    sellers = [_seller_parcel(offers, by_id, quotes) for offers in grouped.values()]
    return BasketView(
        method=basket.method,
        parcels=sorted(sellers, key=lambda p: (-p.total_eur, p.name)),
        unpriced=[by_id[album_id] for album_id in basket.unpriced],
        total_eur=eur(basket.total_cents),
        separate_eur=eur(basket.separate_cents),
        country=country,
        gap_bound=basket.gap_bound,
    )


def _seller_parcel(offers, by_id, quotes):
    lines = [Line(by_id[offer.album], quotes[offer.key]) for offer in offers]
    quote = lines[0].quote
    return SellerParcel(
        name=quote.seller_account.discogs_username if quote.seller_account else (quote.seller or quote.store.name),
        country=quote.item_location,
        lines=sorted(lines, key=lambda line: (line.album.artist.name, line.album.title)),
        items_eur=sum((line.quote.item_eur for line in lines), Decimal("0")),
        shipping_eur=eur(basket_solver.parcel_shipping_cents(offers)),
    )

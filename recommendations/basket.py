"""The listener's cheapest basket: their locked and wantlisted albums, bought from as few
parcels as the landed total wants (recommendations.basket_solver does the choosing).

The instance comes from a few set-based queries: the albums (locks, wantlist here, Discogs
wantlist), their landed quotes that pass the listener's buying filters (pricing.filters, any
acceptable pressing), and the shipping table. Only landed quotes are summed; an album with none
is listed as unpriced.

Parcels: quotes of a crawled seller (seller_account) ship together: the first item at the
seller's stated rate when the quote's shipping is exact, else the table's first-item cost from
the seller's country; each additional item at the table's additional cost for that route, or at
the full rate again when no table row covers it (we assume no discount we cannot show). Any other
quote (an eBay listing, a shop's own price) carries its own shipping and is a parcel of one.
"""
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from accounts.models import CollectionItem
from catalog.models import Album
from pricing import shipping as shipping_table
from pricing.filters import filter_quotes
from pricing.models import PriceQuote

from . import basket_solver
from .models import Feedback

CENTS = Decimal("100")


@dataclass
class Line:
    album: Album
    quote: PriceQuote


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


@dataclass
class BasketView:
    method: str  # basket_solver.EXACT or GREEDY
    parcels: list  # SellerParcel, most expensive first
    unpriced: list  # Album
    total_eur: Decimal
    separate_eur: Decimal
    country: str

    @property
    def saving_eur(self):
        return self.separate_eur - self.total_eur

    @property
    def album_count(self):
        return sum(len(parcel.lines) for parcel in self.parcels)


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
    offers, parcels = _instance(quotes, filters.country, shipping_table.load_table())
    basket = basket_solver.solve([album.pk for album in albums], offers, parcels)
    return _view(basket, albums, {quote.pk: quote for quote in quotes}, parcels, filters.country)


def _landed_quotes(album_ids, filters):
    quotes = filter_quotes(PriceQuote.objects.filter(album_id__in=album_ids), filters)
    return list(quotes.select_related("store", "seller_account", "release"))


def _instance(quotes, country, table):
    offers, parcels = [], {}
    for quote in quotes:
        parcel = _parcel_key(quote)
        first, additional = _shipping_cents(quote, country, table)
        known = parcels.get(parcel)
        if known is None or first > known.first_cents:  # a seller's dearest stated rate, to be safe
            parcels[parcel] = basket_solver.Parcel(first, additional)
        offers.append(basket_solver.Offer(quote.album_id, quote.pk, parcel, _cents(quote.item_eur)))
    return offers, parcels


def _parcel_key(quote):
    if quote.seller_account_id:
        return f"seller:{quote.seller_account_id}"
    return f"quote:{quote.pk}"


def _shipping_cents(quote, country, table):
    """(first item, each additional) for the quote's parcel, in cents."""
    first = _cents(quote.shipping_eur)
    if not quote.seller_account_id:
        return first, first
    rate = shipping_table.rate_for(quote.item_location, country, table)
    if rate is None:
        return first, first
    if quote.shipping_kind == PriceQuote.ShippingKind.ESTIMATED:
        first = _cents(rate.first_item_eur)
    return first, _cents(rate.additional_item_eur)


def _cents(amount):
    return int((amount * CENTS).to_integral_value())


def _eur(cents):
    return (Decimal(cents) / CENTS).quantize(Decimal("0.01"))


def _view(basket, albums, quotes, parcels, country):
    by_id = {album.pk: album for album in albums}
    grouped = {}
    for album_id, offer in basket.chosen.items():
        grouped.setdefault(offer.parcel, []).append(Line(by_id[album_id], quotes[offer.key]))
    sellers = [_seller_parcel(lines, parcels[key]) for key, lines in grouped.items()]
    return BasketView(
        method=basket.method,
        parcels=sorted(sellers, key=lambda p: (-p.total_eur, p.name)),
        unpriced=[by_id[album_id] for album_id in basket.unpriced],
        total_eur=_eur(basket.total_cents),
        separate_eur=_eur(basket.separate_cents),
        country=country,
    )


def _seller_parcel(lines, parcel):
    quote = lines[0].quote
    shipping = parcel.first_cents + parcel.extra_cents * (len(lines) - 1)
    return SellerParcel(
        name=quote.seller_account.discogs_username if quote.seller_account else (quote.seller or quote.store.name),
        country=quote.item_location,
        lines=sorted(lines, key=lambda line: (line.album.artist.name, line.album.title)),
        items_eur=sum((line.quote.item_eur for line in lines), Decimal("0")),
        shipping_eur=_eur(shipping),
    )

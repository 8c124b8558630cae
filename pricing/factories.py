"""factory-boy factories for pricing rows."""

from decimal import Decimal

import factory
from django.utils import timezone

from catalog.factories import AlbumFactory, ReleaseFactory

from .models import ExchangeRate, PriceQuote, Store


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store
        django_get_or_create = ["name"]

    kind = "discogs"
    name = factory.Sequence(lambda n: f"Store {n}")


class PriceQuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceQuote

    release = factory.SubFactory(ReleaseFactory)
    album = factory.LazyAttribute(lambda o: o.release.album if o.release else AlbumFactory())
    store = factory.SubFactory(StoreFactory)
    offer_key = factory.Sequence(lambda n: f"offer-{n}")
    currency = "EUR"
    amount = Decimal("20.00")
    shipping = Decimal("5.00")
    # EUR prices: a stated shipping is exact and gives a landed total; without one the quote
    # is an item price only (shipping unknown, no total).
    shipping_kind = factory.LazyAttribute(
        lambda o: PriceQuote.ShippingKind.EXACT if o.shipping is not None else PriceQuote.ShippingKind.UNKNOWN
    )
    shipping_eur = factory.LazyAttribute(lambda o: None if o.shipping_kind == PriceQuote.ShippingKind.UNKNOWN else o.shipping)
    total_eur = factory.LazyAttribute(lambda o: None if o.shipping_eur is None else o.amount + o.shipping_eur)
    item_eur = factory.LazyAttribute(
        lambda o: o.total_eur - o.shipping_eur if o.total_eur is not None and o.shipping_eur is not None else o.amount
    )
    ships_to = "ES"
    fetched_at = factory.LazyFunction(timezone.now)


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    currency = "USD"
    date = factory.LazyFunction(lambda: timezone.now().date())
    rate = Decimal("1.0800")

"""A watch fires once per offer at or under its threshold that passes the filters; the same
offer seen again is quiet, a cheaper observation of it fires again."""

from decimal import Decimal

import pytest

from alerts import watches
from alerts.factories import WatchFactory
from alerts.models import Notification, WatchMatch
from catalog.factories import ReleaseFactory
from pricing.factories import StoreFactory
from pricing.models import PriceQuote
from pricing.offers import Offer, record_offer
from pricing.signals import quotes_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def pressing():
    return ReleaseFactory(album__title="OK Computer", album__artist__name="Radiohead", country="Europe", year=2024)


@pytest.fixture
def watch(pressing):
    watch = WatchFactory(album=pressing.album, max_total_eur=Decimal("30.00"))
    watch.user.profile.country = "ES"
    watch.user.profile.save()
    return watch


def observe(release, amount, *, offer_key="listing-1", shipping=None, ships_from="DE", condition="NM", store=None):
    """A price source records an offer and announces it, as after a refresh or a crawl."""
    store = store or StoreFactory(name="Discogs", kind="discogs")
    offer = Offer(
        album=release.album,
        store=store,
        offer_key=offer_key,
        release=release,
        currency="EUR",
        amount=Decimal(amount),
        shipping=None if shipping is None else Decimal(shipping),
        ships_to="ES",
        item_location=ships_from,
        condition=condition,
        seller="recordshop-berlin",
        url="https://www.discogs.com/sell/item/1",
    )
    quote = record_offer(offer, rates={})
    quotes_changed.send(sender=observe, album_ids={release.album_id})
    return quote


def fired(watch):
    return list(Notification.objects.filter(watch=watch, kind=Notification.Kind.PRICE))


def test_a_matching_offer_fires_exactly_once_with_what_its_price_includes(watch, pressing):
    observe(pressing, "21.00", shipping="6.90")
    observe(pressing, "21.00", shipping="6.90")  # the same offer seen again

    [notification] = fired(watch)
    assert "€27.90 incl. shipping from Germany" in notification.message
    assert "(estimated)" not in notification.message and "OK Computer" in notification.message
    assert notification.user == watch.user and notification.url


def test_an_estimated_shipping_is_said_to_be_estimated(watch, pressing, settings):
    from pricing.models import ShippingRate

    ShippingRate.objects.update_or_create(
        ships_from="EU", ships_to="ES", defaults={"first_item_eur": Decimal("9.00"), "additional_item_eur": Decimal("2")}
    )
    quote = observe(pressing, "18.00")
    assert quote.shipping_kind == PriceQuote.ShippingKind.ESTIMATED
    [notification] = fired(watch)
    assert f"€{quote.total_eur} incl. shipping from Germany (estimated)" in notification.message


def test_an_offer_above_the_threshold_does_not_fire(watch, pressing):
    observe(pressing, "26.00", shipping="6.90")
    assert fired(watch) == []


def test_an_offer_outside_the_listeners_filters_does_not_fire(watch, pressing):
    watch.min_condition = "VG+"
    watch.seller_region = "mine"
    watch.save()
    observe(pressing, "10.00", shipping="5.00", condition="VG", offer_key="worn")
    observe(pressing, "10.00", shipping="5.00", ships_from="DE", condition="NM", offer_key="from-germany")
    assert fired(watch) == []
    observe(pressing, "10.00", shipping="5.00", ships_from="ES", condition="NM", offer_key="from-spain")
    assert len(fired(watch)) == 1


def test_an_item_only_price_never_fires(watch, pressing):
    observe(pressing, "5.00", ships_from="")  # shipping unknown: no landed total
    assert fired(watch) == []


def test_a_cheaper_observation_of_the_same_offer_fires_again_a_dearer_one_does_not(watch, pressing):
    watch.max_total_eur = Decimal("40.00")
    watch.save()
    observe(pressing, "25.00", shipping="5.00")  # €30: fires
    observe(pressing, "28.00", shipping="2.00")  # the same €30 again: quiet
    observe(pressing, "27.00", shipping="5.00")  # dearer, €32: quiet
    observe(pressing, "20.00", shipping="5.00")  # cheaper, €25: fires again
    messages = sorted(n.message for n in fired(watch))
    assert len(messages) == 2 and "€25.00 incl." in messages[0] and "€30.00 incl." in messages[1]
    assert WatchMatch.objects.get(watch=watch).total_eur == Decimal("25.00")


def test_pressing_restrictions_narrow_the_watch(watch, pressing):
    original = ReleaseFactory(album=pressing.album, country="UK", year=1997)
    watch.year_to = 2000
    watch.save()
    observe(pressing, "10.00", shipping="5.00", offer_key="repress")
    assert fired(watch) == []
    observe(original, "10.00", shipping="5.00", offer_key="original")
    watch.year_to, watch.pressing_country = None, "europe"
    watch.save()
    watches.evaluate_watch(watch)
    assert len(fired(watch)) == 2


def test_two_evaluations_of_the_same_offers_fire_once(watch, pressing):
    observe(pressing, "10.00", shipping="5.00")
    assert watches.evaluate_watch(watch) == [] and watches.evaluate_albums([pressing.album_id]) == []
    assert len(fired(watch)) == 1

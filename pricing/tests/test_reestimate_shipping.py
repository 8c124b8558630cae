"""A shipping-table edit re-estimates the stored quotes it decides and their best prices, so the
card, the best price, the basket and the alerts agree after any edit (issue 21, Build 4).
Runs on SQLite and, in the PostgreSQL leg, on PostgreSQL (the best-price table's SQL)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from catalog.factories import ReleaseFactory
from pricing import best_price
from pricing.factories import StoreFactory
from pricing.models import AlbumBestPrice, PriceQuote, ShippingRate
from pricing.offers import Offer, record_offer
from pricing.services import reestimate_shipping
from pricing.signals import best_prices_changed

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def box_from_germany():
    """One table row (Germany → Spain, 12.00 + 3.00 an LP) and a box set offered from Germany at
    120.00 with no stated shipping: estimated at 24.00, 144.00 landed, its album's best price."""
    ShippingRate.objects.all().delete()  # the migration's defaults: this test sets its own
    rate = ShippingRate.objects.create(ships_from="DE", ships_to="ES", first_item_eur=D("12.00"), additional_item_eur=D("3.00"))
    box = ReleaseFactory(formats=[{"name": "Box Set"}, {"name": "Vinyl", "qty": "5"}])
    offer = Offer(
        album=box.album,
        release=box,
        store=StoreFactory(name="A shop"),
        offer_key="box",
        currency="EUR",
        amount=D("120.00"),
        item_location="DE",
        ships_to="ES",
    )
    quote = record_offer(offer, rates={})
    best_price.update_best_prices([box.album_id])
    return rate, quote


def best_total(quote):
    row = AlbumBestPrice.objects.filter(album_id=quote.album_id, ships_to="ES").first()
    return row and row.total_eur


def test_editing_a_rate_in_the_admin_re_estimates_the_quote_and_its_best_price(
    client, box_from_germany, django_capture_on_commit_callbacks
):
    rate, quote = box_from_germany
    assert best_total(quote) == D("144.00")
    client.force_login(get_user_model().objects.create_superuser("ops", "ops@example.com", "pass-ops-1"))
    announced = []
    best_prices_changed.connect(
        lambda sender, album_ids, **kw: announced.extend(album_ids), weak=False, dispatch_uid="test.reestimate"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("admin:pricing_shippingrate_change", args=[rate.pk]),
                {
                    "ships_from": "DE",
                    "ships_to": "ES",
                    "first_item_eur": "15.00",
                    "additional_item_eur": "3.00",
                    "source": "Deutsche Post 2027",
                },
            )
    finally:
        best_prices_changed.disconnect(dispatch_uid="test.reestimate")
    assert response.status_code == 302
    quote.refresh_from_db()
    assert (quote.shipping_kind, quote.shipping_eur, quote.total_eur, quote.item_eur) == (
        "estimated",
        D("30.00"),
        D("150.00"),
        D("120.00"),
    )
    assert best_total(quote) == D("150.00") and announced == [quote.album_id]


def test_deleting_the_only_row_for_a_route_makes_its_shipping_unknown_and_removes_the_best_price(
    box_from_germany, django_capture_on_commit_callbacks
):
    rate, quote = box_from_germany
    with django_capture_on_commit_callbacks(execute=True):
        rate.delete()
    quote.refresh_from_db()
    assert (quote.shipping_kind, quote.shipping_eur, quote.total_eur) == ("unknown", None, None)
    assert best_total(quote) is None


def test_a_new_row_gives_an_unknown_shipping_an_estimate(box_from_germany, django_capture_on_commit_callbacks):
    _, quote = box_from_germany
    lp = ReleaseFactory(formats=[{"name": "Vinyl", "qty": "1"}])
    offer = Offer(
        album=lp.album,
        release=lp,
        store=quote.store,
        offer_key="lp",
        currency="EUR",
        amount=D("20.00"),
        item_location="FR",
        ships_to="ES",
    )
    unknown = record_offer(offer, rates={})
    assert unknown.shipping_kind == "unknown"
    with django_capture_on_commit_callbacks(execute=True):
        ShippingRate.objects.create(ships_from="FR", ships_to="ES", first_item_eur=D("10.00"), additional_item_eur=D("2.00"))
    unknown.refresh_from_db()
    assert (unknown.shipping_kind, unknown.total_eur) == ("estimated", D("30.00")) and best_total(unknown) == D("30.00")


def test_a_listings_own_weight_class_and_a_stated_shipping_are_kept(box_from_germany):
    rate, quote = box_from_germany
    lp = ReleaseFactory(formats=[{"name": "Vinyl", "qty": "1"}])
    double = record_offer(
        Offer(
            album=lp.album,
            release=lp,
            store=quote.store,
            offer_key="2lp",
            currency="EUR",
            amount=D("20.00"),
            item_location="DE",
            ships_to="ES",
            weight_class="2xLP",
        ),
        rates={},
    )
    stated = record_offer(
        Offer(
            album=lp.album,
            release=lp,
            store=quote.store,
            offer_key="stated",
            currency="EUR",
            amount=D("20.00"),
            shipping=D("7.00"),
            item_location="DE",
            ships_to="ES",
        ),
        rates={},
    )
    ShippingRate.objects.filter(pk=rate.pk).update(first_item_eur=D("20.00"))  # no signal: the command's case
    assert reestimate_shipping() == 2  # the box and the double LP; the stated shipping is the seller's
    double.refresh_from_db(), stated.refresh_from_db()
    assert double.shipping_eur == D("26.00") and (stated.shipping_kind, stated.total_eur) == ("exact", D("27.00"))
    assert reestimate_shipping() == 0  # idempotent


def test_the_command_re_estimates_and_says_how_many(box_from_germany, capsys):
    rate, quote = box_from_germany
    ShippingRate.objects.filter(pk=rate.pk).update(first_item_eur=D("11.00"))
    call_command("reestimate_shipping")
    assert "1 quote(s) re-estimated" in capsys.readouterr().out
    assert PriceQuote.objects.get(pk=quote.pk).total_eur == D("142.00") and best_total(quote) == D("142.00")


def test_the_admin_action_re_estimates_with_the_table_as_it_is(admin_client, box_from_germany):
    rate, quote = box_from_germany
    ShippingRate.objects.filter(pk=rate.pk).update(first_item_eur=D("10.00"))  # changed without a signal
    response = admin_client.post(
        reverse("admin:pricing_shippingrate_changelist"), {"action": "reestimate_quotes", "_selected_action": [rate.pk]}
    )
    assert response.status_code == 302
    assert PriceQuote.objects.get(pk=quote.pk).total_eur == D("140.00") and best_total(quote) == D("140.00")

"""The shipping table's arithmetic: which row wins, extra records, weight classes, no route."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalog.factories import ReleaseFactory
from pricing import shipping
from pricing.factories import StoreFactory
from pricing.models import ShippingRate
from pricing.offers import Offer, record_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def table():
    ShippingRate.objects.all().delete()  # the migration's defaults: these tests set their own
    for ships_from, ships_to, first, extra in [
        ("DE", "ES", "9.00", "2.00"),
        ("DE", "SAME", "5.00", "0.50"),
        ("EU", "EU", "12.00", "3.00"),
        ("EU", "SAME", "6.00", "1.00"),
        ("GB", "EU", "15.00", "3.00"),
    ]:
        ShippingRate.objects.create(
            ships_from=ships_from, ships_to=ships_to, first_item_eur=Decimal(first), additional_item_eur=Decimal(extra)
        )
    return shipping.load_table()


def test_the_specific_route_beats_the_zone(table):
    assert shipping.estimate("DE", "ES", table=table) == Decimal("9.00")
    assert shipping.estimate("FR", "ES", table=table) == Decimal("12.00")  # EU → EU


def test_a_domestic_parcel_uses_the_same_country_row(table):
    assert shipping.estimate("DE", "DE", table=table) == Decimal("5.00")
    assert shipping.estimate("IT", "IT", table=table) == Decimal("6.00")  # EU → SAME


def test_each_additional_record_adds_its_cost(table):
    assert shipping.estimate("DE", "ES", items=3, table=table) == Decimal("13.00")


def test_heavier_formats_scale_the_cost(table):
    assert shipping.estimate("DE", "ES", weight_class="2xLP", table=table) == Decimal("11.70")
    assert shipping.estimate("DE", "ES", weight_class="box", table=table) == Decimal("18.00")


def test_no_route_means_unknown_shipping(table):
    assert shipping.estimate("US", "ES", table=table) is None
    assert shipping.estimate("", "ES", table=table) is None and shipping.estimate("DE", "", table=table) is None


def test_the_weight_class_comes_from_the_pressings_formats():
    assert shipping.weight_class(ReleaseFactory(formats=[{"name": "Vinyl", "qty": "2", "descriptions": ["LP"]}])) == "2xLP"
    assert (
        shipping.weight_class(ReleaseFactory(formats=[{"name": "Box Set", "qty": "1"}, {"name": "Vinyl", "qty": "4"}])) == "box"
    )
    assert shipping.weight_class(ReleaseFactory(formats=[{"name": "Vinyl", "qty": "1", "descriptions": ["LP"]}])) == "LP"
    assert shipping.weight_class(ReleaseFactory(formats=[], format_summary="2xLP, Album, RE")) == "2xLP"
    assert shipping.weight_class(None) == "LP"


def test_an_offer_without_stated_shipping_gets_the_estimate_for_its_pressings_weight(table):
    release = ReleaseFactory(formats=[{"name": "Vinyl", "qty": "2"}])
    offer = Offer(
        album=release.album,
        release=release,
        store=StoreFactory(name="A shop"),
        offer_key="x",
        currency="EUR",
        amount=Decimal("20.00"),
        item_location="DE",
        ships_to="ES",
    )

    quote = record_offer(offer, rates={}, table=table)

    assert (quote.shipping_kind, quote.shipping_eur, quote.total_eur) == ("estimated", Decimal("11.70"), Decimal("31.70"))
    assert quote.price_text == "€31.70 incl. shipping from Germany (estimated)"


def test_the_defaults_cover_every_eu_route_and_say_where_each_figure_comes_from():
    rows = list(ShippingRate.objects.all())
    assert rows and all(row.source for row in rows)
    assert shipping.estimate("ES", "ES") is not None and shipping.estimate("PT", "FI") is not None
    assert shipping.estimate("US", "ES") is not None and shipping.estimate("GB", "DE") is not None
    assert shipping.estimate("DE", "DE") < shipping.estimate("DE", "ES") < shipping.estimate("US", "ES")


def test_operators_edit_the_table_in_the_admin(client):
    admin = get_user_model().objects.create_superuser("ops", "ops@example.com", "pass-ops-1")
    client.force_login(admin)
    page = client.get(reverse("admin:pricing_shippingrate_changelist")).content.decode()
    assert "Deutsche Post" in page and 'name="form-0-first_item_eur"' in page


def test_one_weight_rule_for_a_pressings_formats_and_a_listings_words():
    """pricing.shipping's rule, whether it reads Release.formats, Release.format_summary or a
    marketplace listing's description (pricing.inventory): three records and more are a box."""
    from pricing.inventory import weight_class as listing_weight_class

    for words, weight in [
        ("LP, Album", "LP"),
        ("2xLP, Album, RE", "2xLP"),
        ('2x12", Ltd', "2xLP"),
        ('3x12", Album', "box"),
        ("Box Set, 4xLP", "box"),
        ('LP, Album + 7", Single', "2xLP"),
        ("LP + CD", "LP"),
        ("", "LP"),
    ]:
        assert shipping.weight_class_of_summary(words) == weight, words
        assert shipping.weight_class(ReleaseFactory(formats=[], format_summary=words)) == weight, words
        assert listing_weight_class(f"Radiohead - OK Computer ({words})") == weight, words
    assert shipping.weight_class(ReleaseFactory(formats=[{"name": "Vinyl", "qty": "3", "descriptions": ["LP"]}])) == "box"

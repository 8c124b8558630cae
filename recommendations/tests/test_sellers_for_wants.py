"""Sellers holding your wants: ranked by wanted albums held (any acceptable pressing, or the exact
pressing a Discogs want names), each with the landed total of buying them all there (one shipping
per parcel; an eBay listing ships alone); eBay sellers only when seen in the last week; the page
and GET /api/sellers/for-wants say the same."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import CollectionItemFactory, UserFactory
from catalog.factories import ReleaseFactory
from pricing.factories import PriceQuoteFactory, StoreFactory
from pricing.filters import BuyingFilters
from pricing.models import Seller, ShippingRate, Store
from recommendations.factories import FeedbackFactory
from recommendations.sellers import sellers_for_wants

from .test_basket import listing

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def wants():
    """Blue locked, Court wantlisted here, Hejira on the Discogs wantlist by its 1976 pressing
    (its 2012 reissue is not wanted). Hamburg holds all three albums but only Hejira's reissue;
    Madrid holds Blue and the wanted Hejira; an eBay seller Blue and Court, and an eBay seller
    seen ten days ago Court."""
    user = UserFactory()
    user.profile.country = "ES"
    user.profile.save()
    blue, court, hejira = (ReleaseFactory(album__title=title) for title in ("Blue", "Court", "Hejira"))
    reissue = ReleaseFactory(album=hejira.album, title="Hejira (2012)")
    FeedbackFactory(user=user, album=blue.album, kind="lock")
    FeedbackFactory(user=user, album=court.album, kind="wantlist")
    CollectionItemFactory(user=user, release=hejira, folder="wantlist")
    ShippingRate.objects.create(ships_from="DE", ships_to="ES", first_item_eur=D("12.00"), additional_item_eur=D("3.00"))
    ShippingRate.objects.create(ships_from="ES", ships_to="ES", first_item_eur=D("5.00"), additional_item_eur=D("2.00"))
    discogs, ebay = StoreFactory(name="Discogs", kind="discogs"), StoreFactory(name="eBay", kind="ebay")
    hamburg = Seller.objects.create(discogs_username="hamburg-vinyl", country="DE", rating=D("99.5"), ratings_count=1812)
    madrid = Seller.objects.create(discogs_username="madrid-discos", country="ES")
    for release in (blue, court, reissue):
        listing(release, discogs, hamburg, "DE", "20.00", "12.00", "exact")
    listing(blue, discogs, madrid, "ES", "22.00", "5.00", "estimated")
    listing(hejira, discogs, madrid, "ES", "30.00", "5.00", "estimated")
    listing(hejira, discogs, madrid, "ES", "18.00", "5.00", "estimated", condition="G")
    for release, item in ((blue, "15.00"), (court, "16.00")):
        PriceQuoteFactory(
            release=release,
            store=ebay,
            seller="berlin-bay",
            amount=D(item),
            shipping=D("8.00"),
            item_location="DE",
            condition="VG+",
        )
    PriceQuoteFactory(
        release=court,
        store=ebay,
        seller="old-bay",
        amount=D("9.00"),
        shipping=D("1.00"),
        item_location="DE",
        condition="VG+",
        fetched_at=timezone.now() - timedelta(days=10),
    )
    return user


def test_sellers_are_ranked_by_wanted_albums_held_then_by_their_landed_total(wants):
    found = sellers_for_wants(wants, BuyingFilters("ES"))
    assert found.wanted == 3
    # Hamburg: Blue and Court (the Hejira it has is not the wanted pressing): 40 + 12 + 3 = 55.
    # Madrid: Blue and Hejira at its cheapest copy (G, 18): 40 + 5 + 2 = 47.
    # berlin-bay on eBay: each listing ships alone, (15 + 8) + (16 + 8) = 47; old-bay is too old.
    summary = [(s.name, s.albums, s.items_eur, s.shipping_eur, s.total_eur) for s in found.sellers]
    assert summary == [
        ("berlin-bay", 2, D("31.00"), D("16.00"), D("47.00")),
        ("madrid-discos", 2, D("40.00"), D("7.00"), D("47.00")),
        ("hamburg-vinyl", 2, D("40.00"), D("15.00"), D("55.00")),
    ]
    hamburg = found.sellers[2]
    assert (
        sorted(line.album.title for line in hamburg.lines) == ["Blue", "Court"]
        and hamburg.rating == D("99.5")
        and hamburg.country == "DE"
    )


def test_the_buying_filters_decide_which_copies_count(wants):
    found = sellers_for_wants(wants, BuyingFilters("ES", min_condition="VG+"))
    madrid = next(s for s in found.sellers if s.name == "madrid-discos")
    assert madrid.items_eur == D("52.00") and madrid.total_eur == D("59.00")  # Hejira's VG+ copy at 30
    mine = sellers_for_wants(wants, BuyingFilters("ES", seller_region="mine"))
    assert [s.name for s in mine.sellers] == ["madrid-discos"]


def test_a_seller_holding_more_wants_ranks_first_whatever_its_total(wants):
    wanted_hejira = wants.collection_items.get().release
    listing(
        wanted_hejira,
        Store.objects.get(name="Discogs"),
        Seller.objects.get(discogs_username="hamburg-vinyl"),
        "DE",
        "40.00",
        "12.00",
        "exact",
    )
    top = sellers_for_wants(wants, BuyingFilters("ES")).sellers[0]
    assert (top.name, top.albums, top.total_eur) == ("hamburg-vinyl", 3, D("98.00"))  # 80 + 12 + 3 + 3


def test_the_page_and_the_api_list_the_same_sellers(client, wants):
    client.force_login(wants)
    html = client.get(reverse("recommendations:sellers_for_wants")).content.decode()
    assert html.index("berlin-bay") < html.index("madrid-discos") < html.index("hamburg-vinyl")
    assert (
        "2 of your 3 wanted albums" in html
        and "99.5% of 1,812 ratings" in html
        and "Items €40.00 + shipping €15.00 = €55.00" in html
    )
    body = client.get(reverse("api:sellers_for_wants")).json()
    assert body["wanted"] == 3 and [s["seller"] for s in body["sellers"]] == ["berlin-bay", "madrid-discos", "hamburg-vinyl"]
    hamburg = body["sellers"][2]
    assert (hamburg["albums"], hamburg["total_eur"], hamburg["rating"], hamburg["ratings_count"]) == (2, "55.00", "99.50", 1812)
    assert sorted(item["album"]["title"] for item in hamburg["items"]) == ["Blue", "Court"]


def test_another_listener_sees_no_seller_of_mine(client, wants):
    client.force_login(UserFactory(username="someone-else"))
    html = client.get(reverse("recommendations:sellers_for_wants")).content.decode()
    assert "hamburg-vinyl" not in html and "No seller we know holds" in html

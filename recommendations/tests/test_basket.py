"""The basket from the listener's locks and wantlists: one shipping per seller, landed quotes only,
the buying filters obeyed, unpriced albums listed; the page and GET /api/basket say the same."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.factories import CollectionItemFactory, UserFactory
from accounts.models import CollectionItem
from catalog.factories import ReleaseFactory
from pricing.best_price import update_best_prices
from pricing.factories import PriceQuoteFactory, StoreFactory
from pricing.filters import BuyingFilters
from pricing.models import PriceQuote, Seller, ShippingRate, Store
from pricing.offers import Offer, record_offer
from pricing.queries import album_prices
from recommendations.basket import cheapest_basket
from recommendations.factories import FeedbackFactory
from recommendations.models import Feedback

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def shop():
    """A listener in Spain with three albums (locked, wantlisted here, on the Discogs wantlist);
    a German seller offers all three, a Spanish one two of them a little cheaper, eBay one."""
    user = UserFactory()
    user.profile.country = "ES"
    user.profile.save()
    releases = [ReleaseFactory(album__title=title) for title in ("Blue", "Court", "Hejira")]
    FeedbackFactory(user=user, album=releases[0].album, kind="lock")
    FeedbackFactory(user=user, album=releases[1].album, kind="wantlist")
    CollectionItemFactory(user=user, release=releases[2], folder="wantlist")
    ShippingRate.objects.create(ships_from="DE", ships_to="ES", first_item_eur=D("12.00"), additional_item_eur=D("3.00"))
    ShippingRate.objects.create(ships_from="ES", ships_to="ES", first_item_eur=D("5.00"), additional_item_eur=D("2.00"))
    discogs = StoreFactory(name="Discogs", kind="discogs")
    ebay = StoreFactory(name="eBay", kind="ebay")
    german = Seller.objects.create(discogs_username="hamburg-vinyl", country="DE")
    spanish = Seller.objects.create(discogs_username="madrid-discos", country="ES")
    for release in releases:
        listing(release, discogs, german, "DE", "20.00", "12.00", "exact")
    for release in releases[:2]:
        listing(release, discogs, spanish, "ES", "22.00", "5.00", "estimated")
    PriceQuoteFactory(release=releases[2], store=ebay, amount=D("14.00"), shipping=D("9.00"), item_location="IT", condition="VG+")
    return user, releases


def listing(release, store, seller, country, item, shipping, kind, condition="VG+"):
    return PriceQuoteFactory(
        release=release,
        store=store,
        seller_account=seller,
        seller=seller.discogs_username,
        item_location=country,
        amount=D(item),
        shipping=D(shipping),
        shipping_kind=kind,
        condition=condition,
        url=f"https://www.discogs.com/sell/item/{release.pk}",
    )


def test_the_basket_counts_one_shipping_per_seller_and_beats_buying_separately(shop):
    user, releases = shop
    basket = cheapest_basket(user, BuyingFilters("ES"))
    # One by one: Blue 27 (Spain 22 + 5) + Court 27 + Hejira 23 (eBay 14 + 9) = 77.
    # Spain's parcel of two is 44 + 5 + 2 = 51, with Hejira on eBay 74; all three from Germany
    # 60 + 12 + 3 + 3 = 78.
    assert basket.separate_eur == D("77.00") and basket.total_eur == D("74.00") and basket.saving_eur == D("3.00")
    assert basket.method == "exact" and basket.unpriced == [] and basket.album_count == 3
    spain, ebay = basket.parcels
    assert (spain.name, spain.items_eur, spain.shipping_eur, spain.total_eur) == (
        "madrid-discos",
        D("44.00"),
        D("7.00"),
        D("51.00"),
    )
    assert ebay.total_eur == D("23.00") and [line.album.title for line in ebay.lines] == ["Hejira"]


def test_a_seller_with_most_of_the_wantlist_wins_when_its_additional_items_are_cheap(shop):
    user, releases = shop
    ShippingRate.objects.filter(ships_from="DE").update(additional_item_eur=D("0.00"))
    basket = cheapest_basket(user, BuyingFilters("ES"))
    # All three from Germany: 60 + 12 = 72 < 74 (Spain's two and eBay).
    assert basket.total_eur == D("72.00") and basket.saving_eur == D("5.00")
    [parcel] = basket.parcels
    assert parcel.name == "hamburg-vinyl" and parcel.country == "DE" and parcel.shipping_eur == D("12.00")
    assert [line.album.title for line in parcel.lines] == sorted(r.album.title for r in releases)


def test_an_album_with_only_an_item_price_is_listed_as_unpriced(shop):
    user, releases = shop
    lone = ReleaseFactory(album__title="Ladies of the Canyon")
    FeedbackFactory(user=user, album=lone.album, kind="wantlist")
    PriceQuoteFactory(release=lone, store=Store.objects.get(name="Discogs"), shipping=None)  # statistics: item only
    basket = cheapest_basket(user, BuyingFilters("ES"))
    assert [album.title for album in basket.unpriced] == ["Ladies of the Canyon"]
    assert all(line.album != lone.album for parcel in basket.parcels for line in parcel.lines)


def test_the_buying_filters_decide_which_offers_count(shop):
    user, releases = shop
    PriceQuote.objects.filter(seller_account__discogs_username="madrid-discos").update(condition="VG")
    basket = cheapest_basket(user, BuyingFilters("ES", min_condition="VG+"))
    assert {parcel.name for parcel in basket.parcels} <= {"hamburg-vinyl", "eBay"}
    mine = cheapest_basket(user, BuyingFilters("ES", seller_region="mine"))
    assert {parcel.country for parcel in mine.parcels} == {"ES"}
    assert [album.title for album in mine.unpriced] == ["Hejira"]


def test_the_basket_is_built_in_a_few_queries(shop, django_assert_max_num_queries):
    user, _ = shop
    with django_assert_max_num_queries(4):
        cheapest_basket(user, BuyingFilters("ES"))


def test_the_basket_page_shows_sellers_listings_totals_and_the_method(client, shop):
    user, releases = shop
    client.force_login(user)
    html = client.get(reverse("recommendations:basket")).content.decode()
    assert "€74.00</strong> from 2 sellers instead of €77.00" in html
    assert "Exact answer" in html and "https://www.discogs.com/sell/item/" in html
    assert 'href="/basket/"' in html  # the nav link


def test_the_basket_page_shows_only_my_albums(client, shop):
    client.force_login(UserFactory(username="someone-else"))
    html = client.get(reverse("recommendations:basket")).content.decode()
    assert "Blue" not in html and "No album to buy yet" in html


def test_the_basket_page_sends_visitors_to_sign_in(client):
    response = client.get(reverse("recommendations:basket"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_api_basket_returns_what_the_page_shows(client, shop):
    user, _ = shop
    client.force_login(user)
    data = client.get(reverse("api:basket")).json()
    assert (data["method"], data["total_eur"], data["separate_eur"], data["saving_eur"]) == ("exact", "74.00", "77.00", "3.00")
    spain, ebay = data["sellers"]
    assert (spain["name"], spain["country"], spain["shipping_eur"], spain["total_eur"]) == (
        "madrid-discos",
        "ES",
        "7.00",
        "51.00",
    )
    assert [item["album"]["title"] for item in spain["items"]] == ["Blue", "Court"]
    assert spain["items"][0]["url"].startswith("https://www.discogs.com/sell/item/") and spain["items"][0]["sample"] is False
    assert [item["album"]["title"] for item in ebay["items"]] == ["Hejira"] and data["unpriced"] == []


def test_a_box_set_costs_in_the_basket_what_its_card_says(shop):
    """The box from a German seller: its shipping is estimated at twice an LP's, and a basket of
    it alone costs the landed total its card (the best-price table) shows, to the cent."""
    user, releases = shop
    box = ReleaseFactory(
        album__title="The Complete Studio Recordings", formats=[{"name": "Box Set"}, {"name": "Vinyl", "qty": "6"}]
    )
    FeedbackFactory(user=user, album=box.album, kind="wantlist")
    german = Seller.objects.get(discogs_username="hamburg-vinyl")
    offer = Offer(
        album=box.album,
        release=box,
        store=Store.objects.get(name="Discogs"),
        offer_key="box",
        currency="EUR",
        amount=D("120.00"),
        item_location="DE",
        ships_to="ES",
        seller_account=german,
        seller="hamburg-vinyl",
    )
    quote = record_offer(offer, rates={})
    update_best_prices([box.album_id])
    card = album_prices([box.album_id], BuyingFilters("ES"))[box.album_id].best

    assert (quote.shipping_kind, quote.shipping_eur) == ("estimated", D("24.00"))  # 12.00 × 2 for a box
    assert card.total_eur == D("144.00")
    Feedback.objects.filter(user=user).exclude(album=box.album).delete()
    CollectionItem.objects.filter(user=user).delete()
    basket = cheapest_basket(user, BuyingFilters("ES"))
    assert basket.total_eur == card.total_eur and basket.parcels[0].shipping_eur == D("24.00")


def test_a_box_added_to_a_sellers_parcel_adds_its_own_weights_additional_cost(shop):
    user, releases = shop
    box = ReleaseFactory(album__title="Box", formats=[{"name": "Box Set"}, {"name": "Vinyl", "qty": "4"}])
    FeedbackFactory(user=user, album=box.album, kind="wantlist")
    german = Seller.objects.get(discogs_username="hamburg-vinyl")
    listing(box, Store.objects.get(name="Discogs"), german, "DE", "50.00", "24.00", "exact")
    ShippingRate.objects.filter(ships_from="DE").update(additional_item_eur=D("0.50"))
    basket = cheapest_basket(user, BuyingFilters("ES"))
    [parcel] = [p for p in basket.parcels if p.name == "hamburg-vinyl"]
    # The box goes first (24.00, what its card says); each LP adds 0.50, a box would add 1.00.
    lps = len(parcel.lines) - 1
    assert parcel.shipping_eur == D("24.00") + D("0.50") * lps

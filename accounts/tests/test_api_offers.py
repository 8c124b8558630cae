"""GET /api/albums/{id}/offers: the album's current landed offers to the reader's door under their
filters, each with its landed parts, seller, pressing and deal (or null), in the schema's shape."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from catalog.factories import ReleaseFactory
from pricing.factories import PriceQuoteFactory
from pricing.models import Seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def album_offers():
    release = ReleaseFactory(discogs_id=2576104, country="UK", year=1997)
    seller = Seller.objects.create(discogs_username="hamburg-vinyl", country="DE", rating=Decimal("99.6"), ratings_count=812)
    for total in (40, 41, 45):  # the usual price of a VG+ copy of this pressing: 41
        PriceQuoteFactory(
            release=release,
            amount=Decimal(total - 5),
            condition="VG+",
            is_current=False,
            fetched_at=timezone.now() - timedelta(days=20),
        )
    deal = PriceQuoteFactory(
        release=release,
        amount=Decimal("22.88"),
        condition="VG+",
        seller="hamburg-vinyl",
        seller_account=seller,
        item_location="DE",
        seller_rating=Decimal("99.6"),
        seller_ratings_count=812,
    )
    cheap_unjudged = PriceQuoteFactory(
        release=release, amount=Decimal("10.00"), condition="G", seller="someone", item_location="IT"
    )
    PriceQuoteFactory(release=release, shipping=None)  # item only: not an offer to the door
    PriceQuoteFactory(release=release, ships_to="DE")  # another destination
    return release, deal, cheap_unjudged


def offers(client, album, **params):
    response = client.get(reverse("api:album_offers", args=[album.pk]), params)
    assert response.status_code == 200
    return response.json()


def test_each_offer_has_its_landed_parts_seller_pressing_and_deal(client, album_offers):
    release, deal, cheap = album_offers
    data = offers(client, release.album)  # a visitor: the default country (ES in tests)
    assert data["ships_to"] == "ES" and [o["total_eur"] for o in data["offers"]] == ["15.00", "27.88"]
    judged = data["offers"][1]
    assert (judged["item_eur"], judged["shipping_eur"], judged["shipping"]) == ("22.88", "5.00", "exact")
    assert judged["seller"] == {"name": "hamburg-vinyl", "country": "DE", "rating": "99.60", "ratings_count": 812}
    assert (judged["pressing"]["discogs_id"], judged["pressing"]["country"], judged["pressing"]["year"]) == (2576104, "UK", 1997)
    assert judged["deal"] == {
        "level": "excellent",
        "usual_eur": "41.00",
        "difference_eur": "-13.12",
        "difference_pct": -32,
        "basis": "our observations",
        "observations": 3,
        "pressing": True,
        "sample": False,
    }
    assert data["offers"][0]["deal"] is None  # a G copy: no usual price known


def test_sort_by_deal_puts_the_best_deal_first_and_offers_without_one_last(client, album_offers):
    release, deal, cheap = album_offers
    assert [o["total_eur"] for o in offers(client, release.album, sort="deal")["offers"]] == ["27.88", "15.00"]
    assert len(offers(client, release.album, sort="deal", limit=1)["offers"]) == 1


def test_the_readers_own_filters_apply_and_no_other_listeners(client, album_offers):
    release, deal, cheap = album_offers
    picky = UserFactory()
    picky.profile.country, picky.profile.min_seller_ratings = "ES", 100
    picky.profile.save()
    client.force_login(picky)
    assert [o["total_eur"] for o in offers(client, release.album)["offers"]] == ["27.88"]
    client.force_login(UserFactory())
    assert len(offers(client, release.album)["offers"]) == 2


def test_an_unknown_album_is_404_and_a_bad_sort_422(client, album_offers):
    release, _, _ = album_offers
    assert client.get(reverse("api:album_offers", args=[999999])).status_code == 404
    assert client.get(reverse("api:album_offers", args=[release.album.pk]), {"sort": "random"}).status_code == 422

"""The pressing guide (pricing.guide): which pressing to buy, each pick with a reason made of
facts we hold and its landed price to the reader's door; the reader's buying filters apply; the
same three queries for an album of 5 or 300 pressings; shown above the pressings table."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.editions import classify_albums
from catalog.factories import AlbumFactory, ReleaseFactory
from catalog.models import Release
from pricing.factories import PriceQuoteFactory, StoreFactory
from pricing.filters import BuyingFilters
from pricing.guide import build_guide, suggested

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _quote(release, total, condition="VG+", sample=False, ships_from="DE"):
    return PriceQuoteFactory(
        release=release,
        album=release.album,
        store=StoreFactory(name="Discogs", kind="discogs"),
        amount=Decimal(total),
        shipping=Decimal("0"),
        ships_to="ES",
        condition=condition,
        sample=sample,
        item_location=ships_from,
    )


@pytest.fixture
def dsotm():
    """A Dark Side of the Moon-like album: facts as Discogs gives them, written by hand."""
    album = AlbumFactory(title="The Dark Side Of The Moon", artist__name="Pink Floyd", releases_refreshed_at=timezone.now())
    rows = {
        "original": ReleaseFactory(
            album=album,
            discogs_id=1873013,
            country="UK",
            year=1973,
            released="1973-03-23",
            label="Harvest",
            catalog_number="SHVL 804",
            is_main_release=True,
            rating_average=4.7,
            rating_count=2310,
            have=9000,
            want=4000,
        ),
        "us": ReleaseFactory(
            album=album,
            discogs_id=1873014,
            country="US",
            year=1973,
            label="Harvest",
            catalog_number="SMAS-11163",
            rating_average=4.6,
            rating_count=900,
            have=20000,
            want=1500,
        ),
        "remaster": ReleaseFactory(
            album=album,
            discogs_id=8604224,
            country="Europe",
            year=2016,
            label="Pink Floyd Records",
            catalog_number="PFRLP8",
            format_summary="LP, Album, RE, RM",
            descriptions=["LP", "Album", "Reissue", "Remastered", "180 Gram"],
            weight_grams=180,
            credits=[{"role": "Lacquer Cut By", "name": "Bernie Grundman"}],
            note_flags=["analogue", "remastered"],
            rating_average=4.5,
            rating_count=400,
            have=5000,
            want=300,
        ),
        "cheap": ReleaseFactory(
            album=album,
            discogs_id=9000001,
            country="Germany",
            year=1980,
            label="Harvest",
            catalog_number="1C 064-05 249",
            format_summary="LP, Album, RE",
            rating_average=4.2,
            rating_count=40,
            have=800,
            want=50,
        ),
    }
    classify_albums([album.pk])
    return album, rows


def test_the_guide_picks_the_original_best_rated_best_value_cheapest_and_audiophile(dsotm):
    album, rows = dsotm
    _quote(rows["original"], 80, ships_from="GB")
    _quote(rows["remaster"], 25)
    _quote(rows["cheap"], 14, condition="VG")
    guide = build_guide(album.pk, BuyingFilters("ES"))
    kinds = {pick.kind: pick for pick in guide.picks}
    assert list(kinds) == ["original", "best_rated", "best_value", "cheapest_at_condition", "audiophile"]
    original = kinds["original"]
    assert original.release.pk == rows["original"].pk
    assert (
        original.why
        == "UK 1973, Harvest SHVL 804 original: earliest UK release, Harvest, 1973, matches the master's main release, rated 4.7 by 2,310."
    )
    assert original.price == "€80.00 incl. shipping from the United Kingdom to Spain (exact)"
    assert kinds["best_rated"].release.pk == rows["original"].pk
    assert (
        kinds["best_rated"].why
        == "UK 1973, Harvest SHVL 804, rated 4.7 by 2,310: the highest rating of the 4 pressings with at least 10 votes."
    )
    assert kinds["best_value"].release.pk == rows["cheap"].pk  # 4.2 for €14 beats 4.5 for €25 and 4.7 for €80
    assert kinds["best_value"].why == (
        "Germany 1980, Harvest 1C 064-05 249, rated 4.2 by 40 for €14.00: the most rating for the money of the 3 priced pressings with enough votes."
    )
    assert (
        kinds["cheapest_at_condition"].why
        == "Germany 1980, Harvest 1C 064-05 249: the cheapest landed offer, any condition, of the 3 pressings with one."
    )
    assert kinds["audiophile"].release.pk == rows["remaster"].pk
    assert (
        kinds["audiophile"].why
        == "2016 remaster, cut from the original analogue tapes, Lacquer Cut By Bernie Grundman, 180 g vinyl."
    )
    assert guide.pressings == 4


def test_the_listeners_minimum_condition_moves_the_cheapest_pick(dsotm):
    album, rows = dsotm
    _quote(rows["remaster"], 25, condition="NM")
    _quote(rows["cheap"], 14, condition="VG")
    pick = build_guide(album.pk, BuyingFilters("ES", min_condition="VG+")).pick("cheapest_at_condition")
    assert pick.release.pk == rows["remaster"].pk
    assert (
        pick.why
        == "Europe 2016, Pink Floyd Records PFRLP8: the cheapest landed offer at VG+ or better of the 1 pressing with one."
    )


def test_a_pick_without_a_landed_price_says_so_and_a_sample_price_says_sample(dsotm):
    album, rows = dsotm
    _quote(rows["cheap"], 14, sample=True)
    guide = build_guide(album.pk, BuyingFilters("ES"))
    assert guide.pick("original").quote is None
    assert guide.pick("original").price == "No landed price known for this pressing."
    assert "sample price, not a live offer" in guide.pick("cheapest_at_condition").price


def test_without_offers_the_card_suggests_the_original_and_with_offers_the_best_value(dsotm):
    album, rows = dsotm
    assert suggested(build_guide(album.pk, BuyingFilters("ES"))).kind == "original"
    _quote(rows["remaster"], 25)
    assert suggested(build_guide(album.pk, BuyingFilters("ES"))).release.pk == rows["remaster"].pk


def _album_of(n):
    """An album of `n` pressings over 40 years, the first five with a Discogs offer, classified."""
    album = AlbumFactory()
    store = StoreFactory(name="Discogs", kind="discogs")
    releases = Release.objects.bulk_create(
        [ReleaseFactory.build(album=album, discogs_id=8_000_000 + i, year=1970 + i % 40) for i in range(n)]
    )
    for release in releases[:5]:
        PriceQuoteFactory(release=release, album=album, store=store, amount=Decimal(20 + release.pk % 7))
    classify_albums([album.pk])
    return album


@pytest.mark.parametrize("n", [5, 300])
def test_the_guide_reads_three_queries_whatever_the_number_of_pressings(n, django_assert_num_queries):
    album = _album_of(n)
    with django_assert_num_queries(3):  # the pressings' facts, their cheapest offers, the picks' offers
        guide = build_guide(album.pk, BuyingFilters("ES"))
    assert len(guide.picks) >= 2


def test_the_album_page_loads_the_guide_in_its_own_card_above_the_pressings(client, dsotm):
    album, rows = dsotm
    _quote(rows["remaster"], 25)
    page = client.get(reverse("catalog:album", args=[album.pk])).content.decode()
    slot = page.index(f'hx-get="{reverse("pricing:album_guide", args=[album.pk])}"')
    assert slot < page.index('id="pressings"')
    card = client.get(reverse("pricing:album_guide", args=[album.pk]), **HTMX).content.decode()
    assert card.lstrip().startswith('<section class="fragment card pressing-guide" id="guide"')
    assert "Which pressing to buy" in card and "The audiophile pick" in card and "Bernie Grundman" in card
    assert "No landed price known for this pressing." in card
    pressings = client.get(reverse("pricing:album_pressings", args=[album.pk]), **HTMX).content.decode()
    assert "Which pressing to buy" not in pressings  # the table never waits on the guide


def test_without_a_pick_the_card_is_dropped_and_the_plain_page_says_why(client):
    album = AlbumFactory()
    assert 'id="guide"' not in client.get(reverse("catalog:album", args=[album.pk])).content.decode()  # no pressing, no slot
    assert client.get(reverse("pricing:album_guide", args=[album.pk]), **HTMX).content.decode().strip() == ""
    page = client.get(reverse("pricing:album_guide", args=[album.pk])).content.decode()
    assert "No pick yet: too few pressings of this album carry the facts a pick needs." in page


def test_the_guide_fragment_of_an_unknown_album_is_a_plain_error(client):
    response = client.get(reverse("pricing:album_guide", args=[987654]), **HTMX)
    assert response.status_code == 404 and response["X-Fragment-Error"] == "1"
    assert "Couldn&#x27;t load pressing guide: no such album." in response.content.decode()


@pytest.mark.parametrize("n", [10, 1000])
def test_the_guide_fragment_reads_the_same_queries_for_10_or_1000_pressings_and_then_the_cache(
    client, n, django_assert_num_queries
):
    album = _album_of(n)
    url = reverse("pricing:album_guide", args=[album.pk])
    # the album (its row carries the cache's stamps: when its prices and pressings last
    # changed), then the guide's three (its pressings, their cheapest offers, its picks'
    # offers); a repeat view: the album alone
    with django_assert_num_queries(4):
        first = client.get(url, **HTMX).content.decode()
    with django_assert_num_queries(1):
        assert client.get(url, **HTMX).content.decode() == first
    assert first.count('class="guide-pick') >= 2

"""eBay offers on their pressing (issue 23, point 5): the matcher on hand-written listing titles
(precision at the threshold), on recorded Discogs versions with the built eBay listings, and the
refresh that reads item specifics once, within its share of eBay's quota, and shows an offer as a
pressing's only when matched."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from catalog.factories import AlbumFactory, ArtistFactory, ReleaseFactory
from catalog.pressing_filters import PressingFilters
from integrations import ratelimit
from integrations.ebay import ApplicationToken, VinylCategory
from integrations.models import ApiCall
from integrations.replay import record_fixture
from integrations.tests.conftest import recording
from pricing import queries, sources
from pricing.models import PriceQuote
from pricing.offers import Offer, record_offer
from pricing.pressing_match import THRESHOLD, aspects_text, match_listing, tokens
from pricing.sources import ebay as ebay_source
from vinilogy.demo import replaying

from . import ebay_listing_cases as cases

SEARCH = (
    "https://api.ebay.com/buy/browse/v1/item_summary/search?q=Neil+Young+Neil+Young+vinyl&category_ids=176985"
    "&filter=itemLocationRegion%3AEUROPEAN_UNION%2CdeliveryCountry%3AES%2CbuyingOptions%3A%7BFIXED_PRICE%7D&limit=50&offset=0"
)
ITEM = "https://api.ebay.com/buy/browse/v1/item/v1%7C11000000000{}%7C0"
NEIL_YOUNG_WORDS = set(tokens("Neil Young Neil Young"))


def recorded_vinyl_versions():
    """The vinyl versions of Neil Young's first album (master 38677), as Discogs listed them."""
    versions = []
    for page in ("master_38677_versions_page1.json", "master_38677_versions_page2.json"):
        versions += recording(f"discogs/{page}")["versions"]
    return [
        SimpleNamespace(
            pk=v["id"],
            country=v.get("country", ""),
            year=int(v["released"][:4]) or None if v.get("released") else None,
            label=v.get("label", ""),
            catalog_number=v.get("catno", ""),
            format_summary=v.get("format", ""),
            edition="",
            weight_grams=None,
            descriptions=[],
        )
        for v in versions
        if "Vinyl" in (v.get("major_formats") or [])
    ]


# --- the matcher -------------------------------------------------------------------------------


def test_precision_on_the_hand_written_listings_is_at_least_95_percent_at_the_threshold():
    results = cases.run_cases(match_listing, aspects_text, tokens)

    precision, recall, matched, correct, expected = cases.precision(results)

    print(f"threshold {THRESHOLD}: precision {precision:.1%} ({correct}/{matched}), recall {recall:.1%} ({correct}/{expected})")
    assert precision >= 0.95
    assert matched >= 20  # the threshold is not so high that nothing is ever matched


@pytest.mark.parametrize(
    "title",
    [
        "Pink Floyd Dark Side Of The Moon SHVL 804 UK 1973 first press",
        "Pink Floyd Dark Side Of The Moon SHVL804 UK 1973 1st press",
        "Pink Floyd Dark Side Of The Moon shvl-804 UK 1973 1st pressing",
    ],
)
def test_a_catalog_number_is_read_with_or_without_spaces_and_dashes(title):
    match = match_listing(title, cases.ALBUMS[cases.DSOTM], set(tokens("Pink Floyd The Dark Side Of The Moon")))

    assert match.release.key == "dsotm-uk73" and "catno SHVL804" in match.evidence


def test_a_catalog_number_shared_by_the_original_and_a_repress_is_not_enough():
    match = match_listing(
        "Pink Floyd Dark Side of the Moon LP SHVL 804", cases.ALBUMS[cases.DSOTM], set(tokens("Pink Floyd Dark Side Moon"))
    )

    assert match.release is None and match.confidence < THRESHOLD and match.best.catalog_number == "SHVL 804"


def test_reissue_and_remaster_words_keep_an_offer_off_the_original():
    dsotm = cases.ALBUMS[cases.DSOTM]
    words = set(tokens("Pink Floyd The Dark Side Of The Moon"))

    assert match_listing("Pink Floyd Dark Side Of The Moon UK 1975 repress SHVL 804", dsotm, words).release.key == "dsotm-uk75"
    assert match_listing("Pink Floyd Dark Side Of The Moon remastered 180g PFRLP8 2016", dsotm, words).release.key == "dsotm-eu16"


def test_words_of_the_album_state_nothing_about_a_pressing():
    """Prince's 1999 is not a 1999 pressing, Europe is not a country, Neil Young's Harvest no label."""
    assert match_listing("Prince 1999 LP", cases.ALBUMS[cases.PRINCE], set(tokens("Prince 1999"))).evidence == ()
    assert (
        match_listing("Neil Young Harvest vinyl LP", cases.ALBUMS[cases.HARVEST], set(tokens("Neil Young Harvest"))).evidence
        == ()
    )
    assert "country Europe" not in match_listing("Europe Final Countdown", [], set(tokens("Europe The Final Countdown"))).evidence


def test_only_item_specifics_that_state_a_pressing_fact_are_read():
    aspects = [
        ("Genre", "Rock"),
        ("Style", "Prog 1973"),
        ("Record Label", "Harvest"),
        ("Número de catálogo", "SHVL 804"),
        ("Erscheinungsjahr", "1973"),
    ]

    assert aspects_text(aspects) == "Harvest SHVL 804 1973"


def test_the_recorded_neil_young_listings_stay_album_level_by_their_titles():
    """The built search's listings against the 81 recorded vinyl versions of master 38677: "RS 6317"
    is on dozens of pressings, "2009 reissue" on four, and no UK pressing is from 1968."""
    versions = recorded_vinyl_versions()
    items = recording("ebay/item_summary_search_built_vinyl-eu.json")["itemSummaries"]

    matches = [match_listing(item["title"], versions, NEIL_YOUNG_WORDS) for item in items]

    assert len(versions) > 60
    assert [m.release for m in matches] == [None, None, None, None]


def test_a_recorded_version_is_found_by_its_catalog_number_and_year():
    versions = recorded_vinyl_versions()

    spain_82 = match_listing("Neil Young s/t LP Spain 1982 HRES 291-93", versions, NEIL_YOUNG_WORDS)
    aspects = dict(recording("ebay/item_built_v1-110000000002-0_aspects.json"), title="")
    europe_09 = match_listing(
        "NEIL YOUNG Neil Young (LP, 2009 reissue, gatefold) NEU "
        + aspects_text([(a["name"], a["value"]) for a in aspects["localizedAspects"]]),
        versions,
        NEIL_YOUNG_WORDS,
    )

    assert spain_82.release.pk == 7754184 and spain_82.evidence[:2] == ("catno HRES29193", "year 1982")
    assert europe_09.release.pk == 2951940 and europe_09.confidence >= THRESHOLD


# --- the refresh -------------------------------------------------------------------------------


def neil_young_album():
    album = AlbumFactory(artist=ArtistFactory(name="Neil Young"), title="Neil Young")
    for version in recorded_vinyl_versions():
        ReleaseFactory(
            album=album,
            discogs_id=version.pk,
            country=version.country,
            year=version.year,
            label=version.label,
            catalog_number=version.catalog_number,
            format_summary=version.format_summary,
        )
    return album


def serve_ebay(folder):
    cache.set(ApplicationToken("app", "secret").cache_key, "token", 60)  # no token call recorded
    cache.set(VinylCategory.cache_key("EBAY_ES"), "176985", 60)  # nor a Taxonomy API call
    record_fixture(folder, "GET", SEARCH, 200, recording("ebay/item_summary_search_built_vinyl-eu.json"))
    for n in (1, 2):
        record_fixture(folder, "GET", ITEM.format(n), 200, recording(f"ebay/item_built_v1-11000000000{n}-0_aspects.json"))


def item_calls():
    return ApiCall.objects.filter(provider="ebay", endpoint__contains="/buy/browse/v1/item/").count()


@pytest.mark.django_db
def test_a_refresh_reads_the_item_specifics_of_unsure_listings_once_and_matches_what_they_state(tmp_path):
    album = neil_young_album()
    serve_ebay(tmp_path)

    with replaying(tmp_path, EBAY_CLIENT_ID="app", EBAY_CLIENT_SECRET="secret"):
        assert sources.get("ebay").refresh(album, ["ES"], rates={}) == 2
        first_calls = item_calls()
        assert sources.get("ebay").refresh(album, ["ES"], rates={}) == 2

    reprise, europe_09 = PriceQuote.objects.filter(is_current=True).order_by("offer_key")
    assert first_calls == 2 and item_calls() == 2  # the second refresh read what the first stored
    assert europe_09.release.discogs_id == 2951940 and europe_09.match_source == "aspects"
    assert europe_09.match_confidence >= THRESHOLD and "catno 9362497868" in europe_09.match_evidence
    assert reprise.release is None and reprise.match_source == "aspects" and reprise.match_confidence < THRESHOLD


@pytest.mark.django_db
def test_no_item_specifics_are_read_past_their_share_of_the_days_ebay_budget(tmp_path, settings):
    album = neil_young_album()
    serve_ebay(tmp_path)
    settings.DAILY_BUDGETS = {**settings.DAILY_BUDGETS, "ebay": 10}
    limiter = ratelimit.get_limiter("ebay")
    for _ in range(5):  # half of the day's budget spent on searches already
        limiter.spend(10)

    with replaying(tmp_path, EBAY_CLIENT_ID="app", EBAY_CLIENT_SECRET="secret"):
        assert sources.get("ebay").refresh(album, ["ES"], rates={}) == 2

    assert item_calls() == 0
    assert not PriceQuote.objects.filter(release__isnull=False).exists()
    assert set(PriceQuote.objects.values_list("match_source", flat=True)) == {"title"}


@pytest.mark.django_db
def test_an_album_refresh_reads_at_most_its_share_of_item_specifics():
    album = neil_young_album()
    asked = []
    client = SimpleNamespace(item_aspects=lambda item_id: asked.append(item_id) or [])
    pressings = ebay_source.ListingPressings(album, client, sources.get("ebay").store())
    listing = recording("ebay/item_summary_search_built_vinyl-eu.json")["itemSummaries"][0]

    for n in range(ebay_source.DETAIL_CALLS_PER_ALBUM + 3):
        pressings.of(SimpleNamespace(item_id=f"v1|{n}|0", title=listing["title"]))
    pressings.of(SimpleNamespace(item_id="v1|0|0", title=listing["title"]))  # seen in this refresh already

    assert len(asked) == ebay_source.DETAIL_CALLS_PER_ALBUM


@pytest.mark.django_db
def test_a_discogs_listing_naming_its_release_is_exact():
    release = ReleaseFactory()
    store = sources.get("discogs").store()

    quote = record_offer(
        Offer(album=release.album, store=store, offer_key="l:1", currency="EUR", amount=Decimal("10"), release=release), {}
    )

    assert (quote.match_source, quote.match_confidence) == ("listing", 1.0)


@pytest.mark.django_db
def test_an_offer_is_shown_as_a_pressings_only_when_matched():
    album = neil_young_album()
    store = sources.get("ebay").store()
    matched = album.releases.get(discogs_id=7754184)
    common = {
        "album": album,
        "store": store,
        "currency": "EUR",
        "amount": Decimal("20"),
        "shipping": Decimal("5"),
        "ships_to": "ES",
    }
    record_offer(Offer(**common, offer_key="item:1", release=matched, match_confidence=0.9, match_source="title"), {})
    record_offer(Offer(**common, offer_key="item:2", match_confidence=0.4, match_source="title", title="Neil Young LP"), {})

    pressings, _count = queries.pressings_page(album, "ES", PressingFilters())
    offers = {section.source.name: section for section in queries.offers_by_source(album, "ES")}["ebay"]
    html = render_ebay(offers)

    assert [p.discogs_id for p in pressings if p.best_quote] == [7754184]
    assert "any pressing" in html and "Spain 1982 Reprise Records HRES 291-93" in html


def render_ebay(section):
    from django.template.loader import render_to_string

    return render_to_string("pricing/offers/_ebay.html", {"section": section, "source": section.source})

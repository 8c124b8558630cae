"""Discogs client: every recorded answer parsed field by field, then the client's requests
(URLs, parameters, auth, pagination) against those recordings served by `responses`."""

from decimal import Decimal

import pytest

from integrations import discogs
from integrations.discogs import DiscogsClient, DiscogsKeySecretAuth, DiscogsOAuth1, DiscogsTokenAuth
from integrations.errors import NotConfigured, NotFound, RateLimited
from integrations.types import Money

from .conftest import recording, recordings, serve

API = "https://api.discogs.com"
TOKEN = "personal-token-1234"


def token_client():
    return DiscogsClient(DiscogsTokenAuth(TOKEN))


# --- durations, tracklists, formats ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, seconds",
    [("4:23", 263), ("0:51", 51), ("1:02:03", 3723), ("", None), (None, None), ("  ", None), ("4'23", None)],
)
def test_durations_are_read_as_seconds_and_blanks_as_unknown(text, seconds):
    assert discogs.parse_duration(text) == seconds


def test_release_249504_is_parsed_field_by_field():
    raw = recording("discogs/release_249504_rick-astley_never-gonna-give-you-up.json")
    release = discogs.parse_release(raw)

    assert (release.id, release.title, release.master_id) == (249504, "Never Gonna Give You Up", 96559)
    assert release.artist_credit == "Rick Astley"
    assert release.artists[0].id == 72872
    assert [(t.position, t.title, t.duration_seconds) for t in release.tracklist] == [
        ("A", "Never Gonna Give You Up", 212),
        ("B", "Never Gonna Give You Up (Instrumental)", 210),
    ]
    assert release.formats[0].name == "Vinyl" and release.formats[0].qty == 1
    assert release.formats[0].descriptions == ('7"', "45 RPM", "Single")
    assert release.format_summary == '7", 45 RPM, Single'
    assert (release.label, release.catalog_number) == ("RCA", "PB 41447")
    assert (release.country, release.year, release.released, release.status) == ("UK", 1987, "1987-07-00", "Accepted")
    assert (release.rating_average, release.rating_count) == (3.55, 80)
    assert (release.have, release.want) == (814, 148)
    assert release.image_url == raw["images"][0]["uri"] and release.images[0].type == "primary"
    assert [image.type for image in release.images] == [image["type"] for image in raw["images"]]
    assert release.thumb_url == raw["images"][0]["uri150"]
    assert (release.lowest_price, release.num_for_sale) == (Decimal("1.08"), 48)
    assert release.is_vinyl and release.is_official


def test_release_2535152_keeps_every_track_duration():
    release = discogs.parse_release(recording("discogs/release_2535152_neil-young_neil-young.json"))

    assert [(t.position, t.duration_seconds) for t in release.tracklist] == [
        ("A1", 140),
        ("A2", 235),
        ("A3", 142),
        ("A4", 155),
        ("A5", 365),
        ("B1", 65),
        ("B2", 199),
        ("B3", 150),
        ("B4", 168),
        ("B5", 567),
    ]
    assert release.format_summary == "LP, Album, RE"
    assert release.formats[0].text == "Gatefold"
    assert (release.master_id, release.label, release.catalog_number) == (38677, "Reprise Records", "517934-1")


def test_release_1503102_is_the_same_master_on_a_12_inch():
    release = discogs.parse_release(recording("discogs/release_1503102_rick-astley_never-gonna-give-you-up.json"))

    assert [(t.position, t.duration_seconds) for t in release.tracklist] == [("A", 348), ("B1", 381), ("B2", 212)]
    assert (release.master_id, release.format_summary) == (96559, '12", 45 RPM, Maxi-Single')
    assert (release.country, release.label, release.catalog_number) == (
        "Australia & New Zealand",
        "RCA Victor",
        "TDS 407",
    )
    assert (release.have, release.want, release.rating_average) == (313, 185, 4.33)
    assert [image.type for image in release.images][:2] == ["primary", "secondary"]


def test_release_492632_is_a_cd_with_numbered_tracks():
    release = discogs.parse_release(recording("discogs/release_492632_radiohead_ok-computer_cd-canada.json"))

    assert [t.position for t in release.tracklist] == [str(n) for n in range(1, 13)]
    assert release.tracklist[1].duration_seconds == 383  # "6:23"
    assert (release.format_summary, release.is_vinyl, release.master_id) == ("CD, Album", False, 21491)


def test_headings_are_dropped_and_tracks_without_duration_are_unknown():
    release = discogs.parse_release(recording("discogs/release_1823781_david-axelrod_earth-rot.json"))

    assert [t.position for t in release.tracklist] == ["A1", "A2", "A3", "A4", "B1", "B2", "B3"]
    assert {t.duration_seconds for t in release.tracklist} == {None}
    # "Ascension Records (5)": Discogs' disambiguation number is not part of the label name.
    assert release.label == "Ascension Records"


def test_an_index_track_counts_once_at_the_position_of_its_parts():
    release = discogs.parse_release(recording("discogs/release_8604223_pink-floyd_ummagumma_2016.json"))

    assert [(t.position, t.title) for t in release.tracklist] == [
        ("A1", "Astronomy Domine"),
        ("A2", "Careful With That Axe Eugene"),
        ("B1", "Set The Controls For The Heart Of The Sun"),
        ("B2", "A Saucerful Of Secrets"),
        ("C1", "Sysyphus"),
        ("C2", "Grantchester Meadows"),
        ("C3", "Several Species Of Small Furry Animals Gathered Together In A Cave And Grooving With A Pict"),
        ("D1", "The Narrow Way"),
        ("D2", "The Grand Vizier's Garden Party"),
    ]
    assert release.format_summary == "2xLP, Album, RE, RM, Stereo"
    assert (release.country, release.released, release.master_id) == ("Worldwide", "2016-06-03", 20692)


def test_a_box_set_summary_counts_identical_records_once():
    release = discogs.parse_release(recording("discogs/release_2370027_brian-eno_working-backwards-boxset.json"))

    assert release.format_summary == 'Box, Comp + 9xLP, Album, RE + LP + 12", Comp'
    assert sum(fmt.qty for fmt in release.formats if fmt.name == "Vinyl") == 11


def test_cd_and_cassette_pressings_are_not_vinyl():
    cassette = discogs.parse_release(recording("discogs/release_4013586_radiohead_ok-computer_cassette.json"))
    cd = discogs.parse_release(recording("discogs/release_603365_the-fall_live-at-the-witch-trials.json"))

    assert (cassette.format_summary, cassette.is_vinyl) == ("Cass, Album", False)
    assert (cd.format_summary, cd.is_vinyl) == ("2xCD, Album, Dlx, RE, RM", False)
    assert [t.position for t in cd.tracklist][:3] == ["1-1", "1-2", "1-3"]
    assert cd.tracklist[8].duration_seconds == 51  # "0:51"


def test_an_old_release_without_community_block_has_unknown_ratings_and_no_relative_images():
    release = discogs.parse_release(recording("discogs/release_1_persuader-stockholm_old.json"))

    assert (release.rating_average, release.rating_count, release.have, release.want) == (None, None, None, None)
    assert release.images == () and release.image_url == ""
    assert release.format_summary == '2x12"'
    assert [t.duration_seconds for t in release.tracklist] == [285, 371, 169, 338, 292, 316]


@pytest.mark.parametrize("name", [n for n in recordings("discogs/release_*.json") if "headers" not in n])
def test_every_recorded_release_parses_to_its_recorded_values(name):
    raw = recording(name)
    release = discogs.parse_release(raw)

    assert (release.id, release.title, release.country) == (raw["id"], raw["title"], raw["country"])
    assert release.master_id == raw.get("master_id")
    assert release.year == (raw["year"] or None)
    assert [label.name for label in release.labels] == [label["name"] for label in raw["labels"]]
    assert [fmt.name for fmt in release.formats] == [fmt["name"] for fmt in raw["formats"]]
    playable = [t for t in raw["tracklist"] if t.get("type_", "track") in ("track", "index")]
    assert len(release.tracklist) == len(playable)
    assert (release.rating_count, release.want) == (
        raw.get("community", {}).get("rating", {}).get("count"),
        raw.get("community", {}).get("want"),
    )


# --- masters and their versions ---------------------------------------------------------------


def test_ok_computer_master_points_at_its_main_release():
    raw = recording("discogs/master_21491_radiohead_ok-computer.json")
    master = discogs.parse_master(raw)

    assert (master.id, master.title, master.year, master.main_release_id) == (21491, "OK Computer", 1997, 2317517)
    assert (master.artist_credit, master.artists[0].id) == ("Radiohead", 3840)
    assert [(t.position, t.duration_seconds) for t in master.tracklist][:3] == [("1", 284), ("2", 383), ("3", 267)]
    assert len(master.tracklist) == 12
    assert (master.genres, master.styles) == (("Rock",), ("Alternative Rock",))
    assert master.image_url == raw["images"][0]["uri"]
    assert (master.lowest_price, master.num_for_sale) == (Decimal("0.77"), 1261)


@pytest.mark.parametrize("name", [n for n in recordings("discogs/master_*.json") if "versions" not in n])
def test_every_recorded_master_parses_to_its_recorded_values(name):
    raw = recording(name)
    master = discogs.parse_master(raw)

    assert (master.id, master.title, master.main_release_id) == (raw["id"], raw["title"], raw["main_release"])
    assert [a.id for a in master.artists] == [a["id"] for a in raw["artists"]]
    assert len(master.tracklist) == len(raw["tracklist"])


def test_a_disambiguated_artist_is_credited_by_name_only():
    master = discogs.parse_master(recording("discogs/master_81102_dune_dark-side-of-the-moon.json"))

    assert master.artists[0].name == "Dune (3)"
    assert master.artist_credit == "Dune"


def test_versions_page_one_of_two_says_where_the_next_page_is():
    raw = recording("discogs/master_38677_versions_page1.json")
    page = discogs.parse_versions_page(raw)

    assert (len(page.items), page.total, page.next_cursor) == (100, 112, 2)
    first = page.items[0]
    assert (first.id, first.format, first.major_formats, first.catno) == (6579013, "Album", ("Cassette",), "CRX 6317")
    assert (first.country, first.released, first.year, first.have, first.want) == ("US", "1968", 1968, 1, 69)
    assert not first.is_vinyl
    assert sum(v.is_vinyl for v in page.items) == sum("Vinyl" in v["major_formats"] for v in raw["versions"])


def test_versions_last_page_has_no_next_page_and_unknown_years_for_released_0():
    page = discogs.parse_versions_page(recording("discogs/master_38677_versions_page2.json"))

    assert (len(page.items), page.total, page.is_last) == (12, 112, True)
    assert (page.items[0].id, page.items[0].released, page.items[0].year) == (11278266, "0", None)


def test_old_versions_without_major_formats_are_judged_by_their_format_text():
    page = discogs.parse_versions_page(recording("discogs/master_33687_versions_perpage4_page2.json"))

    assert [(v.format, v.is_vinyl) for v in page.items] == [
        ("Cass, Single", False),
        ('12"', True),
        ('7", Single', True),
        ("CD, Single, Car", False),
    ]
    assert (page.total, page.next_cursor) == (9, 3)


@pytest.mark.parametrize(
    "name, count, vinyl",
    [
        ("discogs/master_38998_versions.json", 16, 8),
        ("discogs/master_67464_versions.json", 5, 3),
        ("discogs/master_4242_versions_page1.json", 2, 2),
        ("discogs/master_2535152_versions_empty.json", 0, 0),
    ],
)
def test_single_page_version_lists_are_last_pages(name, count, vinyl):
    page = discogs.parse_versions_page(recording(name))

    assert (len(page.items), sum(v.is_vinyl for v in page.items), page.is_last) == (count, vinyl, True)


# --- artists and search ---------------------------------------------------------------------


@pytest.mark.parametrize("name", recordings("discogs/artist_*.json"))
def test_every_recorded_artist_parses_with_its_primary_image(name):
    raw = recording(name)
    artist = discogs.parse_artist(raw)

    assert (artist.id, artist.name) == (raw["id"], raw["name"])
    primary = next((i["uri"] for i in raw.get("images", []) if i["type"] == "primary"), "")
    assert artist.image_url == (primary if primary.startswith("https://") else "")


def test_bowie_artist_image_is_the_primary_one():
    artist = discogs.parse_artist(recording("discogs/artist_10263_david-bowie.json"))

    assert artist.image_url.startswith("https://img.discogs.com/vRbyhgLVkVndpEGYASILL7IpoG8=/600x600/")
    assert artist.realname == "David Robert Jones"


def test_search_page_lists_results_with_pagination():
    page = discogs.parse_search_page(recording("discogs/database_search_q-prodigy_type-release_page1.json"))

    assert (len(page.items), page.total, page.next_cursor) == (50, 5661, 2)
    first = page.items[0]
    assert (first.id, first.type, first.year, first.catno) == (2734257, "release", 1997, "PRODIGY 2811685")
    assert first.formats == ("CD", "Compilation", "Unofficial Release")
    assert (first.artist_name, first.release_title) == ("Prodigy, The", "The Rest, The Unreleased! The Last")
    assert (first.have, first.want) == (6, 8)


def test_old_search_answers_mix_artists_and_releases_and_drop_relative_thumbnails():
    page = discogs.parse_search_page(recording("discogs/database_search_q-trash80.json"))

    assert [(r.type, r.id) for r in page.items][:2] == [("artist", 95780), ("release", 1743771)]
    assert len(page.items) == 13 and page.is_last
    assert page.items[1].thumb == ""
    assert page.items[1].labels == ("8bitpeoples",)


# --- marketplace -----------------------------------------------------------------------------


def test_marketplace_stats_give_lowest_price_and_count_and_default_to_not_blocked():
    stats = discogs.parse_marketplace_stats(recording("discogs/marketplace_stats_1.json"), release_id=1)

    assert stats.lowest_price == Money(Decimal("100.00"), "EUR")
    assert (stats.num_for_sale, stats.blocked_from_sale) == (10, False)


def test_price_suggestions_2576104_cover_all_eight_conditions_in_cents():
    suggestions = discogs.parse_price_suggestions(recording("discogs/marketplace_price_suggestions_2576104.json"))

    assert suggestions == {
        "Mint (M)": Money(Decimal("7.16"), "USD"),
        "Near Mint (NM or M-)": Money(Decimal("6.41"), "USD"),
        "Very Good Plus (VG+)": Money(Decimal("4.90"), "USD"),
        "Very Good (VG)": Money(Decimal("3.39"), "USD"),
        "Good Plus (G+)": Money(Decimal("1.88"), "USD"),
        "Good (G)": Money(Decimal("1.13"), "USD"),
        "Fair (F)": Money(Decimal("0.75"), "USD"),
        "Poor (P)": Money(Decimal("0.38"), "USD"),
    }


def test_price_suggestions_1215019_are_read_the_same_way():
    suggestions = discogs.parse_price_suggestions(recording("discogs/marketplace_price_suggestions_1215019.json"))

    assert suggestions["Mint (M)"] == Money(Decimal("18.75"), "USD")
    assert suggestions["Poor (P)"] == Money(Decimal("0.99"), "USD")
    assert len(suggestions) == 8


def test_no_price_suggestion_is_an_empty_dict():
    assert discogs.parse_price_suggestions(recording("discogs/marketplace_price_suggestions_2576105_empty.json")) == {}


# --- collection and wantlist -----------------------------------------------------------------


def test_collection_first_page_of_32():
    page = discogs.parse_collection_page(recording("discogs/user_brotherlogic_collection_folder0_releases_page1.json"))

    assert (len(page.items), page.total, page.next_cursor) == (100, 3104, 2)
    item = page.items[0]
    assert (item.release_id, item.instance_id, item.folder_id, item.rating) == (2749755, 130899776, 242017, 4)
    assert (item.title, item.artist_credit, item.year) == (
        "A Siren Blares In An Indifferent Ocean",
        "Bridget Hayden",
        2011,
    )
    assert (item.format_summary, item.is_vinyl) == ("LP, Album, Ltd", True)
    assert item.labels[0].catno == "K066"
    assert item.date_added.isoformat() == "2015-05-27T17:42:11-07:00"


def test_collection_last_page_is_partial_and_last():
    page = discogs.parse_collection_page(recording("discogs/user_brotherlogic_collection_folder0_releases_page32_last.json"))

    assert [(i.release_id, i.title, i.rating) for i in page.items] == [
        (241035, "Spaz The World", 4),
        (1003652, "Pubs, Drunks And Hip-Hop", 0),
        (3362530, "Head In California / My Dog", 0),
        (2427488, "Back To The Story", 0),
    ]
    assert page.is_last and page.items[0].format_summary == "2xLP"


def test_wantlist_pages_have_no_instance_and_keep_master_ids():
    first = discogs.parse_wantlist_page(recording("discogs/user_brotherlogic_wants_page1.json"))
    last = discogs.parse_wantlist_page(recording("discogs/user_brotherlogic_wants_page3_last.json"))

    assert (len(first.items), first.total, first.next_cursor) == (100, 286, 2)
    assert (first.items[0].release_id, first.items[0].master_id, first.items[0].instance_id) == (9997880, 5278, None)
    assert first.items[0].format_summary == "CDr, Album, RE, RM, Unofficial"
    assert (len(last.items), last.is_last) == (86, True)


def test_small_example_collection_and_wantlist():
    collection = discogs.parse_collection_page(recording("discogs/user_example_collection_folder0_releases_page1.json"))
    wants = discogs.parse_wantlist_page(recording("discogs/user_example_wants_page1.json"))

    assert collection.items[0].artist_credit == "Kruder & Dorfmeister"
    assert collection.items[0].artists[0].anv == "Kruder Dorfmeister"
    assert collection.items[0].format_summary == "5xLP, Comp, RE, RM"
    assert [(w.release_id, w.title, w.rating) for w in wants.items] == [
        (1867708, "Year Zero", 4),
        (1675174, "Dawn Metropolis", 3),
        (1, "Stockholm", 0),
    ]
    assert collection.is_last and wants.is_last


# --- the client: URLs, parameters, auth, pagination ------------------------------------------


@pytest.mark.django_db
def test_all_vinyl_versions_walk_every_page_and_stop_at_the_last(provider_api):
    url = f"{API}/masters/38677/versions"
    for page in (1, 2):
        serve(
            provider_api,
            url,
            f"discogs/master_38677_versions_page{page}.json",
            params={"format": "Vinyl", "per_page": "100", "page": str(page)},
            headers={"Authorization": f"Discogs token={TOKEN}"},
        )

    versions = token_client().master_versions(38677)

    assert len(provider_api.calls) == 2
    raw = (
        recording("discogs/master_38677_versions_page1.json")["versions"]
        + recording("discogs/master_38677_versions_page2.json")["versions"]
    )
    assert [v.id for v in versions] == [v["id"] for v in raw if "Vinyl" in v["major_formats"]]
    assert len(versions) == 76
    assert all(TOKEN not in call.request.url for call in provider_api.calls)


@pytest.mark.django_db
def test_versions_are_filtered_to_vinyl_again_when_discogs_ignores_the_filter(provider_api):
    serve(
        provider_api,
        f"{API}/masters/67464/versions",
        "discogs/master_67464_versions.json",
        params={"format": "Vinyl", "per_page": "100", "page": "1"},
    )

    versions = token_client().master_versions(67464)

    assert [v.id for v in versions] == [679324, 2018943, 1823781]
    assert len(provider_api.calls) == 1


@pytest.mark.django_db
def test_release_lookup_reads_the_release_and_the_rate_limit_headers(provider_api):
    headers = recording("discogs/release_249504_response_headers.json")["headers"]
    quota = {k: v for k, v in headers.items() if k.startswith("X-Discogs")}
    serve(
        provider_api,
        f"{API}/releases/249504",
        "discogs/release_249504_rick-astley_never-gonna-give-you-up.json",
        params={},
        response_headers=quota,
    )
    client = token_client()

    release = client.release(249504)

    assert release.master_id == 96559
    assert client.http.last_headers["X-Discogs-Ratelimit-Remaining"] == "55"


@pytest.mark.django_db
def test_a_missing_release_is_a_not_found_error(provider_api):
    serve(provider_api, f"{API}/releases/2331612", "discogs/error_404_release_2331612.json", status=404)

    with pytest.raises(NotFound) as raised:
        token_client().release(2331612)

    assert raised.value.permanent


# Discogs' rate-limit headers (https://www.discogs.com/developers/#page:home,header:home-rate-limiting)
# on the recorded 429 body: the window is full.
WINDOW_FULL = {"X-Discogs-Ratelimit": "60", "X-Discogs-Ratelimit-Used": "60", "X-Discogs-Ratelimit-Remaining": "0"}


@pytest.mark.django_db
def test_a_rate_limited_answer_waits_out_the_moving_window_then_succeeds(provider_api, http_clock):
    url = f"{API}/masters/21491"
    serve(provider_api, url, "discogs/error_429_rate_limited.json", status=429, response_headers=WINDOW_FULL)
    serve(provider_api, url, "discogs/master_21491_radiohead_ok-computer.json")

    master = token_client().master(21491)

    assert master.main_release_id == 2317517
    assert len(provider_api.calls) == 2
    assert http_clock.waits == [pytest.approx(60.0)]


@pytest.mark.django_db
def test_a_429_without_rate_limit_headers_still_waits_a_whole_window(provider_api, http_clock):
    url = f"{API}/masters/21491"
    serve(provider_api, url, "discogs/error_429_rate_limited.json", status=429)
    serve(provider_api, url, "discogs/master_21491_radiohead_ok-computer.json")

    token_client().master(21491)

    assert http_clock.waits == [pytest.approx(60.0)]


@pytest.mark.django_db
def test_a_window_longer_than_a_worker_may_wait_hands_the_delay_to_the_task(provider_api, settings):
    settings.HTTP_BACKOFF_MAX = 30
    url = f"{API}/masters/21491"
    overshoot = {**WINDOW_FULL, "X-Discogs-Ratelimit-Used": "90"}
    serve(provider_api, url, "discogs/error_429_rate_limited.json", status=429, response_headers=overshoot)

    with pytest.raises(RateLimited) as raised:
        token_client().master(21491)

    assert raised.value.retry_after == pytest.approx(90.0) and len(provider_api.calls) == 1


@pytest.mark.django_db
def test_a_page_out_of_range_is_not_found(provider_api):
    serve(
        provider_api,
        f"{API}/users/brotherlogic/wants",
        "discogs/error_page_out_of_range_wants_page4.json",
        status=404,
        params={"per_page": "100", "page": "4"},
    )

    with pytest.raises(NotFound):
        token_client().wantlist_page("brotherlogic", page=4)


@pytest.mark.django_db
def test_search_asks_for_vinyl_masters_by_artist_and_title(provider_api):
    serve(
        provider_api,
        f"{API}/database/search",
        "discogs/database_search_q-trash80.json",
        params={
            "artist": "Trash80",
            "release_title": "Icarus",
            "type": "master",
            "format": "Vinyl",
            "per_page": "100",
            "page": "1",
        },
    )

    results = token_client().search("Trash80", "Icarus")

    assert len(results) == 13 and len(provider_api.calls) == 1


@pytest.mark.django_db
def test_collection_trusts_the_page_count_not_a_next_link_pointing_back(provider_api):
    # This recording's urls.next points at page 1 again although pages == 1.
    serve(
        provider_api,
        f"{API}/users/example/collection/folders/0/releases",
        "discogs/user_example_collection_folder0_releases_page1.json",
        params={"per_page": "100", "page": "1"},
    )

    items = token_client().collection("example")

    assert [i.release_id for i in items] == [
        i["id"] for i in recording("discogs/user_example_collection_folder0_releases_page1.json")["releases"]
    ]
    assert len(provider_api.calls) == 1


@pytest.mark.django_db
def test_wantlist_reads_every_item_of_a_single_page(provider_api):
    serve(
        provider_api,
        f"{API}/users/example/wants",
        "discogs/user_example_wants_page1.json",
        params={"per_page": "100", "page": "1"},
    )

    assert [w.release_id for w in token_client().wantlist("example")] == [1867708, 1675174, 1]


@pytest.mark.django_db
def test_marketplace_stats_are_asked_in_euros(provider_api):
    serve(provider_api, f"{API}/marketplace/stats/1", "discogs/marketplace_stats_1.json", params={"curr_abbr": "EUR"})

    stats = token_client().marketplace_stats(1)

    assert stats.lowest_price == Money(Decimal("100.00"), "EUR")


@pytest.mark.django_db
def test_price_suggestions_are_signed_with_oauth1_and_no_secret_travels(provider_api):
    serve(
        provider_api,
        f"{API}/marketplace/price_suggestions/2576104",
        "discogs/marketplace_price_suggestions_2576104.json",
    )
    auth = DiscogsOAuth1("consumer-key", "consumer-secret-xyz", "user-token", "user-token-secret-xyz")

    suggestions = DiscogsClient(auth).price_suggestions(2576104)

    request = provider_api.calls[0].request
    header = request.headers["Authorization"]
    assert header.startswith("OAuth ")
    assert 'oauth_consumer_key="consumer-key"' in header and 'oauth_token="user-token"' in header
    assert 'oauth_signature_method="HMAC-SHA1"' in header
    assert "secret-xyz" not in header + request.url
    assert len(suggestions) == 8


@pytest.mark.django_db
def test_consumer_key_and_secret_go_in_the_discogs_authorization_header(provider_api):
    serve(
        provider_api,
        f"{API}/artists/3840",
        "discogs/artist_3840_radiohead.json",
        params={},
        headers={"Authorization": "Discogs key=app-key, secret=app-secret"},
    )

    assert DiscogsClient(DiscogsKeySecretAuth("app-key", "app-secret")).artist(3840).name == "Radiohead"


def test_anonymous_clients_get_the_lower_rate_limit(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "discogs": 60.0, "discogs_anonymous": 25.0}

    assert DiscogsClient(None).http.rate_per_minute == 25.0
    assert DiscogsClient(DiscogsTokenAuth("t")).http.rate_per_minute == 60.0


def test_from_settings_prefers_the_personal_token_then_the_consumer_key(settings):
    settings.DISCOGS_TOKEN, settings.DISCOGS_CONSUMER_KEY, settings.DISCOGS_CONSUMER_SECRET = "tok", "key", "sec"
    assert isinstance(DiscogsClient.from_settings().http.auth, DiscogsTokenAuth)

    settings.DISCOGS_TOKEN = ""
    assert isinstance(DiscogsClient.from_settings().http.auth, DiscogsKeySecretAuth)

    settings.DISCOGS_CONSUMER_KEY = ""
    assert DiscogsClient.from_settings().http.auth is None


def test_for_user_signs_with_the_site_consumer_and_the_user_tokens(settings):
    settings.DISCOGS_CONSUMER_KEY, settings.DISCOGS_CONSUMER_SECRET = "key", "sec"

    auth = DiscogsClient.for_user("user-token", "user-secret").http.auth

    assert isinstance(auth, DiscogsOAuth1)
    assert (auth.client.client_key, auth.client.resource_owner_key) == ("key", "user-token")


# --- without credentials ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("call", [lambda c: c.search_page("Nirvana", "Nevermind"), lambda c: c.price_suggestions(1)])
def test_an_anonymous_client_skips_the_calls_that_need_credentials(provider_api, call):
    with pytest.raises(NotConfigured, match="DISCOGS_TOKEN"):
        call(DiscogsClient())

    assert len(provider_api.calls) == 0


def test_the_warning_names_what_running_anonymously_costs(settings):
    settings.DISCOGS_TOKEN = settings.DISCOGS_CONSUMER_KEY = settings.DISCOGS_CONSUMER_SECRET = ""

    assert "database search and price suggestions are skipped" in discogs.credentials_warning()

    settings.DISCOGS_TOKEN = "t0ken"
    assert discogs.credentials_warning() is None


@pytest.mark.django_db
def test_ping_with_a_token_searches_once_sending_the_token_as_a_header(provider_api):
    token, quota = {"Authorization": "Discogs token=t0ken-abc"}, {"X-Discogs-Ratelimit-Remaining": "59"}
    one_result = {"q": "nirvana", "per_page": "1"}
    serve(
        provider_api,
        f"{API}/database/search",
        "discogs/database_search_q-trash80.json",
        params=one_result,
        headers=token,
        response_headers=quota,
    )

    detail = DiscogsClient(DiscogsTokenAuth("t0ken-abc")).ping()

    assert detail.endswith("quota left 59") and "results for 'nirvana'" in detail
    assert "t0ken-abc" not in provider_api.calls[0].request.url


@pytest.mark.django_db
def test_an_anonymous_ping_reads_a_public_release_and_says_what_is_skipped(provider_api):
    serve(provider_api, f"{API}/releases/1", "discogs/release_1_persuader-stockholm_old.json")

    assert "anonymous: release 1 read; database search" in DiscogsClient().ping()


@pytest.mark.parametrize(
    "summary, official",
    [
        ("LP, Album, RE", True),
        ("LP, Album, Unofficial", False),
        ("LP, Unofficial + CD, Album", False),
        ("LP, Unofficially Yours", True),
    ],
)
def test_a_version_is_official_unless_its_summary_says_unofficial_the_one_rule(summary, official):
    assert discogs.format_summary_is_official(summary) is official


def test_a_release_and_its_summary_agree_on_official():
    bootleg = (discogs.Format("Vinyl", 1, ("LP", discogs.UNOFFICIAL)),)
    assert discogs.format_summary_is_official(discogs.format_summary(bootleg)) is False
    assert discogs.format_summary_is_official(discogs.format_summary((discogs.Format("Vinyl", 1, ("LP",)),))) is True

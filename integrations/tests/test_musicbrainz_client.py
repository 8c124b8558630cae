"""MusicBrainz client: artist search and url-rels, release-group browse with each group's
types and credit (the studio verdict on them is catalog.studio's), Discogs master ids from
url-rels, paging and 1 request/s."""

import pytest

from integrations import musicbrainz
from integrations.musicbrainz import MusicBrainzClient

from .conftest import recording, serve

API = "https://musicbrainz.org/ws/2"
LURES = "c8da2e40-bd28-4d4e-813a-bd2f51958ba8"


# --- artists --------------------------------------------------------------------------------


def test_artist_search_result_field_by_field():
    artist = musicbrainz.parse_artist(recording("musicbrainz/artist_search_leonard-cohen_limit1.json")["artists"][0])

    assert (artist.mbid, artist.name, artist.sort_name) == (
        "65314b12-0e08-43fa-ba33-baaa7b874c15",
        "Leonard Cohen",
        "Cohen, Leonard",
    )
    assert (artist.type, artist.country, artist.score) == ("Person", "CA", 100)
    assert artist.urls == () and artist.discogs_id is None


@pytest.mark.parametrize(
    "name, mbid, discogs_id, spotify_id, url_count",
    [
        (
            "musicbrainz/artist_5441c29d_david-bowie_inc-url-rels.json",
            "5441c29d-3602-4898-b1a1-b77fa23b8e50",
            10263,
            "0oSGxfWSnnOXhD2fKuz2Gy",
            57,
        ),
        (
            "musicbrainz/artist_5b11f4ce_nirvana_inc-url-rels.json",
            "5b11f4ce-a62d-471e-81fc-a69a8278c7da",
            125246,
            "6olE6TJLqED3rqDCT0FyPh",
            39,
        ),
        (
            "musicbrainz/artist_6da0515e_skid-row_inc-url-rels.json",
            "6da0515e-a27d-449d-84cc-00713c38a140",
            None,
            None,
            16,
        ),
    ],
)
def test_artist_url_rels_resolve_discogs_and_spotify_ids(name, mbid, discogs_id, spotify_id, url_count):
    raw = recording(name)
    artist = musicbrainz.parse_artist(raw)

    assert (artist.mbid, artist.discogs_id, artist.spotify_id) == (mbid, discogs_id, spotify_id)
    assert len(artist.urls) == url_count == len(raw["relations"])
    assert artist.score is None


# --- release groups: types and credits ---------------------------------------------------------


def test_lures_browse_reads_each_groups_primary_and_secondary_types():
    page = musicbrainz.parse_browse_page(recording("musicbrainz/release-group_browse_artist-lures_inc-artist-credits.json"))

    assert [(g.title, g.primary_type, g.secondary_types) for g in page.items] == [
        ("There's No Pressure", "Album", ()),
        ("Tape", "Album", ()),
        ("Dizzy", "Single", ()),
        ("Lures", "Album", ()),
        ("Vacant", "Single", ()),
    ]
    first = page.items[0]
    assert (first.mbid, first.first_release_date, first.first_release_year) == (
        "14b8ff46-3b93-403b-9e35-018f02eb3a05",
        "2017-02-03",
        2017,
    )
    assert (first.credit_name, first.artist_credit[0].artist_mbid) == ("Lures", LURES)
    assert (page.total, page.is_last) == (5, True)


def test_eps_are_read_as_eps_and_unknown_dates_have_no_year():
    page = musicbrainz.parse_browse_page(recording("musicbrainz/release-group_browse_artist-nirvana_type-ep.json"))

    assert len(page.items) == 8 and page.total == 8
    assert {g.primary_type for g in page.items} == {"EP"}
    assert [(g.title, g.first_release_year) for g in page.items if g.first_release_year] == [
        ("Hormoaning", 1992),
        ("Blew", 1989),
    ]
    assert page.items[0].artist_credit == ()  # browsed without inc=artist-credits


def test_live_albums_and_multi_artist_credits_keep_their_types_and_every_credited_artist():
    page = musicbrainz.parse_browse_page(recording("musicbrainz/release-group_browse_built_mixed_offset0.json"))

    assert [(g.title, g.credit_name, g.primary_type, g.secondary_types, len(g.artist_credit)) for g in page.items] == [
        ("There's No Pressure", "Lures", "Album", (), 1),
        ("Dizzy", "Lures", "Single", (), 1),
        ("Dark Side of the Moon", "Dream Theater", "Album", ("Live",), 1),
        ("Dance / Pop Music", "Neil Watson & Mark Sandell", "Other", (), 2),
    ]
    assert (page.total, page.next_cursor) == (6, 4)


def test_search_hits_are_read_like_browsed_groups():
    groups = [
        musicbrainz.parse_release_group(g)
        for g in recording("musicbrainz/release-group_search_dark-side-of-the-moon_limit5.json")["release-groups"]
    ]

    assert [(g.credit_name, g.primary_type, g.secondary_types) for g in groups] == [
        ("Ernesto vs. Bastian", "Single", ()),
        ("Dream Theater", "Album", ("Live",)),
        ("Dune", "Single", ()),
        ("Future Funk", "Single", ()),
        ("Pink Floyd", "Album", ("Live",)),
    ]


@pytest.mark.parametrize(
    "name, title, master_ids, types",
    [
        (
            "musicbrainz/release-group_4b9a4e03_inc-url-rels_discogs-master-81102.json",
            "Dark Side of the Moon",
            (81102,),
            ("Single", ()),
        ),
        (
            "musicbrainz/release-group_0976d35d_inc-url-rels_discogs-master-125017.json",
            "Dark Side of the Moon",
            (125017,),
            ("Single", ()),
        ),
        (
            "musicbrainz/release-group_dbf64d90_skid-row_slave-to-the-grind_inc-url-rels.json",
            "Slave to the Grind",
            (94196,),
            ("Album", ()),
        ),
        (
            "musicbrainz/release-group_3ec8adf5_pink-floyd_dsotm_inc-url-rels.json",
            "The Dark Side of the Moon",
            (),
            ("Album", ("Live",)),
        ),
    ],
)
def test_release_group_url_rels_give_discogs_master_ids(name, title, master_ids, types):
    group = musicbrainz.parse_release_group(recording(name))

    assert (group.title, group.discogs_master_ids, (group.primary_type, group.secondary_types)) == (title, master_ids, types)
    assert group.discogs_master_id == (master_ids[0] if master_ids else None)


@pytest.mark.parametrize(
    "url, master_id",
    [
        ("https://www.discogs.com/master/81102", 81102),
        ("http://www.discogs.com/master/81102-Dune-Dark-Side-Of-The-Moon", 81102),
        ("https://www.discogs.com/fr/master/94196", 94196),
        ("https://www.discogs.com/release/492632", None),
    ],
)
def test_discogs_master_urls_in_every_spelling(url, master_id):
    group = musicbrainz.ReleaseGroup("id", "t", "Album", (), "", (), (musicbrainz.UrlRelation("discogs", url),))

    assert group.discogs_master_id == master_id


def test_search_text_is_escaped_for_lucene():
    assert musicbrainz.lucene_escape("AC/DC") == "AC\\/DC"
    assert musicbrainz.lucene_escape("!!!") == "\\!\\!\\!"
    assert musicbrainz.lucene_escape("Leonard Cohen") == "Leonard Cohen"


# --- the client ---------------------------------------------------------------------------------


def browse_params(offset):
    return {
        "artist": LURES,
        "type": "album",
        "release-group-status": "website-default",
        "inc": "url-rels+artist-credits",
        "limit": "100",
        "offset": str(offset),
        "fmt": "json",
    }


@pytest.mark.django_db
def test_browse_walks_offsets_until_the_count(provider_api, http_clock):
    serve(
        provider_api,
        f"{API}/release-group",
        "musicbrainz/release-group_browse_built_mixed_offset0.json",
        params=browse_params(0),
    )
    serve(
        provider_api,
        f"{API}/release-group",
        "musicbrainz/release-group_browse_built_mixed_offset4.json",
        params=browse_params(4),
    )
    client = MusicBrainzClient(rate_per_minute=60)

    groups = client.release_groups(LURES)

    assert len(provider_api.calls) == 2
    assert [(g.title, g.discogs_master_id) for g in groups] == [
        ("There's No Pressure", None),
        ("Dizzy", None),
        ("Dark Side of the Moon", None),
        ("Dance / Pop Music", None),
        ("Slave to the Grind", 94196),
        ("Tape", None),
    ]
    # One request per second: the call after the first waited for its slot.
    assert http_clock.waits == [pytest.approx(1.0)]


@pytest.mark.django_db
def test_requests_carry_the_descriptive_user_agent(provider_api, settings):
    settings.VINILOGY_USER_AGENT = "Vinilogy/0.1 ( ops@vinilogy.example )"
    serve(
        provider_api,
        f"{API}/artist/5b11f4ce-a62d-471e-81fc-a69a8278c7da",
        "musicbrainz/artist_5b11f4ce_nirvana_inc-url-rels.json",
        params={"inc": "url-rels", "fmt": "json"},
        headers={"User-Agent": "Vinilogy/0.1 ( ops@vinilogy.example )"},
    )

    assert MusicBrainzClient().artist("5b11f4ce-a62d-471e-81fc-a69a8278c7da").discogs_id == 125246


@pytest.mark.django_db
def test_artist_search_sends_the_escaped_query_and_limit(provider_api):
    serve(
        provider_api,
        f"{API}/artist",
        "musicbrainz/artist_search_leonard-cohen_limit1.json",
        params={"query": "Leonard Cohen", "limit": "1", "fmt": "json"},
    )

    assert [a.name for a in MusicBrainzClient().search_artists("Leonard Cohen", limit=1)] == ["Leonard Cohen"]


@pytest.mark.django_db
def test_release_group_lookup_asks_for_url_rels(provider_api):
    mbid = "4b9a4e03-b582-3ebf-b36c-10797561bc8b"
    serve(
        provider_api,
        f"{API}/release-group/{mbid}",
        "musicbrainz/release-group_4b9a4e03_inc-url-rels_discogs-master-81102.json",
        params={"inc": "url-rels", "fmt": "json"},
    )

    assert MusicBrainzClient().release_group(mbid).discogs_master_id == 81102


NIRVANA = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
NIRVANA_EPS = "musicbrainz/release-group_browse_artist-nirvana_type-ep.json"
NIRVANA_WEBSITE_DEFAULT = "musicbrainz/release-group_browse_artist-nirvana_type-ep_website-default_derived.json"
NIRVANA_BOOTLEGS = "musicbrainz/release_browse_artist-nirvana_type-ep_status-bootleg.json"


def bootleg_titles():
    return {release["title"] for release in recording(NIRVANA_BOOTLEGS)["releases"]}


def test_the_website_default_answer_is_the_recorded_browse_without_its_bootleg_only_groups():
    recorded, derived = recording(NIRVANA_EPS), recording(NIRVANA_WEBSITE_DEFAULT)

    kept = [group for group in recorded["release-groups"] if group["title"] not in bootleg_titles()]

    assert derived["release-groups"] == kept and derived["release-group-count"] == len(kept) == 2


@pytest.mark.django_db
def test_the_browse_asks_for_the_website_default_so_bootleg_only_groups_stay_out(provider_api):
    params = {**browse_params(0), "artist": NIRVANA, "type": "ep"}
    serve(provider_api, f"{API}/release-group", NIRVANA_WEBSITE_DEFAULT, params=params)

    groups = MusicBrainzClient(rate_per_minute=0).release_groups_page(NIRVANA, type="ep").items

    assert [group.title for group in groups] == ["Hormoaning", "Blew"]
    assert not {group.title for group in groups} & bootleg_titles()

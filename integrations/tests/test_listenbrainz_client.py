"""ListenBrainz statistics: the documented example answers, paging by offset, 204 as "not yet"."""

import json

import pytest

from integrations import listenbrainz
from integrations.errors import NotFound
from integrations.listenbrainz import ListenBrainzClient

from .conftest import recording, serve

API = "https://api.listenbrainz.org/1"
ARTISTS = "listenbrainz/stats_user_artists_docs-example.json"
RELEASE_GROUPS = "listenbrainz/stats_user_release-groups_docs-example.json"


def test_top_artists_keep_names_mbids_and_listen_counts():
    page = listenbrainz.parse_artists_page(recording(ARTISTS))

    assert [(a.name, a.mbids, a.listen_count) for a in page.items] == [
        ("The Local train", ("93e6118e-7fa8-49f6-9e02-699a1ebce105",), 385),
        ("Lenka", ("ae9ed5e2-4caf-4b3d-9cb3-2ad626b91714",), 333),
        ("Coldplay", ("cc197bad-dc9c-440d-a5b5-d52ba2e14234",), 321),
    ]
    # 3 of the 100 asked for: a short page is the last one even though 175 artists are counted.
    assert (page.total, page.is_last) == (175, True)


def test_top_release_groups_keep_every_credited_artist():
    page = listenbrainz.parse_release_groups_page(recording(RELEASE_GROUPS))

    monsters, after_hours = page.items
    assert (monsters.name, monsters.mbid, monsters.listen_count) == (
        "Monsters",
        "326b4a29-dff5-4fab-87dc-efc1494001c6",
        456,
    )
    assert monsters.artist_name == "All Time Low ft. Demi Lovato & blackbear" and len(monsters.artist_mbids) == 3
    assert (after_hours.name, after_hours.artist_mbids) == ("After Hours", ("c8b03190-306c-4120-bb0b-6f2ebfc06ea9",))


def test_a_full_page_leads_to_the_next_offset():
    first = listenbrainz.page_at(0, list(range(100)), 175)
    second = listenbrainz.page_at(100, list(range(75)), 175)

    assert (first.next_cursor, second.is_last) == (100, True)


def test_stats_not_computed_yet_are_empty():
    assert listenbrainz.parse_artists_page(None).items == []


@pytest.mark.django_db
def test_client_asks_once_for_the_200_artists_the_profile_uses(provider_api):
    serve(provider_api, f"{API}/stats/user/rob/artists", ARTISTS, params={"range": "year", "count": "200", "offset": "0"})

    artists = ListenBrainzClient().top_artists("rob", range="year")

    assert [a.name for a in artists] == ["The Local train", "Lenka", "Coldplay"]
    assert len(provider_api.calls) == 1


@pytest.mark.django_db
def test_release_groups_are_asked_once_for_the_100_the_profile_uses(provider_api):
    serve(
        provider_api,
        f"{API}/stats/user/rob/release-groups",
        RELEASE_GROUPS,
        params={"range": "all_time", "count": "100", "offset": "0"},
    )

    assert [g.name for g in ListenBrainzClient().top_release_groups("rob")] == ["Monsters", "After Hours"]


@pytest.mark.django_db
def test_204_means_no_statistics_yet(provider_api):
    serve(provider_api, f"{API}/stats/user/newcomer/artists", status=204)

    assert ListenBrainzClient().top_artists("newcomer") == []


@pytest.mark.django_db
def test_an_unknown_user_is_not_found(provider_api):
    serve(
        provider_api,
        f"{API}/stats/user/nobody/artists",
        status=404,
        body='{"code": 404, "error": "Cannot find user: nobody"}',
    )

    with pytest.raises(NotFound):
        ListenBrainzClient().top_artists("nobody")


def test_unknown_ranges_are_refused():
    with pytest.raises(ValueError, match="range"):
        ListenBrainzClient().top_artists("rob", range="decade")


@pytest.mark.django_db
def test_a_full_answer_is_not_followed_by_more_pages(provider_api):
    full = {
        "payload": {
            "artists": [{"artist_name": f"Artist {n}", "listen_count": 300 - n} for n in range(200)],
            "total_artist_count": 5000,
            "count": 200,
            "offset": 0,
            "range": "all_time",
        }
    }
    serve(
        provider_api,
        f"{API}/stats/user/rob/artists",
        body=json.dumps(full),
        params={"range": "all_time", "count": "200", "offset": "0"},
    )

    artists = ListenBrainzClient().top_artists("rob")

    assert len(artists) == 200 and len(provider_api.calls) == 1


def test_more_than_one_call_can_serve_is_refused():
    with pytest.raises(ValueError, match="1000"):
        ListenBrainzClient().top_artists("rob", limit=1001)

"""Usernames reach provider paths as one escaped segment; dot segments never leave us."""

import pytest

from integrations.discogs import DiscogsClient, DiscogsTokenAuth
from integrations.listenbrainz import ListenBrainzClient
from integrations.paths import path_segment

from .conftest import serve


@pytest.mark.parametrize("value, segment", [("rj", "rj"), ("a/b", "a%2Fb"), ("a b?c#d", "a%20b%3Fc%23d"), ("j.doe", "j.doe")])
def test_a_value_is_escaped_into_exactly_one_segment(value, segment):
    assert path_segment(value) == segment


@pytest.mark.parametrize("value", ["", ".", "..", "...", " rj"])
def test_dot_segments_empty_and_padded_values_are_refused(value):
    with pytest.raises(ValueError):
        path_segment(value)


@pytest.mark.django_db
def test_the_discogs_client_never_sends_a_dot_dot_username(provider_api):
    with pytest.raises(ValueError):
        DiscogsClient(DiscogsTokenAuth("t")).collection_page("..")
    with pytest.raises(ValueError):
        DiscogsClient(DiscogsTokenAuth("t")).wantlist_page("..")


@pytest.mark.django_db
def test_the_listenbrainz_client_never_sends_a_dot_dot_username(provider_api):
    with pytest.raises(ValueError):
        ListenBrainzClient().top_artists("..")


@pytest.mark.django_db
def test_a_slash_in_a_listenbrainz_username_stays_inside_its_segment(provider_api):
    serve(
        provider_api,
        "https://api.listenbrainz.org/1/stats/user/a%2Fb/artists",
        "listenbrainz/stats_user_artists_docs-example.json",
    )
    ListenBrainzClient().top_artists("a/b")

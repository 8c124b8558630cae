"""Each listening source's usernames are checked against its own character set."""

import pytest
from django.urls import reverse

from accounts import sources as username_sources, usernames

pytestmark = pytest.mark.django_db

ACCEPTED = [
    ("lastfm", "rj"),
    ("lastfm", "Duhnnie_2-x"),
    ("discogs", "brotherlogic"),
    ("discogs", "j.doe-2_x"),
    ("listenbrainz", "rob"),
    ("listenbrainz", "Björk fan 77"),
]
REFUSED = [
    ("lastfm", "r"),
    ("lastfm", "2pac"),
    ("lastfm", "sixteen_letters_"),
    ("lastfm", "j.doe"),
    ("lastfm", ".."),
    ("discogs", ".."),
    ("discogs", "."),
    ("discogs", "a b"),
    ("discogs", "a/b"),
    ("listenbrainz", ".."),
    ("listenbrainz", "a/b"),
    ("listenbrainz", " rob"),
    ("listenbrainz", "x" * 65),
]


@pytest.mark.parametrize("source, name", ACCEPTED)
def test_a_username_in_the_sources_character_set_is_accepted(source, name):
    assert usernames.problem(source, name) == ""


@pytest.mark.parametrize("source, name", REFUSED)
def test_a_username_outside_the_sources_character_set_is_refused(source, name):
    assert usernames.problem(source, name) == usernames.RULES[source][1]


@pytest.mark.parametrize("source", ["lastfm", "listenbrainz", "discogs"])
def test_the_profile_form_refuses_a_dot_dot_username_for_every_source(client, listener, source):
    data = {
        "lastfm_username": "",
        "listenbrainz_username": "",
        "discogs_username": "",
        "country": "ES",
        "min_tracks_per_album": 5,
        f"{source}_username": "..",
    }
    response = client.post(reverse("accounts:profile_update"), data)
    assert response.status_code == 400
    assert username_sources.get(source).username(listener) == ""


def test_the_landing_form_refuses_a_dot_dot_lastfm_username(client):
    response = client.post(reverse("accounts:start"), {"lastfm_username": ".."}, follow=True)
    assert "begins with a letter" in response.content.decode()
    assert "pending_lastfm_username" not in client.session

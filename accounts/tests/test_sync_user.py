"""manage.py sync_user: sync one or every source of a user, or preview what would change."""

from io import StringIO

import pytest
import responses
from django.core.management import CommandError, call_command

from accounts import sources as username_sources
from accounts.factories import UserFactory
from accounts.models import ListeningSnapshot, SeedArtist

from .recorded import serve_lastfm, serve_listenbrainz

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener(settings):
    settings.LASTFM_API_KEY = "test-key"
    user = UserFactory(username="rj")
    username_sources.get("lastfm").set_username(user, "rj")
    user.profile.save()
    return user


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def run(*args):
    out = StringIO()
    call_command("sync_user", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_syncing_one_source_prints_what_changed(listener, api):
    serve_lastfm(api)
    output = run("rj", "--source", "lastfm")
    assert output.strip() == "lastfm: 3 snapshot(s) changed; artists 1 added, 0 updated, 0 removed, 0 unchanged"
    assert SeedArtist.objects.filter(user=listener, source="lastfm").count() == 1


def test_a_second_run_changes_nothing(listener, api):
    serve_lastfm(api)
    run("rj", "--source", "lastfm")
    assert run("rj", "--source", "lastfm").strip() == "lastfm: unchanged since the last sync"


def test_every_source_is_synced_or_skipped_with_its_reason(listener, api):
    username_sources.get("listenbrainz").set_username(listener, "johndoe")
    listener.profile.save()
    serve_lastfm(api)
    serve_listenbrainz(api, "johndoe")
    lines = run("rj").splitlines()
    assert lines[0].startswith("lastfm: 3 snapshot(s) changed")
    assert lines[1] == "spotify: skipped (Spotify is not connected (optional: Last.fm or ListenBrainz work without it))"
    assert lines[2].startswith("listenbrainz: 3 snapshot(s) changed")
    assert lines[3] == "discogs: skipped (Discogs is not connected and the profile has no Discogs username)"


def test_preview_prints_artists_with_weights_and_writes_nothing(listener, api):
    serve_lastfm(api)
    output = run("rj", "--source", "lastfm", "--preview")
    first, summary = output.strip().splitlines()
    assert first.startswith("add") and "5100  Test Artist  new to the catalog" in first
    assert summary == "lastfm: 1 to add, 0 to update, 0 to remove, 0 unchanged (nothing written)"
    assert not ListeningSnapshot.objects.exists() and not SeedArtist.objects.exists()


def test_an_unknown_user_is_an_error():
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        run("nobody")


def test_an_unknown_source_is_refused(listener):
    with pytest.raises(CommandError):
        run("rj", "--source", "myspace")

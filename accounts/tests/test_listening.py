"""Listening sources: recorded provider answers → snapshots → seed artists, and nothing more
when nothing changed."""

from datetime import timedelta

import pytest
import responses
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts import services, sources as username_sources
from accounts.factories import ListeningSnapshotFactory, SeedArtistFactory, UserFactory
from accounts.models import CollectionItem, ListeningSnapshot, SeedArtist
from accounts.tasks import sync_connected_users
from accounts.weights import MANUAL_SEED_WEIGHT
from catalog.factories import AlbumFactory, ArtistFactory
from catalog.models import Artist, Release
from recommendations import services as recommendations

from .recorded import SPOTIFY_TOKEN, recording, serve_discogs, serve_lastfm, serve_listenbrainz, serve_spotify

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def keys(settings):
    settings.LASTFM_API_KEY = "test-key"
    settings.SPOTIFY_CLIENT_ID = "vinilogy-client"
    settings.DISCOGS_TOKEN = ""


@pytest.fixture
def listener():
    user = UserFactory()
    profile = user.profile
    username_sources.get("lastfm").set_username(user, "rj")
    username_sources.get("listenbrainz").set_username(user, "johndoe")
    username_sources.get("discogs").set_username(user, "brotherlogic")
    profile.save()
    return user


def seeds(user, source):
    return {seed.artist.name: seed for seed in SeedArtist.objects.filter(user=user, source=source).select_related("artist")}


# --- Last.fm -----------------------------------------------------------------------------------


def test_lastfm_answers_become_one_snapshot_per_period(api, keys, listener):
    serve_lastfm(api)
    result = services.sync_source(listener, "lastfm")
    assert result.changed and result.snapshots_changed == 3
    snapshots = ListeningSnapshot.objects.filter(user=listener, source="lastfm")
    assert sorted(snapshots.values_list("period", flat=True)) == ["12month", "6month", "overall"]
    payload = snapshots.get(period="overall").payload
    assert payload["artists"] == [{"name": "Test Artist", "mbid": "", "spotify_id": "", "playcount": 5100, "rank": 1}]
    assert payload["albums"][0] == {
        "artist": "The Ataris",
        "title": "So Long, Astoria",
        "mbid": "13b10ccd-7a67-3090-a59f-0833f8a1681d",
        "playcount": 1118,
        "rank": 1,
    }


def test_lastfm_artists_become_seeds_and_bare_catalog_artists(api, keys, listener):
    serve_lastfm(api)
    services.sync_source(listener, "lastfm")
    seed = seeds(listener, "lastfm")["Test Artist"]
    assert seed.playcount == 5100
    assert seed.weight > 0
    assert seed.artist.source == "lastfm" and seed.artist.refreshed_at is None


def test_a_known_artist_is_matched_not_duplicated(api, keys, listener):
    existing = ArtistFactory(name="TEST ARTIST", mbid=None)
    serve_lastfm(api)
    services.sync_source(listener, "lastfm")
    assert seeds(listener, "lastfm")["TEST ARTIST"].artist == existing
    assert Artist.objects.filter(normalized_name="test artist").count() == 1


def test_the_same_payload_twice_writes_nothing(api, keys, listener):
    serve_lastfm(api)
    services.sync_source(listener, "lastfm")
    fetched = dict(ListeningSnapshot.objects.filter(user=listener).values_list("period", "fetched_at"))
    weights = dict(SeedArtist.objects.filter(user=listener).values_list("artist_id", "weight"))
    result = services.sync_source(listener, "lastfm")
    assert not result.changed
    assert result.summary() == "lastfm: unchanged since the last sync"
    assert dict(ListeningSnapshot.objects.filter(user=listener).values_list("period", "fetched_at")) == fetched
    assert dict(SeedArtist.objects.filter(user=listener).values_list("artist_id", "weight")) == weights


def test_the_same_payload_twice_keeps_the_same_recommendation_set(api, keys, listener, django_capture_on_commit_callbacks):
    serve_lastfm(api)
    services.sync_source(listener, "lastfm")
    with django_capture_on_commit_callbacks(execute=True):
        first = recommendations.request_generation(listener)
    first.refresh_from_db()
    assert first.status == "ready"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.sync_source(listener, "lastfm")
        again = recommendations.request_generation(listener)
    assert again.pk == first.pk
    assert callbacks == []  # no generation was enqueued


def test_a_changed_payload_rebuilds_the_seeds_and_refreshes_a_shown_set(listener, django_capture_on_commit_callbacks):
    services.save_snapshot(listener, "lastfm", "overall", {"artists": [{"name": "Björk", "playcount": 50}]})
    services.rebuild_seeds(listener, "lastfm")
    with django_capture_on_commit_callbacks(execute=True):
        first = recommendations.request_generation(listener)
    changed = {"artists": [{"name": "Björk", "playcount": 80}, {"name": "Sigur Rós", "playcount": 30}]}
    assert services.save_snapshot(listener, "lastfm", "overall", changed)
    assert services.save_snapshot(listener, "lastfm", "overall", changed) is False
    changes = services.rebuild_seeds(listener, "lastfm")
    assert (changes.added, changes.updated, changes.removed) == (1, 1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        refreshed = recommendations.refresh_if_stale(listener)
    assert refreshed.pk != first.pk


def test_artists_gone_from_the_payload_lose_their_seed(listener):
    services.save_snapshot(listener, "lastfm", "overall", {"artists": [{"name": "Björk", "playcount": 50}]})
    services.rebuild_seeds(listener, "lastfm")
    services.save_snapshot(listener, "lastfm", "overall", {"artists": [{"name": "Sigur Rós", "playcount": 30}]})
    changes = services.rebuild_seeds(listener, "lastfm")
    assert changes.removed == 1
    assert set(seeds(listener, "lastfm")) == {"Sigur Rós"}


def test_recent_periods_weigh_more_than_all_time(listener):
    services.save_snapshot(listener, "lastfm", "overall", {"artists": [{"name": "Old Love", "playcount": 100}]})
    services.save_snapshot(listener, "lastfm", "6month", {"artists": [{"name": "New Love", "playcount": 100}]})
    services.rebuild_seeds(listener, "lastfm")
    weights = {name: seed.weight for name, seed in seeds(listener, "lastfm").items()}
    assert weights["New Love"] > weights["Old Love"]


def test_lastfm_without_a_username_is_skipped_with_a_note(keys):
    result = services.sync_source(UserFactory(), "lastfm")
    assert result.skipped and "no Last.fm username" in result.summary()


def test_lastfm_without_an_api_key_is_skipped_with_a_note(settings, listener):
    settings.LASTFM_API_KEY = ""
    result = services.sync_source(listener, "lastfm")
    assert result.skipped and "LASTFM_API_KEY" in result.note


# --- Spotify -----------------------------------------------------------------------------------


def connect_spotify(user, *, expires_in=timedelta(hours=1)):
    account = SocialAccount.objects.create(user=user, provider="spotify", uid=f"spotify-{user.pk}")
    return SocialToken.objects.create(
        account=account, token="old-access", token_secret="refresh-me", expires_at=timezone.now() + expires_in
    )


def test_spotify_top_artists_and_tracks_become_snapshots_and_seeds(api, keys, listener):
    connect_spotify(listener)
    serve_spotify(api)
    result = services.sync_source(listener, "spotify")
    assert result.changed and result.snapshots_changed == 3
    payload = ListeningSnapshot.objects.get(user=listener, source="spotify", period="short_term").payload
    assert payload["artists"][0] == {
        "name": "Vetusta Morla",
        "mbid": "",
        "spotify_id": "6J6yx1t3nwIDyPXk5xa7O8",
        "playcount": None,
        "rank": 1,
    }
    assert payload["tracks"][0]["artist"] == "Extremoduro"
    found = seeds(listener, "spotify")
    assert found["Vetusta Morla"].artist.spotify_id == "6J6yx1t3nwIDyPXk5xa7O8"
    assert found["Vetusta Morla"].playcount is None
    assert found["Vetusta Morla"].weight > found["San Holo"].weight


def test_an_expired_spotify_token_is_refreshed_and_saved(api, keys, listener):
    token = connect_spotify(listener, expires_in=-timedelta(minutes=5))
    api.post(SPOTIFY_TOKEN, json=recording("spotify/token_pkce_refresh.json"))
    serve_spotify(api)
    services.sync_source(listener, "spotify")
    token.refresh_from_db()
    fresh = recording("spotify/token_pkce_refresh.json")
    assert token.token == fresh["access_token"]
    assert token.token_secret == fresh["refresh_token"]
    assert token.expires_at > timezone.now() + timedelta(minutes=50)
    assert api.calls[1].request.headers["Authorization"] == f"Bearer {fresh['access_token']}"


def test_spotify_is_optional_a_listener_without_it_is_skipped_clearly(keys, listener):
    result = services.sync_source(listener, "spotify")
    assert result.skipped
    assert "Spotify is not connected" in result.summary()
    assert not ListeningSnapshot.objects.filter(source="spotify").exists()


# --- ListenBrainz ------------------------------------------------------------------------------


def test_listenbrainz_top_artists_and_release_groups_become_snapshots_and_seeds(api, listener):
    serve_listenbrainz(api, "johndoe")
    result = services.sync_source(listener, "listenbrainz")
    assert result.changed and result.snapshots_changed == 3
    payload = ListeningSnapshot.objects.get(user=listener, source="listenbrainz", period="all_time").payload
    assert payload["artists"][0]["name"] == "The Local train" and payload["artists"][0]["playcount"] == 385
    assert payload["albums"][1] == {
        "artist": "The Weeknd",
        "title": "After Hours",
        "mbid": "78570bea-2a26-467c-a3db-c52723ceb394",
        "playcount": 381,
        "rank": 2,
    }
    found = seeds(listener, "listenbrainz")
    assert str(found["Coldplay"].artist.mbid) == "cc197bad-dc9c-440d-a5b5-d52ba2e14234"
    assert found["Lenka"].playcount == 333


# --- Discogs -----------------------------------------------------------------------------------


def test_discogs_collection_and_wantlist_become_pressings_items_and_seeds(api, keys, listener):
    serve_discogs(api)
    result = services.sync_source(listener, "discogs")
    assert result.changed and result.snapshots_changed == 2
    collection = recording("discogs/user_brotherlogic_collection_folder0_releases_page1.json")["releases"]
    vinyl = [r for r in collection if any(f["name"] == "Vinyl" for f in r["basic_information"]["formats"])]
    owned = CollectionItem.objects.filter(user=listener, folder="collection")
    assert owned.count() == 56  # the vinyl of the two recorded pages: 54 + 2
    assert owned.filter(release__discogs_id=vinyl[0]["id"]).exists()
    assert CollectionItem.objects.filter(user=listener, folder="wantlist").count() == 13
    release = Release.objects.get(discogs_id=vinyl[0]["id"])
    assert release.title == vinyl[0]["basic_information"]["title"]
    assert SeedArtist.objects.filter(user=listener, source="discogs").exists()


def test_a_connected_discogs_account_is_read_with_the_users_oauth_token(api, keys, settings):
    settings.DISCOGS_CONSUMER_KEY, settings.DISCOGS_CONSUMER_SECRET = "consumer", "consumer-secret"
    user = UserFactory()
    account = SocialAccount.objects.create(user=user, provider="discogs", uid="1", extra_data={"username": "brotherlogic"})
    SocialToken.objects.create(account=account, token="oauth-token", token_secret="oauth-secret")
    serve_discogs(api)
    assert services.sync_source(user, "discogs").changed
    assert api.calls[0].request.headers["Authorization"].startswith("OAuth ")
    assert 'oauth_token="oauth-token"' in api.calls[0].request.headers["Authorization"]


def test_a_discogs_pressing_is_linked_to_its_album_by_master_so_it_counts_as_owned(api, keys, listener):
    wants = recording("discogs/user_brotherlogic_wants_page1.json")["wants"]
    first_vinyl = next(
        w
        for w in wants
        if any(f["name"] == "Vinyl" for f in w["basic_information"]["formats"]) and w["basic_information"].get("master_id")
    )
    album = AlbumFactory(discogs_master_id=first_vinyl["basic_information"]["master_id"])
    serve_discogs(api)
    services.sync_source(listener, "discogs")
    assert Release.objects.get(discogs_id=first_vinyl["id"]).album == album


def test_a_second_discogs_sync_with_the_same_collection_changes_nothing(api, keys, listener):
    serve_discogs(api)
    services.sync_source(listener, "discogs")
    items = set(CollectionItem.objects.filter(user=listener).values_list("pk", flat=True))
    assert not services.sync_source(listener, "discogs").changed
    assert set(CollectionItem.objects.filter(user=listener).values_list("pk", flat=True)) == items


def test_records_no_longer_in_the_collection_are_removed(listener):
    entry = {"id": 1234, "title": "Dummy", "artists": [{"id": 5, "name": "Portishead"}], "is_vinyl": True}
    services.store_collection(listener, {"collection": {"releases": [entry]}}, "discogs")
    services.store_collection(listener, {"collection": {"releases": []}}, "discogs")
    assert not CollectionItem.objects.filter(user=listener).exists()


def test_owning_records_makes_a_strong_seed(listener):
    records = [{"id": n, "title": f"LP {n}", "artists": [{"id": 5, "name": "Portishead"}], "is_vinyl": True} for n in range(3)]
    wanted = [{"id": 99, "title": "Roseland", "artists": [{"id": 6, "name": "Beak> (2)"}], "is_vinyl": True}]
    services.save_snapshot(listener, "discogs", "collection", {"releases": records})
    services.save_snapshot(listener, "discogs", "wantlist", {"releases": wanted})
    services.rebuild_seeds(listener, "discogs")
    found = seeds(listener, "discogs")
    assert found["Portishead"].weight > found["Beak>"].weight > 0
    assert found["Portishead"].artist.discogs_id == 5


def test_discogs_without_account_or_username_is_skipped(keys):
    assert services.sync_source(UserFactory(), "discogs").skipped


# --- manual seeds, preview, options ------------------------------------------------------------


def test_manual_seeds_are_added_once_with_a_fixed_weight_and_removed(listener):
    artist = ArtistFactory(name="Nick Drake")
    services.add_seed_artist(listener, artist)
    seed = services.add_seed_artist(listener, artist)
    assert SeedArtist.objects.filter(user=listener, artist=artist).count() == 1
    assert seed.weight == MANUAL_SEED_WEIGHT and seed.source == "manual"
    assert services.remove_seed_artist(listener, artist.pk) is True
    assert services.remove_seed_artist(listener, artist.pk) is False


def test_removing_a_manual_seed_leaves_listening_seeds_alone(listener):
    artist = ArtistFactory(name="Nick Drake")
    SeedArtistFactory(user=listener, artist=artist, source="lastfm", weight=4.0)
    services.add_seed_artist(listener, artist)
    services.remove_seed_artist(listener, artist.pk)
    assert set(SeedArtist.objects.filter(user=listener).values_list("source", flat=True)) == {"lastfm"}


def test_preview_lists_additions_updates_and_removals_and_writes_nothing(api, keys, listener):
    kept = ArtistFactory(name="Stays Seeded")
    SeedArtistFactory(user=listener, artist=kept, source="lastfm", weight=3.0)
    serve_lastfm(api)
    artists_before = Artist.objects.count()
    preview = services.preview_import(listener, "lastfm")
    rows = {row.name: row for row in preview.rows}
    assert rows["Test Artist"].action == "add" and rows["Test Artist"].artist_id is None
    assert rows["Test Artist"].playcount == 5100 and rows["Test Artist"].weight > 0
    assert rows["Stays Seeded"].action == "remove"
    assert preview.note_for(rows["Test Artist"]) == "new to the catalog"
    assert "lastfm: 1 to add, 0 to update, 1 to remove, 0 unchanged (nothing written)" in preview.lines()
    assert Artist.objects.count() == artists_before
    assert not ListeningSnapshot.objects.exists()
    assert SeedArtist.objects.filter(user=listener).count() == 1


def test_preview_flags_blocked_and_rarely_played_artists(listener, keys, api):
    blocked = ArtistFactory(name="Test Artist", mbid=None)
    listener.profile.blocked_artists.add(blocked)
    serve_lastfm(api)
    row = services.preview_import(listener, "lastfm").rows[0]
    assert services.preview_import(listener, "lastfm").note_for(row) == "blocked: not recommended"
    listener.profile.blocked_artists.clear()
    listener.profile.min_playcount = 10000
    listener.profile.save()
    preview = services.preview_import(listener, "lastfm")
    assert preview.note_for(preview.rows[0]) == "fewer than 10000 plays: ignored"


def test_preview_of_an_unconnected_source_says_so(keys):
    preview = services.preview_import(UserFactory(), "spotify")
    assert preview.lines() == ["spotify: skipped (Spotify is not connected (optional: Last.fm or ListenBrainz work without it))"]


def test_connected_sources_are_what_the_daily_sync_fans_out_to(listener):
    connect_spotify(listener)
    UserFactory()  # nothing connected
    assert services.connected_sources() == [
        (listener.pk, "discogs"),
        (listener.pk, "lastfm"),
        (listener.pk, "listenbrainz"),
        (listener.pk, "spotify"),
    ]


def test_album_plays_reach_the_profile_only_through_their_artists_snapshot(listener):
    ListeningSnapshotFactory(
        user=listener, payload={"artists": [], "albums": [{"artist": "Goldmund", "title": "Sometimes", "playcount": 934}]}
    )
    services.rebuild_seeds(listener, "lastfm")
    assert not SeedArtist.objects.filter(user=listener).exists()


def test_the_daily_fan_out_syncs_every_connected_source(api):
    user = UserFactory()
    username_sources.get("listenbrainz").set_username(user, "johndoe")
    user.profile.save()
    serve_listenbrainz(api, "johndoe")
    assert sync_connected_users.delay().get() == 1
    assert ListeningSnapshot.objects.filter(user=user, source="listenbrainz").count() == 3
    call_command("sync_schedules")  # schedules live in vinilogy/schedules.py, not in migrations
    assert PeriodicTask.objects.get(task="accounts.sync_connected_users").enabled

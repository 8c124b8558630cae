"""A refresh that finds a vinyl pressing an album did not have tells the artist's followers;
a first sync (a backfill) tells nobody. Over recorded Discogs answers (Neil Young, master 38677)."""

import pytest

from accounts.factories import SeedArtistFactory, UserFactory
from alerts.follows import follower_ids
from alerts.models import AlertSettings, ArtistFollow, Notification
from catalog import services
from catalog.factories import AlbumFactory, ArtistFactory
from catalog.models import Album, Release
from catalog.signals import albums_added
from vinilogy.demo import replaying

pytestmark = pytest.mark.django_db

NEIL_YOUNG_LP = 2535152
FIRST_US = 1657174  # the 1968 US pressing


@pytest.fixture
def album():
    with replaying():
        yield services.get_or_create_release(NEIL_YOUNG_LP).album


@pytest.fixture
def follower(album):
    return SeedArtistFactory(artist=album.artist, user=UserFactory(username="follower"), source="manual").user


def pressing_notes(user):
    return Notification.objects.filter(user=user, kind=Notification.Kind.PRESSING)


def test_a_first_sync_is_a_backfill_and_alerts_nobody(album, follower):
    with replaying():
        services.sync_album_releases(album)
    assert Release.objects.filter(album=album).count() == 76
    assert not pressing_notes(follower).exists()


def test_a_refresh_that_finds_a_new_pressing_alerts_the_artists_followers_only(album, follower):
    stranger = UserFactory(username="stranger")
    with replaying():
        services.sync_album_releases(album)
        Release.objects.filter(discogs_id=FIRST_US).delete()  # the last sync did not have it
        services.sync_album_releases(Album.objects.get(pk=album.pk), force=True)

    [note] = pressing_notes(follower)
    assert note.release.discogs_id == FIRST_US
    assert note.message.startswith("A pressing (1968, US") and "of Neil Young by Neil Young appeared" in note.message
    assert not Notification.objects.filter(user=stranger).exists()


def test_a_muted_artist_never_alerts_and_a_followed_one_does_without_being_a_seed(album, follower):
    ArtistFollow.objects.create(user=follower, artist=album.artist, following=False)
    chooser = UserFactory(username="chooser")
    ArtistFollow.objects.create(user=chooser, artist=album.artist)
    assert follower_ids(album.artist_id) == {chooser.pk}


def test_only_the_strongest_taste_artists_are_followed():
    fan = UserFactory()
    AlertSettings.objects.create(user=fan, follow_top_artists=2)
    artists = [ArtistFactory() for _ in range(3)]
    for weight, artist in zip([3.0, 2.0, 1.0], artists):
        SeedArtistFactory(user=fan, artist=artist, source="lastfm", weight=weight)
    assert [fan.pk in follower_ids(a.pk) for a in artists] == [True, True, False]


def test_a_new_studio_album_alerts_followers_but_not_in_a_backfill():
    artist = ArtistFactory(name="Radiohead")
    fan = SeedArtistFactory(artist=artist).user
    album = AlbumFactory(artist=artist, title="A Moon Shaped Pool", first_release_year=2016)
    albums_added.send(Album, artist_id=artist.pk, album_ids=[album.pk], backfill=True)
    assert not Notification.objects.filter(user=fan).exists()
    albums_added.send(Album, artist_id=artist.pk, album_ids=[album.pk], backfill=False)
    [note] = Notification.objects.filter(user=fan, kind=Notification.Kind.ALBUM)
    assert note.message == "A new studio album by Radiohead: A Moon Shaped Pool (2016)."

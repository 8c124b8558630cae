"""Who follows an artist for new albums and pressings, and telling them.

A listener follows their strongest taste artists (their seeds, the top `follow_top_artists`
by weight, every artist added by hand) and the artists they chose to follow; an artist they
muted never alerts. Watchers of an album hear of its new pressings too.
"""
from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.models import ListeningSource, SeedArtist
from catalog.models import Album, Release

from . import describe, notify
from .models import AlertSettings, ArtistFollow, Notification, Watch

DEFAULT_TOP = AlertSettings._meta.get_field("follow_top_artists").default


def strongest_seeds():
    """Seeds among their listener's strongest: hand-added, or within the top N by weight."""
    stronger = SeedArtist.objects.filter(user=OuterRef("user"), weight__gt=OuterRef("weight")).values("user")
    ahead = Subquery(stronger.annotate(n=Count("pk")).values("n")[:1])
    top = Subquery(AlertSettings.objects.filter(user=OuterRef("user")).values("follow_top_artists")[:1])
    seeds = SeedArtist.objects.annotate(ahead=Coalesce(ahead, 0), top=Coalesce(top, DEFAULT_TOP))
    return seeds.filter(Q(source=ListeningSource.MANUAL) | Q(ahead__lt=F("top")))


def follower_ids(artist_id):
    """Active listeners who follow the artist (one query)."""
    muted = ArtistFollow.objects.filter(artist_id=artist_id, following=False).values("user")
    seeded = strongest_seeds().filter(artist_id=artist_id).values("user")
    chosen = ArtistFollow.objects.filter(artist_id=artist_id, following=True).values("user")
    users = get_user_model().objects.filter(is_active=True).filter(Q(pk__in=seeded) | Q(pk__in=chosen))
    return set(users.exclude(pk__in=muted).values_list("pk", flat=True))


def followed_artist_ids(user):
    """The artists a listener follows, for their settings page."""
    muted = ArtistFollow.objects.filter(user=user, following=False).values("artist")
    seeded = set(strongest_seeds().filter(user=user).exclude(artist__in=muted).values_list("artist_id", flat=True))
    return seeded | set(ArtistFollow.objects.filter(user=user, following=True).values_list("artist_id", flat=True))


def notify_new_pressings(album_id, release_ids):
    """Tell the album's artist's followers and its watchers about each new vinyl pressing."""
    album = Album.objects.select_related("artist").get(pk=album_id)
    watchers = set(Watch.objects.active().filter(album=album).values_list("user_id", flat=True))
    users = get_user_model().objects.filter(pk__in=follower_ids(album.artist_id) | watchers)
    releases = list(Release.objects.filter(pk__in=release_ids, album=album))
    made = []
    for user in users:
        for release in releases:
            release.album = album
            made.append(notify.create(user, Notification.Kind.PRESSING, album, describe.new_pressing_sentence(release), release=release))
    return made


def notify_new_albums(artist_id, album_ids):
    """Tell the artist's followers about each new studio album."""
    albums = list(Album.objects.studio().filter(pk__in=album_ids, artist_id=artist_id).select_related("artist"))
    users = get_user_model().objects.filter(pk__in=follower_ids(artist_id))
    return [
        notify.create(user, Notification.Kind.ALBUM, album, describe.new_album_sentence(album))
        for user in users for album in albums
    ]

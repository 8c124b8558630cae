"""Who follows an artist for new albums and pressings, and telling them.

A listener follows their strongest taste artists (their seeds, the top `follow_top_artists`
by weight, every artist added by hand) and the artists they chose to follow; an artist they
muted never alerts. Watchers of an album hear of its new pressings too.

New vinyl is told up to three times, each once (a VinylNotice row per listener, pressing or
album, and event, inserted under its unique constraint, decides): when it is announced; again
on its release date when that date was still ahead at the announcement (a daily task); and when
it is first on sale to the listener's country with a landed price (after its quotes changed).
"""

from datetime import date
from functools import partial

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import ListeningSource, SeedArtist
from catalog.models import Album, Release
from pricing.models import PriceQuote

from . import describe, notify
from .models import AlertSettings, ArtistFollow, Notification, VinylNotice, Watch

Event = VinylNotice.Event

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
            if told_once(user, Event.ANNOUNCED, album, release):
                made.append(
                    notify.create(
                        user, Notification.Kind.PRESSING, album, partial(describe.new_pressing_sentence, release), release=release
                    )
                )
    return made


def notify_new_albums(artist_id, album_ids):
    """Tell the artist's followers about each new studio album."""
    albums = list(Album.objects.studio().filter(pk__in=album_ids, artist_id=artist_id).select_related("artist"))
    users = get_user_model().objects.filter(pk__in=follower_ids(artist_id))
    return [
        notify.create(user, Notification.Kind.ALBUM, album, partial(describe.new_album_sentence, album))
        for user in users
        for album in albums
        if told_once(user, Event.ANNOUNCED, album)
    ]


def told_once(user, event, album, release=None):
    """True for the one call that may tell this listener of this event (inserts its notice)."""
    try:
        with transaction.atomic():
            VinylNotice.objects.create(user=user, event=event, album=album, release=release)
    except IntegrityError:
        return False
    return True


def release_date(release):
    """The pressing's release date when Discogs gives a whole one ("2027-03-14"), else None."""
    try:
        return date.fromisoformat(release.released)
    except (TypeError, ValueError):
        return None


def notify_release_days(today=None):
    """Tell each listener who heard a pressing announced before its date that it is out today."""
    today = today or timezone.localdate()
    out_today = Release.objects.linked().filter(released=today.isoformat()).select_related("album__artist")
    made = []
    for release in out_today:
        heard = VinylNotice.objects.filter(Q(release=release) | Q(album=release.album, release=None), event=Event.ANNOUNCED)
        for notice in heard.filter(created_at__date__lt=today).select_related("user"):
            if told_once(notice.user, Event.RELEASE_DAY, release.album, release):
                made.append(
                    notify.create(
                        notice.user,
                        Notification.Kind.RELEASE_DAY,
                        release.album,
                        partial(describe.release_day_sentence, release),
                        release=release,
                    )
                )
    return made


def notify_first_priced(album_ids):
    """Tell each listener who heard of a new pressing (or album) of these albums when it is first
    on sale to their country with a landed price: the cheapest such offer, once."""
    made = []
    for notice in awaiting_first_price(album_ids).select_related("user__profile"):
        quote = _cheapest_landed(notice)
        if quote and told_once(notice.user, Event.PRICED, quote.album, notice.release):
            made.append(
                notify.create(
                    notice.user,
                    Notification.Kind.PRICED,
                    quote.album,
                    partial(describe.priced_sentence, quote),
                    release=quote.release,
                    quote=quote,
                    url=quote.url,
                    facts=describe.offer_facts(quote),
                )
            )
    return made


def awaiting_first_price(album_ids):
    """Announcements of these albums' vinyl whose listener has not yet been told of a first price."""
    told = VinylNotice.objects.filter(user=OuterRef("user"), event=Event.PRICED)
    told_release = told.filter(release=OuterRef("release"))
    told_album = told.filter(album=OuterRef("album"), release__isnull=True)
    announced = VinylNotice.objects.filter(event=Event.ANNOUNCED, album_id__in=album_ids)
    return announced.filter((Q(release__isnull=False) & ~Exists(told_release)) | (Q(release__isnull=True) & ~Exists(told_album)))


def _cheapest_landed(notice):
    profile = getattr(notice.user, "profile", None)
    if profile is None:
        return None
    quotes = PriceQuote.objects.current().landed().filter(album_id=notice.album_id, ships_to=str(profile.country))
    if notice.release_id:
        quotes = quotes.filter(release_id=notice.release_id)
    return quotes.select_related("album__artist", "release", "store").order_by("total_eur").first()

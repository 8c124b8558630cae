"""Taste builds its catalog: what a listener's set needs is fetched ahead of background work.

Whatever adds artists to a listener (a seed, a source sync, the CSV import, the Discogs
collection) calls `build_catalog(user)`: for the listener's strongest artists and the artists
most similar to them, the catalog chain (artist → similar artists → studio albums → every
pressing → prices) is enqueued at LISTENER_CHAIN_PRIORITY, through the providers' own queues
and the shared rate limiter. Only what is missing is asked for: an artist whose albums are
listed and an album whose pressings are synced cost nothing.

`catalog_progress(user)` says how far it got ("14 of 40 albums, about 6 minutes": the minutes
are the calls still to make over each provider's rate limit, the slowest provider deciding).
Lookups that failed (a provider down or unreachable: integrations.queue keeps a failure note)
are counted and said with when they are tried again; no ETA is given for work that cannot
proceed. `finish_if_built(user)` (the banner's poll, and the beat for listeners not watching)
starts those lookups again once their time has come, and tells recommendations (the
`catalog_ready` signal) once the catalog is done, so the set is generated again from it.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from catalog.models import Album, Artist, ArtistSimilarity, Source
from integrations.failures import Failure, clock_time
from integrations.queue import enqueue_api_task, failure_notes, pending_among

from .models import ListeningSource, Profile, SeedArtist
from .signals import catalog_ready

STRONGEST_ARTISTS = 20  # the listener's own artists whose catalog is built first
SIMILAR_PER_ARTIST = 3  # and, for each of the ten strongest, its closest Last.fm neighbours
SIMILAR_FROM = 10
# Calls one chain step costs, by provider, on average: an artist is a MusicBrainz lookup and
# release-group browse plus Last.fm info and similar artists; an album is a Discogs versions
# walk (about two pages), its representative pressing's details, and a few price lookups.
CALLS_PER_ARTIST = {"musicbrainz": 2, "lastfm": 2}
CALLS_PER_ALBUM = {"discogs": 8}
# The tasks whose failure leaves an artist or an album of the chain without what it needs.
ARTIST_TASKS = ("catalog.sync_artist", "catalog.sync_artist_albums")
ALBUM_TASKS = ("catalog.sync_album_releases",)
# A build with nothing under way and nothing failed (its notes were lost with the process that
# kept them: a restarted server) is started again, at most this often per listener.
RESTART_IDLE_SECONDS = 60
# A listener's artist lookups under way at listener priority at once (MusicBrainz answers one
# call a second, shared by every listener): the rest wait at background priority.
LISTENER_LOOKUPS_AT_ONCE = 10


@dataclass(frozen=True)
class CatalogProgress:
    albums_done: int
    albums_total: int
    artists_pending: int
    minutes: int  # for the work that can proceed (failed lookups left out)
    failed: int = 0  # lookups that failed lately and wait for their retry
    failure: Failure | None = None  # the one retried first: what it was and when
    waiting: int = 0  # steps that cannot proceed before that retry (failed, or behind a failed artist)
    under_way: int = 0  # chain steps enqueued and not ended

    @property
    def done(self):
        return self.artists_pending == 0 and self.albums_done >= self.albums_total

    @property
    def stalled(self):
        """Every step still to do failed and waits for its retry: nothing proceeds until then."""
        return self.failed > 0 and self.waiting >= self.artists_pending + self.albums_total - self.albums_done

    @property
    def idle(self):
        """Not done, yet nothing under way and nothing failed: no one is working on it."""
        return not self.done and not self.failed and not self.under_way

    @property
    def retry_due(self):
        return self.failure is not None and self.failure.retry_at is not None and self.failure.retry_at <= time.time()

    def sentence(self):
        if self.done:
            return _("Your catalog is ready: %(albums)s albums.") % {"albums": self.albums_total}
        parts = [
            _("Building your catalog: %(done)s of %(total)s albums") % {"done": self.albums_done, "total": self.albums_total}
        ]
        if self.artists_pending:
            parts.append(
                ngettext("%(n)s artist still to look up", "%(n)s artists still to look up", self.artists_pending)
                % {"n": self.artists_pending}
            )
        if not self.stalled:
            parts.append(
                _("under a minute")
                if self.minutes < 1
                else ngettext("about %(n)s minute", "about %(n)s minutes", self.minutes) % {"n": self.minutes}
            )
        return ", ".join(parts) + "." + (f" {self.failure_sentence()}" if self.failed else "")

    def failure_sentence(self):
        """ "3 lookups failed: MusicBrainz did not answer; we will try them again at 10:40." """
        failed = ngettext("%(n)s lookup failed", "%(n)s lookups failed", self.failed) % {"n": self.failed}
        what = self.failure.what() if self.failure else ""
        if self.failure is None or self.failure.retry_at is None:
            return f"{failed}: {what}."
        again = _("we will try them again at %(time)s") % {"time": clock_time(self.failure.retry_at)}
        return f"{failed}: {what}; {again}."


def chain_artist_ids(user):
    """The listener's strongest artists, then the closest Last.fm neighbours of the strongest,
    then any artist they typed by name that was never looked up (its lookup failed, or was lost
    with a restarted server): what a listener typed is always part of the build."""
    summed = SeedArtist.objects.filter(user=user).values("artist_id").annotate(total=Sum("weight"))
    ids = list(summed.order_by("-total", "artist_id").values_list("artist_id", flat=True)[:STRONGEST_ARTISTS])
    links = ArtistSimilarity.objects.filter(from_artist_id__in=ids[:SIMILAR_FROM], source=Source.LASTFM)
    closest = {}
    for from_id, to_id in links.order_by("from_artist_id", "-score", "to_artist_id").values_list(
        "from_artist_id", "to_artist_id"
    ):
        closest.setdefault(from_id, []).append(to_id)
    for artist_id in ids[:SIMILAR_FROM]:
        ids += [pk for pk in closest.get(artist_id, ())[:SIMILAR_PER_ARTIST] if pk not in ids]
    typed = SeedArtist.objects.filter(user=user, source=ListeningSource.MANUAL, artist__refreshed_at__isnull=True)
    ids += [pk for pk in typed.order_by("artist_id").values_list("artist_id", flat=True)[:STRONGEST_ARTISTS] if pk not in ids]
    return ids


def build_catalog(user):
    """Enqueue what the listener's artists still lack; returns how many chains were started.

    Off where settings.BUILD_CATALOG_ON_TASTE is False (the test suite: a test that syncs a
    listener should not also call every provider; the chain has tests of its own)."""
    if not settings.BUILD_CATALOG_ON_TASTE:
        return 0
    ids = chain_artist_ids(user)
    options = {"follow": True, "price": True, "priority": settings.LISTENER_CHAIN_PRIORITY}
    artists = Artist.objects.filter(pk__in=ids).filter(Q(refreshed_at__isnull=True) | Q(albums_refreshed_at__isnull=True))
    started = 0
    priorities = lookup_priorities(ids, sorted(artists.values_list("pk", flat=True), key=ids.index))
    for artist_id, priority in priorities.items():
        enqueue_api_task("catalog.sync_artist", artist_id, **{**options, "priority": priority})
        started += 1
    for album_id in _albums_without_pressings(ids).values_list("pk", flat=True):
        enqueue_api_task("catalog.sync_album_releases", album_id, **options)
        started += 1
    if started:
        Profile.objects.filter(user=user).update(catalog_requested_at=timezone.now())
    return started


def lookup_priorities(listener_ids, artist_ids):
    """{artist id: priority} for lookups of `artist_ids` (strongest first), so that at most
    LISTENER_LOOKUPS_AT_ONCE of the listener's artists (`listener_ids`) are under way at
    listener priority; the rest go at background priority. Lookups already under way are
    counted, whatever their priority."""
    slots = LISTENER_LOOKUPS_AT_ONCE - len(pending_among(ARTIST_TASKS[0], listener_ids))
    ahead, behind = settings.LISTENER_CHAIN_PRIORITY, settings.CELERY_TASK_DEFAULT_PRIORITY
    return {pk: ahead if n < slots else behind for n, pk in enumerate(artist_ids)}


def _albums_of(artist_ids):
    return Album.objects.filter(artist_id__in=artist_ids).studio()


def _albums_without_pressings(artist_ids):
    listed = Artist.objects.filter(pk__in=artist_ids, albums_refreshed_at__isnull=False)
    return _albums_of(listed.values("pk")).filter(releases_refreshed_at__isnull=True)


def catalog_progress(user):
    ids = chain_artist_ids(user)
    albums = _albums_of(ids)
    total = albums.count()
    done = albums.filter(releases_refreshed_at__isnull=False).count()
    pending_artists = list(Artist.objects.filter(pk__in=ids, albums_refreshed_at__isnull=True).values_list("pk", flat=True))
    pending_albums = dict(albums.filter(releases_refreshed_at__isnull=True).values_list("pk", "artist_id"))
    failed_artists, failed_albums = _failed(ARTIST_TASKS, pending_artists), _failed(ALBUM_TASKS, pending_albums)
    # An album waits on its own failed sync, or on its artist's: its pressings come after its listing.
    blocked_albums = [pk for pk, artist_id in pending_albums.items() if pk in failed_albums or artist_id in failed_artists]
    minutes = _minutes_left(len(pending_artists) - len(failed_artists), len(pending_albums) - len(blocked_albums))
    failures = [*failed_artists.values(), *failed_albums.values()]
    first = min(failures, key=lambda failure: failure.retry_at or math.inf, default=None)
    waiting = len(failed_artists) + len(blocked_albums)
    under_way = len(pending_among(ARTIST_TASKS[0], pending_artists)) + len(pending_among(ALBUM_TASKS[0], pending_albums))
    return CatalogProgress(
        done, total, len(pending_artists), minutes, failed=len(failures), failure=first, waiting=waiting, under_way=under_way
    )


def _failed(task_names, ids):
    """{id: Failure} for the ids whose last run of one of `task_names` failed lately."""
    found = {}
    for name in task_names:
        for pk, failure in failure_notes(name, ids).items():
            found.setdefault(pk, failure)
    return found


def _minutes_left(artists, albums):
    """The slowest provider's share of the calls still to make, at its rate limit per minute."""
    calls = {provider: n * artists for provider, n in CALLS_PER_ARTIST.items()}
    for provider, n in CALLS_PER_ALBUM.items():
        calls[provider] = calls.get(provider, 0) + n * albums
    rates = settings.RATE_LIMITS
    return max((math.ceil(n / rates[p]) for p, n in calls.items() if rates.get(p)), default=0)


def finish_if_built(user):
    """Once a requested catalog is built, tell recommendations (once); returns the progress.
    Lookups that failed are started again once their retry time has come, and a build nobody
    is working on (its process restarted) is started again."""
    progress = catalog_progress(user)
    restart = progress.idle and cache.add(f"catalog-build-restarted:{user.pk}", True, RESTART_IDLE_SECONDS)
    if (progress.retry_due or restart) and build_catalog(user):
        progress = catalog_progress(user)
    if progress.done and Profile.objects.filter(user=user, catalog_requested_at__isnull=False).update(catalog_requested_at=None):
        catalog_ready.send(sender=Profile, user=user)
    return progress


def users_building():
    return Profile.objects.filter(catalog_requested_at__isnull=False, user__is_active=True).values_list("user_id", flat=True)

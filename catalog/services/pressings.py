"""Pressings, database first: every vinyl version of an album's Discogs master (every page)
as Release rows, kept apart between workers by a compare-and-set claim; one pressing's
details (tracklist, formats, rating, have/want, images), which also tell its album."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from integrations.clients import discogs
from integrations.errors import ApiError
from integrations.runs import counted, note, record_permanent_error, stamp
from integrations.types import walk_pages

from .. import studio
from ..editions import classify_albums
from ..matching import split_discogs_title, title_confidence
from ..models import Album, Release, Source, YearSource
from ..pressing_facts import fact_fields
from ..signals import pressings_added
from ..upsert import format_objects, upsert_release, year_fields
from .albums import album_for_pressing, find_master_by_search, save_tracklist
from .covers import offer_cover
from .tracks import is_bonus_edition
from .verdicts import learn_verdict

# A worker that crashed mid-sync leaves its claim behind; after this long another may take it.
RELEASES_CLAIM_LEASE = timedelta(minutes=15)


def sync_album_releases(album, *, force=False):
    """Every vinyl version of the album's Discogs master (every page) as Release rows."""
    if not force and not album.releases_stale:
        note("cache_hits")
        return album
    if not claim_releases_sync(album, force=force):
        note("cache_hits")  # another worker is on it, or just finished it
        return album
    note("api_lookups")
    try:
        asked = store_vinyl_releases(album, discogs())
    except ApiError as error:
        stamp(album, releases_sync_started_at=None)
        record_permanent_error(album, error, releases_refreshed_at=timezone.now())
    except BaseException:
        stamp(album, releases_sync_started_at=None)
        raise
    else:
        # An album Discogs could not be asked about (no master, no credentials to search)
        # stays due, so it is synced as soon as a token is configured.
        stamp(album, releases_sync_started_at=None, **({"releases_refreshed_at": timezone.now()} if asked else {}))
    return album


def claim_releases_sync(album, *, force=False):
    """Compare-and-set: true for the one worker that may sync this album's pressings now."""
    now = timezone.now()
    unclaimed = Q(releases_sync_started_at__isnull=True) | Q(releases_sync_started_at__lt=now - RELEASES_CLAIM_LEASE)
    albums = Album.objects.all() if force else Album.objects.releases_due(now)
    return albums.filter(unclaimed, pk=album.pk).update(releases_sync_started_at=now) == 1


def releases_claim_held_for(album):
    """Seconds until another worker's claim on the album's pressings runs out, while the album
    is still due (that worker is on it, or died on it); None when nothing holds it."""
    now = timezone.now()
    started = Album.objects.releases_due(now).filter(pk=album.pk).values_list("releases_sync_started_at", flat=True).first()
    if started is None or started + RELEASES_CLAIM_LEASE <= now:
        return None
    return (started + RELEASES_CLAIM_LEASE - now).total_seconds()


def store_vinyl_releases(album, client):
    """Upsert the album's vinyl pressings, without a claim (sync_album_releases holds one);
    False when Discogs could not be asked at all."""
    if not album.discogs_master_id:
        find_master_by_search(album, client)
    walk = None
    if album.discogs_master_id:
        walk = read_versions(client, album.discogs_master_id)
        rows = [(v.id, version_fields(v, album.discogs_master_id)) for v in walk.versions if v.is_vinyl]
    elif client.authenticated:
        rows = _vinyl_releases_by_search(album, client)
    else:
        return False
    now, had = timezone.now(), set(album.releases.values_list("pk", flat=True))
    for discogs_id, fields in rows:
        counted(upsert_release(discogs_id, album=album, refreshed_at=now, **fields))
    if album.last_error:
        stamp(album, last_error="")
    if walk is not None:
        record_walk(album, walk, now)
    classify_albums([album.pk])
    added = sorted(set(album.releases.values_list("pk", flat=True)) - had)
    if added:  # a first sync lists what was always there: not news (backfill)
        pressings_added.send(Album, album_id=album.pk, release_ids=added, backfill=album.releases_refreshed_at is None)
    return True


@dataclass(frozen=True)
class VersionsWalk:
    """Every page of a master's versions: what came, and how many Discogs says there are."""

    versions: list
    total: int | None

    @property
    def complete(self):
        return self.total is not None and len(self.versions) >= self.total


def read_versions(client, master_id):
    """Walk every page of the master's versions (asked vinyl only; older answers list every
    format, which are kept here for the year of the first one), with Discogs' count of them
    (pagination `items`)."""
    totals = []

    def fetch(page):
        result = client.master_versions_page(master_id, page=page)
        totals.append(result.total)
        return result

    versions = list(walk_pages(fetch, 1))
    return VersionsWalk(versions, totals[0] if totals else None)


def record_walk(album, walk, now):
    """What the walk tells the album: Discogs' count of versions and, when every one was read,
    when, and the earliest one's year (which counts only where no source stated the year)."""
    if not walk.complete:  # a page failed to come, or Discogs counts more than it gave
        stamp(album, versions_total=walk.total, all_versions_read_at=None)
        return
    stamp(
        album,
        versions_total=walk.total,
        all_versions_read_at=now,
        **year_fields(album, first_year(walk.versions), YearSource.PRESSINGS),
    )


# How a version's format says it is not the first issue ("LP, Album, RE").
REISSUE_MARKS = frozenset({"RE", "RP", "Reissue", "Repress"})


def first_year(versions):
    """The year of the earliest versions, unless every one of them says it is a reissue: the
    walk asks for vinyl, and an album first issued on CD has a reissue as its first vinyl."""
    years = [v.year for v in versions if v.year]
    if not years:
        return None
    earliest = [v for v in versions if v.year == min(years)]
    reissued = all(REISSUE_MARKS & {token.strip() for token in v.format.split(",")} for v in earliest)
    return None if reissued else min(years)


def version_fields(version, master_id):
    return {
        "title": version.title,
        "discogs_master_id": master_id,
        "country": version.country,
        "year": version.year,
        "released": "" if version.released in ("0", "") else version.released,
        "format_summary": version.format,
        "label": version.label,
        "catalog_number": version.catno,
        "is_official": version.is_official,
        "thumb_url": version.thumb,
        "have": version.have,
        "want": version.want,
        "source": Source.DISCOGS,
    }


def _vinyl_releases_by_search(album, client):
    """Albums Discogs groups under no master: confident vinyl releases from a search."""
    results = client.search_page(album.artist.name, album.title, type="release").items
    threshold = settings.DISCOGS_SEARCH_MIN_CONFIDENCE
    rows = []
    for result in results:
        if title_confidence(album.artist.name, album.title, *split_discogs_title(result.title)) >= threshold:
            rows.append((result.id, _search_result_fields(result)))
    return rows


def _search_result_fields(result):
    return {
        "title": result.release_title,
        "country": result.country,
        "year": result.year,
        "format_summary": ", ".join(result.formats),
        "label": result.labels[0] if result.labels else "",
        "catalog_number": result.catno,
        "thumb_url": result.cover_image or result.thumb,
        "have": result.have,
        "want": result.want,
        "source": Source.DISCOGS,
    }


# Release-detail calls an album's first sync spends beyond its representative pressing (issue
# 23): the pressing guide reads credits, companies, notes and ratings from details. The most
# wanted, the most collected, then those with offers; a pressing whose details were read is
# never asked again (details_refreshed_at). benchmarks/price_budget.py states the cost.
DETAIL_PICKS = (("want", 2), ("have", 1))
MAX_EXTRA_DETAIL_CALLS = 4


def pressings_worth_details(album, with_offers=(), exclude=()):
    """Ids of the album's official pressings whose details are worth a call and were never
    read: its two most wanted, its most collected, then those with offers (`with_offers`),
    at most MAX_EXTRA_DETAIL_CALLS, `exclude` left out. One query."""
    unread = album.releases.filter(is_official=True, details_refreshed_at__isnull=True).exclude(pk__in=list(exclude))
    rows = {pk: {"want": want or 0, "have": have or 0} for pk, want, have in unread.values_list("pk", "want", "have")}
    chosen = []
    for field, count in DETAIL_PICKS:
        ranked = sorted((pk for pk in rows if pk not in chosen), key=lambda pk: (-rows[pk][field], pk))
        chosen += [pk for pk in ranked[:count] if rows[pk][field]]
    chosen += [pk for pk in with_offers if pk in rows and pk not in chosen]
    return chosen[:MAX_EXTRA_DETAIL_CALLS]


def representative_release(album):
    """The pressing whose details stand for the album: the main release, else the most wanted."""
    releases = album.releases.filter(is_official=True)
    return releases.order_by("-is_main_release", F("want").desc(nulls_last=True), "discogs_id").first()


# --- one pressing in detail ------------------------------------------------------------------


def sync_release_details(release, *, force=False):
    """Tracklist, formats, rating, have/want and images of one pressing; links its album."""
    if not force and not release.details_stale:
        note("cache_hits")
        return release
    note("api_lookups")
    try:
        data = discogs().release(release.discogs_id)
    except ApiError as error:
        record_permanent_error(release, error, details_refreshed_at=timezone.now())
        return release
    return save_release_details(data)


def get_or_create_release(discogs_id):
    """A pressing by its Discogs id: our row when fresh, else fetched with its details.

    Returns None for a pressing that is not vinyl (its album and tracks are still saved)."""
    release = Release.objects.filter(discogs_id=discogs_id).first()
    if release is not None:
        return sync_release_details(release)
    note("api_lookups")
    return save_release_details(discogs().release(discogs_id))


def save_release_details(data):
    """Store a pressing's details. Only vinyl becomes a Release row (the catalog is of vinyl);
    any pressing still tells us its album and the album's tracklist."""
    release = _save_vinyl_release(data) if data.is_vinyl else None
    album = (release and release.album) or album_for_pressing(data)
    if album is None:
        return release
    if release is not None and release.album_id != album.pk:
        stamp(release, album=album)
    if release is not None:
        classify_albums([album.pk])  # its descriptions and notes may change what it is
    learn_verdict(album, pressing_facts(album, data))
    save_tracklist(album, release, data)
    offer_cover(album, data.image_url)
    return release


def pressing_facts(album, data):
    """What one pressing's details say of its album's kind: its genres and styles, and its
    tracklist's headings unless it is a deluxe or expanded edition (bonus discs)."""
    headings = () if is_bonus_edition(data.formats) else data.headings
    return studio.Facts(title=album.title, styles=data.genres + data.styles, headings=headings)


def _save_vinyl_release(data):
    release = counted(upsert_release(data.id, details_refreshed_at=timezone.now(), **release_detail_fields(data)))
    if release.last_error:
        stamp(release, last_error="")
    return release


def release_detail_fields(data):
    return {
        "title": data.title,
        "artist_credit": data.artist_credit,
        "discogs_master_id": data.master_id,
        "country": data.country,
        "year": data.year,
        "released": data.released,
        "formats": format_objects(data.formats),
        "format_summary": data.format_summary,
        "label": data.label,
        "catalog_number": data.catalog_number,
        "is_official": data.is_official,
        "styles": list(data.genres + data.styles),
        "rating_average": data.rating_average,
        "rating_count": data.rating_count,
        "have": data.have,
        "want": data.want,
        "image_url": data.image_url,
        "thumb_url": data.thumb_url,
        "source": Source.DISCOGS,
        **fact_fields(data),
    }


# --- what is due, for the fan-out tasks and the commands -------------------------------------


def albums_due_for_releases():
    """Studio albums whose pressings are stale (a master, or a name Discogs could search)."""
    return Album.objects.studio().releases_due().select_related("artist").order_by("pk")


def albums_missing_tracklist():
    """Albums with pressings but no tracks yet: their representative pressing needs details.
    Those whose master has yet to give its standard tracklist wait for that instead."""
    albums = Album.objects.studio().filter(releases__isnull=False, tracks__isnull=True)
    return albums.exclude(pk__in=Album.objects.tracklist_due().values("pk")).distinct().order_by("pk")

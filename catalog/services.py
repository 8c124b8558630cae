"""Catalog workflows, database first: ask our rows, call an API only on a miss or a stale row.

    get_or_create_artist(name=None, mbid=None)  -> Artist   MusicBrainz + Last.fm (+ Discogs image)
    sync_artist_similars(artist)                -> int      Last.fm artist.getSimilar
    sync_artist_albums(artist)                  -> [Album]  MusicBrainz release-group browse
    sync_album_releases(album)                  -> Album    every vinyl version on Discogs
    sync_release_details(release)               -> Release  tracklist, rating, have/want, image
    get_or_create_release(discogs_id)           -> Release  a pressing we may not know yet
    ingest_artist(name=None, mbid=None)         -> Artist   the whole chain for one artist

Freshness windows come from settings (ARTIST_, SIMILARS_, RELEASES_FRESHNESS_DAYS): a fresh
row costs no API call. Errors say whether they are permanent (integrations.errors): a
permanent one (NotFound, BadPayload...) is stored on the row's `last_error` and the row is
stamped refreshed, so it is skipped until its window passes; a transient one (RateLimited,
Unavailable) propagates so the Celery task retries. Every write goes through catalog.upsert,
so a rerun or a concurrent worker never creates a duplicate; two workers syncing one album's
pressings are kept apart by a compare-and-set claim on Album.releases_sync_started_at.

`collecting_stats()` counts what a run did (rows created/updated, cache hits, errors, and API
calls from the ApiCall log) for the manage.py commands and the benchmark.
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from integrations.clients import discogs, lastfm, musicbrainz
from integrations.errors import ApiError, NotFound
from integrations.runs import counted, note, record_permanent_error
from integrations.runs import stamp as _stamp

from .dump_import import format_objects
from .matching import split_discogs_title, title_confidence
from .models import Album, Artist, ArtistSimilarity, ArtistTag, Release, Source, Tag, Track
from .normalize import normalize_artist_name
from .upsert import find_artist, upsert_album, upsert_artist, upsert_release

logger = logging.getLogger(__name__)

SIMILARS_LIMIT = 100
# A MusicBrainz search hit is taken as the artist only at this relevance (0–100) or above.
MB_SEARCH_MIN_SCORE = 90
# A worker that crashed mid-sync leaves its claim behind; after this long another may take it.
RELEASES_CLAIM_LEASE = timedelta(minutes=15)


def _is_fresh(stamp, window):
    return stamp is not None and stamp >= timezone.now() - window


def with_source_on_create(result, source):
    """Rows say which source created them; a later source never rewrites that."""
    if result.created:
        _stamp(result.obj, source=source)
    return counted(result)


# --- artists ---------------------------------------------------------------------------------


@dataclass
class ArtistProfile:
    """What the providers told us about one artist, merged."""

    name: str
    mbid: str | None = None
    discogs_id: int | None = None
    spotify_id: str | None = None
    listeners: int | None = None
    playcount: int | None = None
    image_url: str = ""
    tags: tuple = ()


def get_or_create_artist(name=None, mbid=None):
    """The artist row, refreshed from MusicBrainz and Last.fm when missing or stale."""
    if not (name or mbid):
        raise ValueError("Give an artist name or a MusicBrainz id")
    artist = find_artist(name or "", mbid=mbid)
    if artist is not None and not artist.is_stale:
        note("cache_hits")
        return artist
    note("api_lookups")
    known_name = name or (artist.name if artist else "")
    known_mbid = mbid or (artist.mbid if artist else None)
    try:
        profile = fetch_artist_profile(known_name, known_mbid)
    except ApiError as error:
        return _artist_lookup_failed(artist, name, error)
    return save_artist_profile(profile)


def refresh_artist(artist):
    """The stale-refresh entry point for a row we already have (tasks, refresh_stale)."""
    return get_or_create_artist(name=artist.name, mbid=artist.mbid and str(artist.mbid))


def _artist_lookup_failed(artist, name, error):
    if artist is None and (not name or not error.permanent):
        raise error
    if artist is None:
        artist = with_source_on_create(upsert_artist(name), Source.MANUAL)
    record_permanent_error(artist, error, refreshed_at=timezone.now())
    return artist


def fetch_artist_profile(name, mbid):
    """MusicBrainz for the identity (MBID, Discogs and Spotify ids), Last.fm for popularity."""
    mb_artist = _musicbrainz_artist(name, mbid)
    profile = ArtistProfile(name=(mb_artist.name if mb_artist else "") or name)
    if not profile.name:
        raise NotFound(f"No artist found for MusicBrainz id {mbid}", provider="musicbrainz")
    if mb_artist:
        profile.mbid, profile.discogs_id, profile.spotify_id = mb_artist.mbid, mb_artist.discogs_id, mb_artist.spotify_id
    _add_lastfm_info(profile)
    if not profile.image_url and profile.discogs_id:
        profile.image_url = discogs().artist(profile.discogs_id).image_url
    return profile


def _musicbrainz_artist(name, mbid):
    client = musicbrainz()
    if mbid:
        return client.artist(str(mbid))
    key = normalize_artist_name(name)
    hits = client.search_artists(name, limit=5)
    best = next((hit for hit in hits if normalize_artist_name(hit.name) == key and (hit.score or 0) >= MB_SEARCH_MIN_SCORE), None)
    # Search answers carry no url-rels; the lookup adds the Discogs and Spotify links.
    return client.artist(best.mbid) if best else None


def _add_lastfm_info(profile):
    client = lastfm()
    if client is None:
        return
    info = _lastfm_artist_info(client, profile)
    if info is None:
        return
    profile.listeners, profile.playcount = info.listeners, info.playcount
    profile.image_url = info.image_url or ""
    profile.tags = tuple(info.tags)


def _lastfm_artist_info(client, profile):
    """By MBID first (exact), then by name: Last.fm knows many artists under older MBIDs."""
    if profile.mbid:
        try:
            return client.artist_info(mbid=profile.mbid)
        except NotFound:
            pass
    try:
        return client.artist_info(profile.name)
    except NotFound:
        return None


def save_artist_profile(profile):
    fields = {
        "listeners": profile.listeners,
        "playcount": profile.playcount,
        "image_url": profile.image_url,
        "refreshed_at": timezone.now(),
    }
    ids = {"mbid": profile.mbid, "discogs_id": profile.discogs_id, "spotify_id": profile.spotify_id}
    result = upsert_artist(profile.name, **_unclaimed_artist_ids(ids, profile.name), **fields)
    artist = with_source_on_create(result, Source.MUSICBRAINZ if profile.mbid else Source.LASTFM)
    if artist.last_error:
        _stamp(artist, last_error="")
    save_artist_tags(artist, profile.tags)
    return artist


def _unclaimed_artist_ids(ids, name):
    """Drop an id another artist row already holds: two rows cannot share it, and the name
    matched here may be a namesake (Discogs' "Nirvana (2)")."""
    mine = find_artist(name, **ids)
    kept = {}
    for key, value in ids.items():
        holder = Artist.objects.filter(**{key: value}).first() if value else None
        if holder is None or (mine is not None and holder.pk == mine.pk):
            kept[key] = value
    return kept


def save_artist_tags(artist, names):
    names = [name.strip().lower()[:100] for name in names if name and name.strip()]
    if not names:
        return
    Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
    tags = Tag.objects.filter(name__in=names)
    ArtistTag.objects.bulk_create([ArtistTag(artist=artist, tag=tag) for tag in tags], ignore_conflicts=True)


# --- similar artists -------------------------------------------------------------------------


def sync_artist_similars(artist, *, limit=SIMILARS_LIMIT):
    """Last.fm's similar artists as ArtistSimilarity rows; returns how many the artist has."""
    if not artist.similars_stale:
        note("cache_hits")
        return artist.similar_to.filter(source=Source.LASTFM).count()
    client = lastfm()
    if client is None:
        return 0
    note("api_lookups")
    try:
        similars = client.similar_artists(artist.name, limit=limit)
    except ApiError as error:
        record_permanent_error(artist, error, similars_refreshed_at=timezone.now())
        return 0
    count = save_similarities(artist, sorted(similars, key=lambda s: -s.match)[:limit])
    _stamp(artist, similars_refreshed_at=timezone.now())
    return count


def save_similarities(artist, similars):
    """Replace the artist's Last.fm neighbours in bulk, creating bare rows for unknown names."""
    targets = artists_by_name([s.name for s in similars])
    scores = {}
    for similar in similars:
        target = targets.get(normalize_artist_name(similar.name))
        if target is not None and target.pk != artist.pk and target.pk not in scores:
            scores[target.pk] = min(max(similar.match, 0.0), 1.0)
    rows = [ArtistSimilarity(from_artist=artist, to_artist_id=pk, score=score, source=Source.LASTFM) for pk, score in scores.items()]
    with transaction.atomic():
        artist.similar_to.filter(source=Source.LASTFM).exclude(to_artist_id__in=scores).delete()
        ArtistSimilarity.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["from_artist", "to_artist", "source"], update_fields=["score", "updated_at"]
        )
    return len(rows)


def artists_by_name(names):
    """{normalized name: Artist} for these names; unknown ones are created as bare rows.

    Last.fm's own MBIDs are left out on purpose: they often differ from MusicBrainz's
    (Nirvana is 9282c8b4 on Last.fm, 5b11f4ce on MusicBrainz). The artist's own refresh
    fills in the right ids later.
    """
    wanted = {normalize_artist_name(name): name for name in names if name and normalize_artist_name(name)}
    found = _existing_by_key(wanted)
    missing = [Artist(name=name[:300], normalized_name=key, source=Source.LASTFM) for key, name in wanted.items() if key not in found]
    if missing:
        Artist.objects.bulk_create(missing, ignore_conflicts=True)
        note("created", len(missing))
        found.update(_existing_by_key({key: wanted[key] for key in wanted if key not in found}))
    return found


def _existing_by_key(wanted):
    rows = Artist.objects.filter(normalized_name__in=list(wanted)).order_by(F("listeners").desc(nulls_last=True), "pk")
    found = {}
    for row in rows:
        found.setdefault(row.normalized_name, row)
    return found


# --- studio albums ---------------------------------------------------------------------------


def sync_artist_albums(artist):
    """The artist's album-type release groups from MusicBrainz, studio ones kept, others
    stored with why they were left out; Discogs masters from url-rels, else a confident search."""
    if not artist.albums_stale:
        note("cache_hits")
        return list(artist.albums.all())
    if not artist.mbid:
        artist = refresh_artist(artist)
    if not artist.mbid:
        _stamp(artist, albums_refreshed_at=timezone.now(), last_error="No MusicBrainz id: its albums cannot be listed")
        return list(artist.albums.all())
    note("api_lookups")
    try:
        groups = musicbrainz().release_groups(str(artist.mbid))
    except ApiError as error:
        record_permanent_error(artist, error, albums_refreshed_at=timezone.now())
        return list(artist.albums.all())
    albums = [save_release_group(artist, group) for group in groups]
    _find_missing_masters([album for album in albums if album.is_studio])
    _stamp(artist, albums_refreshed_at=timezone.now())
    return albums


def save_release_group(artist, group):
    master_id = group.discogs_master_id
    if master_id and Album.objects.filter(discogs_master_id=master_id).exclude(mbid=group.mbid).exists():
        master_id = None  # another release group already claims this master
    result = upsert_album(
        artist,
        group.title,
        mbid=group.mbid,
        discogs_master_id=master_id,
        first_release_year=group.first_release_year,
        is_studio=group.is_studio_album,
        exclusion_reason=group.exclusion_reason,
        refreshed_at=timezone.now(),
    )
    album = with_source_on_create(result, Source.MUSICBRAINZ)
    if album.is_studio and album.exclusion_reason:
        _stamp(album, exclusion_reason="")  # MusicBrainz outranks an older guess
    return album


def _find_missing_masters(albums):
    missing = [album for album in albums if not album.discogs_master_id]
    if not missing:
        return
    client = discogs()
    for album in missing:
        find_master_by_search(album, client)


def find_master_by_search(album, client):
    """Set the album's Discogs master from a search, when one result is confident enough.

    Discogs search needs credentials; without them the album waits for a url-rel."""
    if not client.authenticated:
        return None
    try:
        results = client.search_page(album.artist.name, album.title, type="master").items
    except ApiError as error:
        record_permanent_error(album, error)
        return None
    best = best_search_match(album, results)
    if best and not Album.objects.filter(discogs_master_id=best.id).exclude(pk=album.pk).exists():
        _stamp(album, discogs_master_id=best.id)
    return album.discogs_master_id


def best_search_match(album, results, threshold=None):
    threshold = settings.DISCOGS_SEARCH_MIN_CONFIDENCE if threshold is None else threshold
    scored = [(title_confidence(album.artist.name, album.title, *split_discogs_title(r.title)), r) for r in results]
    confident = [(score, r) for score, r in scored if score >= threshold]
    return max(confident, key=lambda pair: pair[0], default=(0, None))[1]


# --- every vinyl pressing of an album --------------------------------------------------------


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
        asked = _sync_releases(album, discogs())
    except ApiError as error:
        _stamp(album, releases_sync_started_at=None)
        record_permanent_error(album, error, releases_refreshed_at=timezone.now())
    except BaseException:
        _stamp(album, releases_sync_started_at=None)
        raise
    else:
        # An album Discogs could not be asked about (no master, no credentials to search)
        # stays due, so it is synced as soon as a token is configured.
        _stamp(album, releases_sync_started_at=None, **({"releases_refreshed_at": timezone.now()} if asked else {}))
    return album


def claim_releases_sync(album, *, force=False):
    """Compare-and-set: true for the one worker that may sync this album's pressings now."""
    now = timezone.now()
    unclaimed = Q(releases_sync_started_at__isnull=True) | Q(releases_sync_started_at__lt=now - RELEASES_CLAIM_LEASE)
    stale = Q()
    if not force:
        cutoff = now - timedelta(days=settings.RELEASES_FRESHNESS_DAYS)
        stale = Q(releases_refreshed_at__isnull=True) | Q(releases_refreshed_at__lt=cutoff)
    return Album.objects.filter(unclaimed, stale, pk=album.pk).update(releases_sync_started_at=now) == 1


def _sync_releases(album, client):
    """Upsert the album's vinyl pressings; False when Discogs could not be asked at all."""
    if not album.discogs_master_id:
        find_master_by_search(album, client)
    if album.discogs_master_id:
        rows = [(v.id, version_fields(v, album.discogs_master_id)) for v in client.master_versions(album.discogs_master_id)]
    elif client.authenticated:
        rows = _vinyl_releases_by_search(album, client)
    else:
        return False
    now = timezone.now()
    for discogs_id, fields in rows:
        counted(upsert_release(discogs_id, album=album, refreshed_at=now, **fields))
    if album.last_error:
        _stamp(album, last_error="")
    return True


def version_fields(version, master_id):
    return {
        "title": version.title[:500],
        "discogs_master_id": master_id,
        "country": version.country[:100],
        "year": version.year,
        "released": "" if version.released in ("0", "") else version.released[:20],
        "format_summary": version.format[:300],
        "label": version.label[:300],
        "catalog_number": version.catno[:200],
        "is_official": "Unofficial" not in version.format,
        "thumb_url": version.thumb[:500],
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
        "title": result.release_title[:500],
        "country": result.country[:100],
        "year": result.year,
        "format_summary": ", ".join(result.formats)[:300],
        "label": (result.labels[0] if result.labels else "")[:300],
        "catalog_number": result.catno[:200],
        "thumb_url": (result.cover_image or result.thumb)[:500],
        "have": result.have,
        "want": result.want,
        "source": Source.DISCOGS,
    }


def representative_release(album):
    """The pressing whose details stand for the album: the main release, else the most wanted."""
    releases = album.releases.filter(is_official=True)
    return releases.order_by("-is_main_release", F("want").desc(nulls_last=True), "discogs_id").first()


# --- one pressing in detail ------------------------------------------------------------------


def sync_release_details(release, *, force=False):
    """Tracklist, formats, rating, have/want and images of one pressing; links its album."""
    window = timedelta(days=settings.RELEASES_FRESHNESS_DAYS)
    if not force and _is_fresh(release.details_refreshed_at, window):
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
        _stamp(release, album=album)
    save_tracklist(album, release, data.tracklist)
    if not album.cover_url and data.image_url:
        _stamp(album, cover_url=data.image_url[:500])
    return release


def _save_vinyl_release(data):
    release = counted(upsert_release(data.id, details_refreshed_at=timezone.now(), **release_detail_fields(data)))
    if release.last_error:
        _stamp(release, last_error="")
    return release


def release_detail_fields(data):
    return {
        "title": data.title[:500],
        "artist_credit": data.artist_credit[:500],
        "discogs_master_id": data.master_id,
        "country": data.country[:100],
        "year": data.year,
        "released": data.released[:20],
        "formats": format_objects(data.formats),
        "format_summary": data.format_summary[:300],
        "label": data.label[:300],
        "catalog_number": data.catalog_number[:200],
        "is_official": data.is_official,
        "rating_average": data.rating_average,
        "rating_count": data.rating_count,
        "have": data.have,
        "want": data.want,
        "image_url": data.image_url[:500],
        "thumb_url": data.thumb_url[:500],
        "source": Source.DISCOGS,
    }


def album_for_pressing(data):
    """The album a pressing belongs to: by its master, else created from the pressing itself.

    An album first seen through a pressing counts as a studio album when Discogs describes
    the pressing as an "Album" and not a "Compilation"; otherwise it says why not.
    """
    if data.master_id:
        album = Album.objects.filter(discogs_master_id=data.master_id).first()
        if album is not None:
            return album
    credit = data.artists[0] if data.artists else None
    if credit is None or credit.clean_name.lower() == "various":
        return None
    artist = with_source_on_create(upsert_artist(credit.clean_name, discogs_id=credit.id), Source.DISCOGS)
    is_studio, reason = pressing_album_kind(data.formats)
    result = upsert_album(
        artist, data.title, discogs_master_id=data.master_id, is_studio=is_studio, exclusion_reason=reason,
        genre=(getattr(data, "genres", ()) or ("",))[0][:100],
    )
    return with_source_on_create(result, Source.DISCOGS)


def pressing_album_kind(formats):
    descriptions = {d for f in formats for d in f.descriptions}
    if "Album" in descriptions and "Compilation" not in descriptions:
        return True, ""
    shown = ", ".join(sorted(descriptions)) or "no description"
    return False, f"Discogs describes its pressing as: {shown}"[:200]


def save_tracklist(album, release, tracks):
    """The album's tracks from this pressing, when the album has none or it is the main release."""
    is_main = release is not None and release.is_main_release
    if not tracks or (album.tracks.exists() and not is_main):
        return
    rows = [
        Track(album=album, sequence=n, position=t.position[:20], title=t.title[:500], duration_seconds=t.duration_seconds)
        for n, t in enumerate(tracks, start=1)
    ]
    try:
        with transaction.atomic():
            album.tracks.all().delete()
            Track.objects.bulk_create(rows)
    except IntegrityError:
        return  # a concurrent worker wrote the same album's tracks first
    _stamp(album, track_count=len(rows))


# --- the whole chain -------------------------------------------------------------------------


def ingest_artist(name=None, mbid=None):
    """Artist, similar artists, studio albums, their pressings and one detailed pressing each."""
    artist = get_or_create_artist(name=name, mbid=mbid)
    sync_artist_similars(artist)
    for album in sync_artist_albums(artist):
        if album.is_studio:
            sync_album_chain(album)
    return artist


def sync_album_chain(album):
    """The album's pressings, then the details (tracklist, cover) of its representative one."""
    sync_album_releases(album)
    release = representative_release(album)
    if release is not None:
        sync_release_details(release)
    return album


# --- what is due, for the fan-out tasks and the commands -------------------------------------


def stale_artist_ids():
    return list(Artist.objects.stale().values_list("pk", flat=True))


def followed_stale_artist_ids():
    return list(Artist.objects.followed_by_active_users().stale().values_list("pk", flat=True))


def albums_due_for_releases():
    """Studio albums whose pressings are stale (a master, or a name Discogs could search)."""
    return Album.objects.studio().releases_stale().select_related("artist").order_by("pk")


def albums_missing_tracklist():
    """Albums with pressings but no tracks yet: their representative pressing needs details."""
    return Album.objects.studio().filter(releases__isnull=False, tracks__isnull=True).distinct().order_by("pk")

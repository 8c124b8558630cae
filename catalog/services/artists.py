"""Artists, database first: the row when fresh, else MusicBrainz (identity) + Last.fm
(popularity, image, tags), with a Discogs image when Last.fm has none; their Last.fm similar
artists as ArtistSimilarity rows."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from integrations.clients import discogs, lastfm, musicbrainz
from integrations.errors import ApiError, NotFound
from integrations.runs import note, record_permanent_error, stamp

from ..models import Artist, ArtistSimilarity, ArtistTag, Source, Tag
from ..normalize import normalize_artist_name
from ..upsert import find_artist, fit, upsert_artist, with_source_on_create

SIMILARS_LIMIT = 100
# A MusicBrainz search hit is taken as the artist only at this relevance (0–100) or above.
MB_SEARCH_MIN_SCORE = 90


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
        stamp(artist, last_error="")
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
    names = [fit(Tag, "name", name.strip().lower()) for name in names if name and name.strip()]
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
    stamp(artist, similars_refreshed_at=timezone.now())
    return count


def save_similarities(artist, similars):
    """Replace the artist's Last.fm neighbours in bulk, creating bare rows for unknown names."""
    targets = artists_by_name([s.name for s in similars])
    scores = {}
    for similar in similars:
        target = targets.get(normalize_artist_name(similar.name))
        if target is not None and target.pk != artist.pk and target.pk not in scores:
            scores[target.pk] = min(max(similar.match, 0.0), 1.0)
    rows = [
        ArtistSimilarity(from_artist=artist, to_artist_id=pk, score=score, source=Source.LASTFM) for pk, score in scores.items()
    ]
    with transaction.atomic():
        artist.similar_to.filter(source=Source.LASTFM).exclude(to_artist_id__in=scores).delete()
        ArtistSimilarity.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["from_artist", "to_artist", "source"],
            update_fields=["score", "updated_at"],
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
    missing = [
        Artist(name=fit(Artist, "name", name), normalized_name=key, source=Source.LASTFM)
        for key, name in wanted.items()
        if key not in found
    ]
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


# --- what is due, for the fan-out tasks ------------------------------------------------------


def stale_artist_ids():
    return list(Artist.objects.stale().values_list("pk", flat=True))


def followed_stale_artist_ids():
    return list(Artist.objects.followed_by_active_users().stale().values_list("pk", flat=True))

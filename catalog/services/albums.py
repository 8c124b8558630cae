"""Albums, database first: an artist's album-type release groups from MusicBrainz (studio
ones kept, the others stored with why not), their Discogs masters (url-rels, else a confident
search), albums first seen through a pressing, and an album's tracklist. Whether an album is
a studio album is catalog.studio's verdict, on every path."""

from django.conf import settings
from django.utils import timezone

from integrations.clients import discogs, musicbrainz
from integrations.errors import ApiError
from integrations.runs import note, record_permanent_error, stamp

from .. import studio
from ..covers import coverartarchive_front
from ..matching import split_discogs_title, title_confidence
from ..models import Album, Source, YearSource
from ..normalize import is_various_artists
from ..signals import albums_added
from ..upsert import find_album, upsert_album, upsert_artist, with_source_on_create
from .artists import refresh_artist
from .covers import offer_cover
from .tracks import is_bonus_edition, original_pressing, replace_tracklist


def sync_artist_albums(artist):
    """The artist's album-type release groups from MusicBrainz, studio ones kept, others
    stored with why they were left out; Discogs masters from url-rels, else a confident search."""
    if not artist.albums_stale:
        note("cache_hits")
        return list(artist.albums.all())
    if not artist.mbid:
        artist = refresh_artist(artist)
    if not artist.mbid:
        stamp(artist, albums_refreshed_at=timezone.now(), last_error="No MusicBrainz id: its albums cannot be listed")
        return list(artist.albums.all())
    note("api_lookups")
    try:
        groups = musicbrainz().release_groups(str(artist.mbid))
    except ApiError as error:
        record_permanent_error(artist, error, albums_refreshed_at=timezone.now())
        return list(artist.albums.all())
    had, backfill = set(artist.albums.values_list("pk", flat=True)), artist.albums_refreshed_at is None
    albums = [save_release_group(artist, group) for group in groups]
    _find_missing_masters([album for album in albums if album.is_studio])
    stamp(artist, albums_refreshed_at=timezone.now())
    added = [album.pk for album in albums if album.is_studio and album.pk not in had]
    if added:  # a first listing of the artist's albums is a backfill: not news
        albums_added.send(type(artist), artist_id=artist.pk, album_ids=added, backfill=backfill)
    return albums


def release_group_verdict(group):
    """(is_studio, reason) from a MusicBrainz release group's types and credit."""
    facts = studio.Facts(
        primary_type=group.primary_type,
        secondary_types=tuple(group.secondary_types),
        credited_artists=len(group.artist_credit),
    )
    return studio.verdict(facts)


def save_release_group(artist, group):
    master_id = group.discogs_master_id
    if master_id and Album.objects.filter(discogs_master_id=master_id).exclude(mbid=group.mbid).exists():
        master_id = None  # another release group already claims this master
    is_studio, reason = release_group_verdict(group)
    result = upsert_album(
        artist,
        group.title,
        mbid=group.mbid,
        discogs_master_id=master_id,
        first_release_year=group.first_release_year,
        year_source=YearSource.MUSICBRAINZ,
        is_studio=is_studio,
        exclusion_reason=reason,
        refreshed_at=timezone.now(),
    )
    album = with_source_on_create(result, Source.MUSICBRAINZ)
    if album.is_studio and album.exclusion_reason:
        stamp(album, exclusion_reason="")  # MusicBrainz outranks an older guess
    offer_cover(album, coverartarchive_front(album.mbid))  # no call: the URL follows from the group's id
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
        stamp(album, discogs_master_id=best.id)
    return album.discogs_master_id


def best_search_match(album, results, threshold=None):
    threshold = settings.DISCOGS_SEARCH_MIN_CONFIDENCE if threshold is None else threshold
    scored = [(title_confidence(album.artist.name, album.title, *split_discogs_title(r.title)), r) for r in results]
    confident = [(score, r) for score, r in scored if score >= threshold]
    return max(confident, key=lambda pair: pair[0], default=(0, None))[1]


# --- albums first seen through a pressing ----------------------------------------------------


def album_for_pressing(data):
    """The album a Discogs pressing belongs to: by its master, else created from the pressing
    itself, with the studio verdict of what the pressing says. None for a compilation
    credited to Various Artists: it is nobody's album."""
    album = known_album_for_pressing(data.master_id)
    if album is not None:
        return album
    credit = data.artists[0] if data.artists else None
    if credit is None or is_various_artists(credit.name, credit.id):
        return None
    artist = with_source_on_create(upsert_artist(credit.clean_name, discogs_id=credit.id), Source.DISCOGS)
    is_studio, reason = pressing_verdict(data)
    result = upsert_album(
        artist,
        data.title,
        discogs_master_id=data.master_id,
        is_studio=is_studio,
        exclusion_reason=reason,
        genre=(getattr(data, "genres", ()) or ("",))[0],
    )
    return with_source_on_create(result, Source.DISCOGS)


def known_album_for_pressing(master_id, artist=None, title=""):
    """The album we already have for a pressing: the one of its Discogs master, else (given
    its artist) the artist's album of that title; None when we have none. The one rule that
    links a pressing to an album, for pressings read from Discogs and from collections."""
    album = Album.objects.filter(discogs_master_id=master_id).first() if master_id else None
    if album is None and artist is not None:
        album = find_album(artist, title)
    return album


def pressing_verdict(data):
    """(is_studio, reason) from one pressing's title, format descriptions, genres, styles and
    tracklist headings."""
    descriptions = frozenset(d for fmt in data.formats for d in fmt.descriptions)
    styles = tuple(getattr(data, "genres", ())) + tuple(getattr(data, "styles", ()))
    headings = tuple(getattr(data, "headings", ()))
    return studio.verdict(studio.Facts(descriptions=descriptions, styles=styles, title=data.title, headings=headings))


def save_tracklist(album, release, data):
    """The album's tracks from this pressing's details (never a deluxe or expanded edition's):
    when it is the original LP, or the main release while no original is known, or the album
    has no tracks yet (services.tracks)."""
    if not data.tracklist or is_bonus_edition(data.formats):
        return
    if album.tracks.exists() and not _gives_standard_tracklist(album, release):
        return
    replace_tracklist(album, data.tracklist)


def _gives_standard_tracklist(album, release):
    if release is None:
        return False
    original = original_pressing(album)
    return release.pk == original.pk if original is not None else release.is_main_release

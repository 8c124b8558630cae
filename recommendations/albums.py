"""Candidate albums for one listener, and the facts the score needs about each (database side).

A candidate album is a studio album with enough tracks (an unknown count is allowed), at
least one vinyl pressing, not owned by the listener (no pressing of it in their Discogs
collection), not dismissed, by an artist the listener has not blocked. Every query here
works on sets of rows (subqueries, grouped aggregates), never one query per album.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, F, FloatField, OuterRef, Q, Sum
from django.db.models.functions import Cast

from accounts.models import CollectionItem
from catalog.models import Album, ArtistTag, Release
from catalog.normalize import normalize_artist_name
from pricing.models import AlbumBestPrice

from .models import Feedback
from .profile import TasteProfile
from .scoring import AlbumFacts, PriceFact

# How many of an artist's tags stand in for the genre of an album that has none.
GENRE_TAGS = 2


@dataclass(frozen=True)
class Listener:
    """Everything about one user that selecting and scoring albums depends on."""

    user_id: int
    country: str
    min_tracks: int
    profile: TasteProfile
    blocked: frozenset[int] = frozenset()
    # (normalized artist name, normalized album title) → the listener's plays of that album
    album_plays: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ArtistLead:
    """Why an artist is a candidate: its similarity to the listener (0–1) and through whom."""

    score: float = 0.0
    via: tuple[str, ...] = ()


def _collected(user_id, folder):
    return CollectionItem.objects.filter(user_id=user_id, folder=folder)


def owned_condition(user_id) -> Q:
    """An album is owned when a pressing of it is in the collection, linked or by master id."""
    owned = _collected(user_id, CollectionItem.Folder.COLLECTION)
    by_album = Exists(owned.filter(release__album=OuterRef("pk")))
    by_master = Exists(owned.filter(release__discogs_master_id=OuterRef("discogs_master_id")))
    return Q(by_album) | Q(by_master)


def wantlisted_condition(user_id) -> Q:
    """On the Discogs wantlist (a pressing of the album) or wantlisted here."""
    wanted = _collected(user_id, CollectionItem.Folder.WANTLIST)
    feedback = Feedback.objects.filter(user_id=user_id, kind=Feedback.Kind.WANTLIST, album=OuterRef("pk"))
    return (
        Q(Exists(wanted.filter(release__album=OuterRef("pk"))))
        | Q(Exists(wanted.filter(release__discogs_master_id=OuterRef("discogs_master_id"))))
        | Q(Exists(feedback))
    )


def dismissed_condition(user_id) -> Q:
    return Q(Exists(Feedback.objects.filter(user_id=user_id, kind=Feedback.Kind.DISMISS, album=OuterRef("pk"))))


def never_recommended(listener: Listener) -> Q:
    """Albums that must never appear, whatever else: owned, dismissed, by a blocked artist."""
    return owned_condition(listener.user_id) | dismissed_condition(listener.user_id) | Q(artist_id__in=listener.blocked)


def candidate_albums(listener: Listener, artist_ids):
    vinyl = Exists(Release.objects.filter(album=OuterRef("pk")))
    return (
        Album.objects.filter(artist_id__in=artist_ids, is_studio=True)
        .filter(_enough_tracks(listener.min_tracks), vinyl)
        .exclude(never_recommended(listener))
        .select_related("artist")
        .order_by("pk")
    )


def _enough_tracks(min_tracks, prefix=""):
    """At least the listener's minimum of tracks; an unknown count is given the benefit of the doubt."""
    return Q(**{f"{prefix}track_count__gte": min_tracks}) | Q(**{f"{prefix}track_count__isnull": True})


def locked_albums(listener: Listener):
    """Albums the listener locked that may still appear: locks do not override ownership or blocks."""
    locked = Feedback.objects.filter(user_id=listener.user_id, kind=Feedback.Kind.LOCK).values("album_id")
    return Album.objects.filter(pk__in=locked).exclude(never_recommended(listener)).select_related("artist")


def wantlisted_ids(listener: Listener, albums) -> set[int]:
    ids = [album.pk for album in albums]
    return set(Album.objects.filter(pk__in=ids).filter(wantlisted_condition(listener.user_id)).values_list("pk", flat=True))


# --- facts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlbumStats:
    want: int = 0
    have: int = 0
    rating_average: float | None = None
    rating_count: int = 0


def album_stats(artist_ids, min_tracks=0) -> dict[int, tuple[int, AlbumStats]]:
    """Community figures summed over the pressings of each album that counts as a studio
    album for the listener (owned ones included): album id → (artist id, stats)."""
    rated = Q(rating_average__isnull=False, rating_count__isnull=False)
    weighted = Cast(F("rating_average"), FloatField()) * Cast(F("rating_count"), FloatField())
    rows = (
        Release.objects.filter(_enough_tracks(min_tracks, "album__"), album__artist_id__in=artist_ids, album__is_studio=True)
        .values("album_id", "album__artist_id")
        .annotate(
            want=Sum("want"),
            have=Sum("have"),
            votes=Sum("rating_count", filter=rated),
            rating_points=Sum(weighted, filter=rated),
        )
        .order_by()
    )
    return {row["album_id"]: (row["album__artist_id"], _stats(row)) for row in rows}


def _stats(row) -> AlbumStats:
    votes = row["votes"] or 0
    average = row["rating_points"] / votes if votes else None
    return AlbumStats(want=row["want"] or 0, have=row["have"] or 0, rating_average=average, rating_count=votes)


def demand_ranks(stats: dict[int, tuple[int, AlbumStats]]) -> dict[int, int]:
    """1 for each artist's most-wanted studio album on vinyl, 2 for the next…"""
    by_artist = defaultdict(list)
    for album_id, (artist_id, figures) in stats.items():
        by_artist[artist_id].append((-figures.want, album_id))
    ranks = {}
    for albums in by_artist.values():
        for rank, (_, album_id) in enumerate(sorted(albums), start=1):
            ranks[album_id] = rank
    return ranks


def best_prices(album_ids, country) -> dict[int, AlbumBestPrice]:
    """The cheapest current offer shipping to `country` (or to anywhere stated) per album."""
    rows = AlbumBestPrice.objects.for_country(country).filter(album_id__in=album_ids).select_related("store", "release")
    cheapest = {}
    for row in rows:
        cheapest.setdefault(row.album_id, row)
    return cheapest


def genres(albums) -> dict[int, frozenset[str]]:
    """Album genre when known, else the artist's strongest tags."""
    tags = defaultdict(list)
    artist_ids = {album.artist_id for album in albums if not album.genre}
    rows = ArtistTag.objects.filter(artist_id__in=artist_ids).order_by("artist_id", "-weight", "tag__name")
    for artist_id, name in rows.values_list("artist_id", "tag__name"):
        if len(tags[artist_id]) < GENRE_TAGS:
            tags[artist_id].append(name.lower())
    return {
        album.pk: frozenset({album.genre.lower()}) if album.genre else frozenset(tags.get(album.artist_id, ()))
        for album in albums
    }


@dataclass(frozen=True)
class _Tables:
    """The per-album lookups gather_facts loads once for all albums."""

    stats: dict
    ranks: dict
    prices: dict
    wanted: set
    genres: dict
    favourites: set


def gather_facts(albums, listener: Listener, leads: dict[int, ArtistLead]) -> list[AlbumFacts]:
    """One AlbumFacts per album, in a fixed number of queries whatever the number of albums."""
    albums = list(albums)
    stats = album_stats({album.artist_id for album in albums}, listener.min_tracks)
    tables = _Tables(
        stats=stats,
        ranks=demand_ranks(stats),
        prices=best_prices([album.pk for album in albums], listener.country),
        wanted=wantlisted_ids(listener, albums),
        genres=genres(albums),
        favourites=listener.profile.favourites(),
    )
    return [_facts(album, listener, leads.get(album.artist_id, ArtistLead()), tables) for album in albums]


def _facts(album, listener: Listener, lead: ArtistLead, tables: _Tables) -> AlbumFacts:
    taste = listener.profile.artists.get(album.artist_id)
    stats = tables.stats.get(album.pk, (None, AlbumStats()))[1]
    plays_key = (normalize_artist_name(album.artist.name), album.normalized_title)
    return AlbumFacts(
        album_id=album.pk,
        artist_id=album.artist_id,
        artist_name=album.artist.name,
        title=album.title,
        country=listener.country,
        affinity=taste.affinity if taste else 0.0,
        artist_playcount=taste.playcount if taste else None,
        artist_sources=taste.sources if taste else frozenset(),
        album_playcount=listener.album_plays.get(plays_key),
        similarity=lead.score,
        similar_to=lead.via,
        is_favourite=album.artist_id in tables.favourites,
        rating_average=stats.rating_average,
        rating_count=stats.rating_count,
        want=stats.want,
        have=stats.have,
        demand_rank=tables.ranks.get(album.pk),
        price=_price_fact(tables.prices.get(album.pk)),
        wantlisted=album.pk in tables.wanted,
        genres=tables.genres[album.pk],
    )


def _price_fact(best: AlbumBestPrice | None) -> PriceFact | None:
    if best is None:
        return None
    release = best.release
    return PriceFact(
        total_eur=best.total_eur,
        store=best.store.name,
        release_year=release.year if release else None,
        release_country=release.country if release else "",
    )


def suggested_releases(album_ids, country) -> dict[int, int]:
    """The pressing to buy: the one with the best price for the country, else the most-wanted official one."""
    suggested = {album_id: best.release_id for album_id, best in best_prices(album_ids, country).items() if best.release_id}
    missing = [album_id for album_id in album_ids if album_id not in suggested]
    official = Release.objects.filter(album_id__in=missing, is_official=True)
    for album_id, release_id in official.order_by("album_id", F("want").desc(nulls_last=True), "pk").values_list(
        "album_id", "pk"
    ):
        suggested.setdefault(album_id, release_id)
    return suggested

"""Candidate albums for one listener, and the facts the score needs about each (database side).

A candidate album is a studio album with enough tracks (an unknown count is allowed), at
least one vinyl pressing, not owned by the listener (no pressing of it in their Discogs
collection), not dismissed, by an artist the listener has not blocked. Every query here
works on sets of rows (subqueries, grouped aggregates), never one query per album.

Related candidates are the albums of the listener's artists and of the artists the engine
leads to. When they run short, discovery candidates pass the same filters, catalog-wide, by
artists the listener has no link to: taken in one query, most wanted first.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from itertools import chain

from django.db.models import Exists, F, FloatField, OuterRef, Q, Sum
from django.db.models.functions import Cast

from accounts.models import CollectionItem, SeedArtist
from catalog.models import Album, ArtistTag, Release
from catalog.normalize import normalize_artist_name
from pricing.filters import BuyingFilters
from pricing.models import AlbumBestPrice
from pricing.queries import album_price_values, best_landed_totals, best_landed_values

from .models import Feedback
from .profile import TasteProfile
from .scoring import AlbumFacts, PriceFact, Scored

# How many of an artist's tags stand in for the genre of an album that has none.
GENRE_TAGS = 2
# How many of the catalog's most-wanted albums a discovery's explanation can place it among.
MOST_WANTED_COUNTED = 100
# The listener's strongest artists whose genres say what the listener's taste sounds like.
GENRE_TASTE_ARTISTS = 100


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
    # Their buying filters (accounts.filters); None = the defaults for their country.
    filters: BuyingFilters | None = None

    @property
    def buying_filters(self) -> BuyingFilters:
        return self.filters or BuyingFilters(str(self.country))


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


def dismissed_condition(user_id) -> Q:
    return Q(Exists(Feedback.objects.filter(user_id=user_id, kind=Feedback.Kind.DISMISS, album=OuterRef("pk"))))


def never_recommended(listener: Listener) -> Q:
    """Albums that must never appear, whatever else: owned, dismissed, by a blocked artist."""
    return owned_condition(listener.user_id) | dismissed_condition(listener.user_id) | Q(artist_id__in=listener.blocked)


# What selecting, scoring and explaining read of a candidate album (and its artist's name).
# The artist's name comes as an annotation (`artist_name`): a thousand candidates must not
# build a thousand Artist instances for one string each.
CANDIDATE_FIELDS = ("id", "artist_id", "title", "normalized_title", "genre", "discogs_master_id")


def _candidates(listener: Listener):
    """Every album that may be recommended to the listener, whoever the artist."""
    vinyl = Exists(Release.objects.filter(album=OuterRef("pk")))
    return (
        Album.objects.filter(is_studio=True)
        .filter(_enough_tracks(listener.min_tracks), vinyl)
        .exclude(never_recommended(listener))
        .only(*CANDIDATE_FIELDS)
        .annotate(artist_name=F("artist__name"))
    )


def candidate_albums(listener: Listener, artist_ids):
    return _candidates(listener).filter(artist_id__in=artist_ids).order_by("pk")


def discovery_albums(listener: Listener, led_to_artist_ids, limit: int) -> list[Album]:
    """Up to `limit` candidates by artists neither the listener's (any seed) nor led to by the
    engine: the most wanted first, then the most voted, then those on sale in their country."""
    seeded = SeedArtist.objects.filter(user_id=listener.user_id, artist_id=OuterRef("artist_id"))
    on_sale = AlbumBestPrice.objects.for_country(listener.country).filter(album_id=OuterRef("pk"))
    albums = (
        with_community_stats(_candidates(listener).exclude(artist_id__in=led_to_artist_ids).exclude(Exists(seeded)))
        .annotate(on_sale=Exists(on_sale))
        .order_by(F("want").desc(nulls_last=True), F("votes").desc(nulls_last=True), F("on_sale").desc(), "pk")
    )
    return list(albums[:limit])


def _enough_tracks(min_tracks, prefix=""):
    """At least the listener's minimum of tracks; an unknown count is given the benefit of the doubt."""
    return Q(**{f"{prefix}track_count__gte": min_tracks}) | Q(**{f"{prefix}track_count__isnull": True})


def locked_albums(listener: Listener):
    """Albums the listener locked that may still appear: locks do not override ownership or blocks."""
    locked = Feedback.objects.filter(user_id=listener.user_id, kind=Feedback.Kind.LOCK).values("album_id")
    albums = Album.objects.filter(pk__in=locked).exclude(never_recommended(listener)).annotate(artist_name=F("artist__name"))
    # With their community figures: a locked discovery album is scored from them.
    return with_community_stats(albums)


def wantlisted_ids(listener: Listener, albums) -> set[int]:
    """The albums (of `albums`) that are on the listener's wantlist (a pressing of the album,
    linked or by master id, on their Discogs wantlist, or wantlisted here), from their own few
    wantlist rows: two small queries, however many albums are asked about."""
    wanted = _collected(listener.user_id, CollectionItem.Folder.WANTLIST).filter(release__isnull=False)
    album_ids, master_ids = set(), set()
    for album_id, master_id in wanted.values_list("release__album_id", "release__discogs_master_id"):
        album_ids.add(album_id)
        master_ids.add(master_id)
    feedback = Feedback.objects.filter(user_id=listener.user_id, kind=Feedback.Kind.WANTLIST)
    album_ids.update(feedback.values_list("album_id", flat=True))
    album_ids.discard(None)
    master_ids.discard(None)
    return {album.pk for album in albums if album.pk in album_ids or album.discogs_master_id in master_ids}


# --- facts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlbumStats:
    want: int = 0
    have: int = 0
    rating_average: float | None = None
    rating_count: int = 0


def _community_sums(prefix=""):
    """Want, have and votes summed over pressings, and the vote-weighted rating points."""
    rated = Q(**{f"{prefix}rating_average__isnull": False, f"{prefix}rating_count__isnull": False})
    weighted = Cast(F(f"{prefix}rating_average"), FloatField()) * Cast(F(f"{prefix}rating_count"), FloatField())
    return {
        "want": Sum(f"{prefix}want"),
        "have": Sum(f"{prefix}have"),
        "votes": Sum(f"{prefix}rating_count", filter=rated),
        "rating_points": Sum(weighted, filter=rated),
    }


COMMUNITY_SUMS = tuple(_community_sums())


def with_community_stats(albums):
    """Albums annotated with their pressings' community sums (read back by `_album_stats`)."""
    return albums.annotate(**_community_sums("releases__"))


def album_stats(artist_ids, min_tracks=0) -> dict[int, tuple[int, AlbumStats]]:
    """Community figures summed over the pressings of each album that counts as a studio
    album for the listener (owned ones included): album id → (artist id, stats)."""
    albums = Album.objects.filter(_enough_tracks(min_tracks), artist_id__in=artist_ids, is_studio=True)
    artist_of = dict(albums.values_list("pk", "artist_id"))
    # The album ids as a list, not a join: PostgreSQL then reads their pressings through the
    # album index instead of scanning every pressing of the catalog to hash-join them.
    rows = Release.objects.filter(album_id__in=list(artist_of)).values("album_id").annotate(**_community_sums()).order_by()
    return {row["album_id"]: (artist_of[row["album_id"]], _stats(row)) for row in rows}


def _stats(row) -> AlbumStats:
    votes = row["votes"] or 0
    average = row["rating_points"] / votes if votes else None
    return AlbumStats(want=row["want"] or 0, have=row["have"] or 0, rating_average=average, rating_count=votes)


def _album_stats(album) -> AlbumStats:
    return _stats({key: getattr(album, key) for key in COMMUNITY_SUMS})


def demand_ranks(stats: dict[int, tuple[int, AlbumStats]]) -> dict[int, int]:
    """1 for each artist's most-wanted studio album on vinyl, 2 for the next…; no rank for an
    artist's only album: a superlative needs something to compare."""
    by_artist = defaultdict(list)
    for album_id, (artist_id, figures) in stats.items():
        by_artist[artist_id].append((-figures.want, album_id))
    ranks = {}
    for albums in (albums for albums in by_artist.values() if len(albums) > 1):
        for rank, (_, album_id) in enumerate(sorted(albums), start=1):
            ranks[album_id] = rank
    return ranks


def most_wanted_totals(counted: int) -> list[int]:
    """Want totals of the catalog's `counted` most-wanted studio albums on vinyl, highest first."""
    totals = Album.objects.filter(is_studio=True).annotate(total=Sum("releases__want")).filter(total__gt=0)
    return list(totals.order_by("-total").values_list("total", flat=True)[:counted])


def catalog_want_rank(want: int, totals: list[int], counted: int) -> int | None:
    """The album's place by want among the catalog's most-wanted (ties share a place); None
    when it is wanted by nobody or less than every album counted, or when the catalog has no
    other wanted album to compare it with."""
    if not want or len(totals) < 2 or (len(totals) >= counted and want < totals[-1]):
        return None
    return 1 + sum(1 for total in totals if total > want)


def genres(albums) -> dict[int, frozenset[str]]:
    """Album genre when known, else the artist's strongest tags."""
    tags = defaultdict(list)
    for artist_id, name in _strongest_tags({album.artist_id for album in albums if not album.genre}):
        tags[artist_id].append(name.lower())
    return {
        album.pk: frozenset({album.genre.lower()}) if album.genre else frozenset(tags.get(album.artist_id, ()))
        for album in albums
    }


def genre_words(genre: str) -> frozenset[str]:
    """ "Singer-Songwriter/Heartland Rock" → {"singer-songwriter", "heartland rock"}."""
    return frozenset(part.strip().lower() for part in genre.split("/") if part.strip())


def genre_taste(listener: Listener) -> dict[str, float]:
    """Genre word → 0–1: the affinity of the listener's artists who play it, the strongest
    genre at 1. From their albums' genres and their strongest tags."""
    strongest = sorted(listener.profile.artists.values(), key=lambda taste: (-taste.weight, taste.artist_id))
    artist_ids = [taste.artist_id for taste in strongest[:GENRE_TASTE_ARTISTS]]
    words = defaultdict(set)
    for artist_id, genre in chain(_album_genres(artist_ids), _strongest_tags(artist_ids)):
        words[artist_id] |= genre_words(genre)
    weights = defaultdict(float)
    for artist_id, found in words.items():
        for word in found:
            weights[word] += listener.profile.affinity(artist_id)
    top = max(weights.values(), default=0.0)
    return {word: weight / top for word, weight in weights.items()} if top else {}


def _album_genres(artist_ids):
    rows = Album.objects.filter(artist_id__in=artist_ids).exclude(genre="")
    return rows.values_list("artist_id", "genre").order_by().distinct()


def _strongest_tags(artist_ids):
    """(artist id, tag) for each artist's GENRE_TAGS strongest tags: the one top-N rule."""
    rows = ArtistTag.objects.filter(artist_id__in=artist_ids).order_by("artist_id", "-weight", "tag__name")
    kept = defaultdict(int)
    for artist_id, name in rows.values_list("artist_id", "tag__name"):
        kept[artist_id] += 1
        if kept[artist_id] <= GENRE_TAGS:
            yield artist_id, name


def genre_overlap(album_genres: frozenset[str], taste: dict[str, float]) -> tuple[float, tuple[str, ...]]:
    """How close an album is to the listener's genres (its best shared genre's weight), and
    the shared genres, the listener's strongest first."""
    words = set(chain.from_iterable(genre_words(genre) for genre in album_genres))
    shared = sorted((word for word in words if word in taste), key=lambda word: (-taste[word], word))
    return (taste[shared[0]] if shared else 0.0), tuple(shared)


@dataclass(frozen=True)
class _Tables:
    """The per-album lookups gather_facts loads once for all albums."""

    stats: dict
    ranks: dict
    prices: dict
    wanted: set
    genres: dict
    favourites: set
    normalized_names: dict  # artist id → normalized name (the key of the listener's album plays)


def gather_facts(albums, listener: Listener, leads: dict[int, ArtistLead]) -> list[AlbumFacts]:
    """One AlbumFacts per album, in a fixed number of queries whatever the number of albums."""
    albums = list(albums)
    stats = album_stats({album.artist_id for album in albums}, listener.min_tracks)
    tables = _Tables(
        stats=stats,
        ranks=demand_ranks(stats),
        prices=price_facts([album.pk for album in albums], listener.buying_filters),
        wanted=wantlisted_ids(listener, albums),
        genres=genres(albums),
        favourites=listener.profile.favourites(),
        normalized_names={
            artist_id: normalize_artist_name(name) for artist_id, name in {(a.artist_id, a.artist_name) for a in albums}
        },
    )
    return [_facts(album, listener, leads.get(album.artist_id, ArtistLead()), tables) for album in albums]


def _facts(album, listener: Listener, lead: ArtistLead, tables: _Tables) -> AlbumFacts:
    taste = listener.profile.artists.get(album.artist_id)
    stats = tables.stats.get(album.pk, (None, AlbumStats()))[1]
    plays_key = (tables.normalized_names[album.artist_id], album.normalized_title)
    return AlbumFacts(
        **_album_facts(album, listener, stats, tables),
        affinity=taste.affinity if taste else 0.0,
        artist_playcount=taste.playcount if taste else None,
        artist_sources=taste.sources if taste else frozenset(),
        album_playcount=listener.album_plays.get(plays_key),
        similarity=lead.score,
        similar_to=lead.via,
        is_favourite=album.artist_id in tables.favourites,
        demand_rank=tables.ranks.get(album.pk),
    )


def _album_facts(album, listener: Listener, stats: AlbumStats, tables) -> dict:
    """The facts about the album itself, whatever links it to the listener (if anything)."""
    return {
        "album_id": album.pk,
        "artist_id": album.artist_id,
        "artist_name": album.artist_name,
        "title": album.title,
        "country": listener.country,
        "rating_average": stats.rating_average,
        "rating_count": stats.rating_count,
        "want": stats.want,
        "have": stats.have,
        "price": tables.prices.get(album.pk),
        "wantlisted": album.pk in tables.wanted,
        "genres": tables.genres[album.pk],
    }


@dataclass(frozen=True)
class _DiscoveryTables:
    prices: dict
    wanted: set
    genres: dict
    most_wanted: list
    taste: dict


def discovery_facts(albums, listener: Listener) -> list[AlbumFacts]:
    """AlbumFacts of discovery albums (annotated by `with_community_stats`), in a fixed
    number of queries: nothing links them to the listener but their genres."""
    albums = list(albums)
    if not albums:
        return []
    tables = _DiscoveryTables(
        prices=price_facts([album.pk for album in albums], listener.buying_filters),
        wanted=wantlisted_ids(listener, albums),
        genres=genres(albums),
        most_wanted=most_wanted_totals(MOST_WANTED_COUNTED),
        taste=genre_taste(listener),
    )
    return [_discovery_facts(album, listener, tables) for album in albums]


def _discovery_facts(album, listener: Listener, tables: _DiscoveryTables) -> AlbumFacts:
    stats = _album_stats(album)
    overlap, shared = genre_overlap(tables.genres[album.pk], tables.taste)
    return AlbumFacts(
        **_album_facts(album, listener, stats, tables),
        discovery=True,
        catalog_want_rank=catalog_want_rank(stats.want, tables.most_wanted, MOST_WANTED_COUNTED),
        genre_overlap=overlap,
        shared_genres=shared,
    )


def price_facts(album_ids, filters: BuyingFilters) -> dict[int, PriceFact]:
    """album id → what the score reads of its price: the best landed total under the
    listener's filters (the only price that scores), for the albums that have one; one narrow
    query for a thousand candidates. The words about the offer (where, which pressing, or the
    item-only price of an album with no landed one) are loaded by `with_price_details` for the
    albums a set shows."""
    return {pk: PriceFact(total_eur=total) for pk, total in best_landed_totals(album_ids, filters).items()}


def with_price_details(scored: list[Scored], filters: BuyingFilters) -> list[Scored]:
    """The same scored albums, each with its whole price (store, shipping, pressing, or the
    item-only price) for the explanation the set stores; the score is unchanged (it only
    reads the landed total, which is the same)."""
    details = album_price_values([s.facts.album_id for s in scored], filters)
    return [replace(s, facts=replace(s.facts, price=_price_fact(*details[s.facts.album_id]))) for s in scored]


def _price_fact(best: dict | None, item_only: dict | None) -> PriceFact | None:
    if best is not None:
        return PriceFact(
            total_eur=best["total_eur"],
            shipping_kind=best["shipping_kind"],
            ships_from=best["item_location"],
            **_offer_fields(best),
        )
    if item_only is not None:
        return PriceFact(from_eur=item_only["item_eur"], **_offer_fields(item_only))
    return None


def _offer_fields(row) -> dict:
    return {
        "store": row["store__name"],
        "release_year": row["release__year"],
        "release_country": row["release__country"] or "",
        "sample": row["sample"],
    }


def suggested_releases(album_ids, filters: BuyingFilters) -> dict[int, int]:
    """The pressing to buy: the one with the best landed price under the listener's filters,
    else the most-wanted official one."""
    best = best_landed_values(album_ids, filters, ("album_id", "release_id"))
    suggested = {pk: row["release_id"] for pk, row in best.items() if row["release_id"]}
    missing = [album_id for album_id in album_ids if album_id not in suggested]
    official = Release.objects.filter(album_id__in=missing, is_official=True)
    for album_id, release_id in official.order_by("album_id", F("want").desc(nulls_last=True), "pk").values_list(
        "album_id", "pk"
    ):
        suggested.setdefault(album_id, release_id)
    return suggested

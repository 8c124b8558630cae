"""The explainable score of one album for one listener.

Every point has a named component, and every component that gives points has a reason a
person can read. The breakdown is rounded component by component and the score is the sum
of the rounded components, so the page can show "taste 21.4 + price 6.2 + …" and the
numbers add up exactly to the score shown.

Pure Python (no Django): the recommendation service gathers an `AlbumFacts` per candidate
album from the database and this module turns it into a `Scored`.

Discovery albums (catalog-wide, by artists no path leads to from the listener's) are scored
by the same components, taste, similarity and favourite at 0, plus a light `genre` component
for sharing the genres of the listener's artists and a `discovery` key worth 0 points that
marks them: a breakdown is component → points, so the mark must be a number that adds nothing.

Every card has a reason (`has_reason`, the one home of that rule): a path through the
listener's artists (their own artist, or an artist theirs lead to), a genre they play at
`GENRE_LINK` or more, their wantlist, or their lock. `reason` says it in a few words and
`via` names the listener's artists the path goes through.
"""
import math
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from pricing import describe
from pricing.countries import country_name, pressing_country

from .profile import FAVOURITE_COUNT

# Maximum points per component. The order is the order of the breakdown.
TASTE_POINTS = 25.0
ALBUM_PLAYS_POINTS = 5.0
SIMILARITY_POINTS = 20.0
FAVOURITE_POINTS = 8.0
RATING_POINTS = 12.0
DEMAND_POINTS = 10.0
PRICE_AVAILABLE_POINTS = 3.0
PRICE_CHEAP_POINTS = 7.0
WANTLIST_POINTS = 15.0
# Light: knowing what a listener's artists sound like says far less than knowing the artist.
GENRE_POINTS = 4.0

COMPONENTS = ("taste", "similarity", "favourite", "rating", "demand", "price", "wantlist")
DISCOVERY = "discovery"
DISCOVERY_COMPONENTS = (DISCOVERY, *COMPONENTS, "genre")

# Album plays at which the album-plays bonus is full.
ALBUM_PLAYS_FULL = 500
# Bayesian rating: a handful of votes should not beat a classic rated by thousands.
RATING_PRIOR_MEAN = 3.5
RATING_PRIOR_VOTES = 20
RATING_FLOOR = 3.0
RATING_CEILING = 5.0
# Want/have ratio; the pad keeps "2 want, 0 have" from looking like the most wanted record.
DEMAND_HAVE_PAD = 25
# A best total at or under the floor gets all the cheapness points, at or over the ceiling none.
PRICE_FLOOR_EUR = 15.0
PRICE_CEILING_EUR = 60.0
# How many similar artists an explanation names.
SIMILAR_NAMED = 2
# How many of the listener's genres a discovery's explanation names.
GENRES_NAMED = 2
# A genre links an album to the listener when it weighs at least this share of their
# strongest genre (genre_taste): below it, "close to your genres" is a guess, not a reason.
GENRE_LINK = 0.5


@dataclass(frozen=True)
class PriceFact:
    """The listener's best landed offer (`total_eur`, its shipping `exact` or `estimated`), or,
    when no offer has a known shipping, the cheapest item price (`from_eur`, shipping not
    included): said as such and never scored, since it is not what the record costs."""

    total_eur: Decimal | None = None
    store: str = ""
    release_year: int | None = None
    release_country: str = ""
    shipping_kind: str = ""
    ships_from: str = ""
    from_eur: Decimal | None = None
    sample: bool = False  # built for the offline demo: said so in the sentence that states it

    @property
    def is_landed(self) -> bool:
        return self.total_eur is not None


@dataclass(frozen=True)
class AlbumFacts:
    """What the score needs to know about one candidate album for one listener."""

    album_id: int
    artist_id: int
    artist_name: str
    title: str
    country: str
    affinity: float = 0.0
    artist_playcount: int | None = None
    artist_sources: frozenset[str] = frozenset()
    album_playcount: int | None = None
    similarity: float = 0.0
    similar_to: tuple[str, ...] = ()
    is_favourite: bool = False
    rating_average: float | None = None
    rating_count: int = 0
    want: int = 0
    have: int = 0
    demand_rank: int | None = None
    price: PriceFact | None = None
    wantlisted: bool = False
    genres: frozenset[str] = field(default_factory=frozenset)
    # Discovery albums only: the album's place among the catalog's most-wanted studio albums
    # on vinyl (None past the ones counted), and how close it is to the listener's genres.
    discovery: bool = False
    catalog_want_rank: int | None = None
    genre_overlap: float = 0.0
    shared_genres: tuple[str, ...] = ()
    locked: bool = False


@dataclass(frozen=True)
class Scored:
    """One album's score, its points per component, and (asked for) the sentence saying why.

    A set scores every candidate (a thousand at the target scale) and shows 24: the sentence
    is written only for the albums that are shown, when first read."""

    facts: AlbumFacts
    score: float
    breakdown: dict[str, float]
    reason: str = ""
    via: tuple[str, ...] = ()

    @cached_property
    def explanation(self) -> str:
        return explain(self.facts)


def score_album(facts: AlbumFacts) -> Scored:
    breakdown = {name: round(points, 1) for name, points in _components(facts).items()}
    # Summing tenths as integers: the score is exactly the sum of the rounded components.
    score = sum(round(points * 10) for points in breakdown.values()) / 10
    return Scored(facts, score, breakdown, reason(facts), via(facts))


def is_own_artist(facts: AlbumFacts) -> bool:
    return not facts.discovery and (facts.affinity > 0 or bool(facts.artist_sources))


def genre_linked(facts: AlbumFacts) -> bool:
    return bool(facts.shared_genres) and facts.genre_overlap >= GENRE_LINK


def has_reason(facts: AlbumFacts) -> bool:
    """A real link to the listener's taste: no card without one."""
    by_path = is_own_artist(facts) or (not facts.discovery and bool(facts.similar_to))
    return by_path or genre_linked(facts) or facts.wantlisted or facts.locked


def via(facts: AlbumFacts) -> tuple[str, ...]:
    """The listener's artists the card comes through: the album's artist when it is one of
    theirs, else those that lead to it; none for a genre, wantlist or lock."""
    if is_own_artist(facts):
        return (facts.artist_name,)
    return () if facts.discovery else facts.similar_to


def reason(facts: AlbumFacts) -> str:
    """The link to the listener's taste in a few words (the card's first line)."""
    if facts.discovery:
        return _discovery_reason(facts)
    opening, _ = _why_this_artist(facts)
    if not opening:
        opening = "it is on your wantlist" if facts.wantlisted else "you locked it" if facts.locked else ""
    return opening[:1].upper() + opening[1:]


def _discovery_reason(facts: AlbumFacts) -> str:
    if genre_linked(facts):
        return f"Close to the {_join_names(facts.shared_genres[:GENRES_NAMED])} of your artists"
    if facts.wantlisted:
        return "On your wantlist"
    return "You locked it" if facts.locked else ""


def _components(facts: AlbumFacts) -> dict[str, float]:
    if facts.discovery:
        return _discovery_components(facts)
    return {
        "taste": taste_points(facts),
        "similarity": SIMILARITY_POINTS * _clamp(facts.similarity),
        "favourite": FAVOURITE_POINTS if facts.is_favourite else 0.0,
        **_album_components(facts),
    }


def _album_components(facts: AlbumFacts) -> dict[str, float]:
    """What the album itself earns, whoever the listener is."""
    return {
        "rating": rating_points(facts.rating_average, facts.rating_count),
        "demand": demand_points(facts.want, facts.have),
        "price": price_points(facts.price),
        "wantlist": WANTLIST_POINTS if facts.wantlisted else 0.0,
    }


def _discovery_components(facts: AlbumFacts) -> dict[str, float]:
    # Nothing links the listener to the artist: no taste, similarity or favourite points.
    return {
        DISCOVERY: 0.0,
        "taste": 0.0,
        "similarity": 0.0,
        "favourite": 0.0,
        **_album_components(facts),
        "genre": GENRE_POINTS * _clamp(facts.genre_overlap),
    }


def taste_points(facts: AlbumFacts) -> float:
    plays = facts.album_playcount or 0
    album_bonus = ALBUM_PLAYS_POINTS * min(1.0, math.log1p(plays) / math.log1p(ALBUM_PLAYS_FULL))
    return TASTE_POINTS * _clamp(facts.affinity) + album_bonus


def bayesian_rating(average: float | None, votes: int) -> float:
    """The average pulled towards the prior mean when there are few votes."""
    votes = votes or 0
    average = average or 0.0
    return (RATING_PRIOR_MEAN * RATING_PRIOR_VOTES + average * votes) / (RATING_PRIOR_VOTES + votes)


def rating_points(average: float | None, votes: int) -> float:
    if not average or not votes:
        return 0.0
    share = (bayesian_rating(average, votes) - RATING_FLOOR) / (RATING_CEILING - RATING_FLOOR)
    return RATING_POINTS * _clamp(share)


def demand_points(want: int, have: int) -> float:
    ratio = (want or 0) / ((have or 0) + DEMAND_HAVE_PAD)
    return DEMAND_POINTS * ratio / (1 + ratio)


def price_points(price: PriceFact | None) -> float:
    """Only a landed total is ranked: an item price without its shipping scores nothing."""
    if price is None or not price.is_landed:
        return 0.0
    total = float(price.total_eur)
    cheapness = (PRICE_CEILING_EUR - total) / (PRICE_CEILING_EUR - PRICE_FLOOR_EUR)
    return PRICE_AVAILABLE_POINTS + PRICE_CHEAP_POINTS * _clamp(cheapness)


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


# --- Explanations --------------------------------------------------------------------------


def explain(facts: AlbumFacts) -> str:
    """One or two sentences naming the real artists, counts and prices behind the score."""
    if facts.discovery:
        return explain_discovery(facts)
    opening, names_artist = _why_this_artist(facts)
    clauses = [opening + _favourite(facts), _why_this_album(facts, names_artist), _where_to_buy(facts)]
    if facts.wantlisted:
        clauses.append("it is on your wantlist")
    text = "; ".join(clause for clause in clauses if clause)
    return text[:1].upper() + text[1:] + "."


def _why_this_artist(facts: AlbumFacts) -> tuple[str, bool]:
    """The taste or similarity clause, and whether it named the album's artist."""
    artist = facts.artist_name
    if facts.artist_playcount:
        return f"you played {artist} {facts.artist_playcount:,} times{_album_plays(facts)}", True
    if "discogs" in facts.artist_sources or "discogs_csv" in facts.artist_sources:
        return f"you collect {artist} on Discogs{_album_plays(facts)}", True
    if "manual" in facts.artist_sources:
        return f"you added {artist} to your artists{_album_plays(facts)}", True
    if "spotify" in facts.artist_sources:
        return f"{artist} is one of your top artists on Spotify{_album_plays(facts)}", True
    if facts.similar_to:
        names = _join_names(facts.similar_to[:SIMILAR_NAMED])
        return f"because you listen to {names}, whose listeners also love {artist}", True
    return "", False


def _favourite(facts: AlbumFacts) -> str:
    """The favourite-artist points, in words."""
    return f", one of your {FAVOURITE_COUNT} favourite artists" if facts.is_favourite else ""


def _album_plays(facts: AlbumFacts) -> str:
    plays = facts.album_playcount
    if not plays:
        return ""
    return f" (this album {plays:,} times)" if plays > 1 else " (this album once)"


def _why_this_album(facts: AlbumFacts, artist_named: bool) -> str:
    owner = "their" if artist_named else f"{facts.artist_name}'s"
    if facts.demand_rank == 1 and facts.want:
        return f"this is {owner} most-wanted studio album on vinyl ({facts.want:,} Discogs users want it)"
    if rating_points(facts.rating_average, facts.rating_count) > 0:
        rating = f"{facts.rating_average:.1f}/5 from {facts.rating_count:,} votes"
        subject = "Discogs users rate it" if artist_named else f"Discogs users rate {facts.artist_name}'s {facts.title}"
        return f"{subject} {rating}"
    if not artist_named:
        return f"a studio album by {facts.artist_name}"
    return ""


def explain_discovery(facts: AlbumFacts) -> str:
    """Its link (genre, wantlist, lock), that it is a discovery, then the community figures and
    the price that ranked it."""
    clauses = [*_why_this_discovery(facts), _where_to_buy(facts)]
    if facts.wantlisted and genre_linked(facts):
        clauses.append("it is on your wantlist")
    link = _discovery_reason(facts)
    opening = f"{link}, a discovery outside your artists" if link else "A discovery outside your artists"
    return f"{opening}: " + "; ".join(clause for clause in clauses if clause) + "."


def _why_this_discovery(facts: AlbumFacts) -> list[str]:
    reasons = []
    if facts.want and facts.catalog_want_rank:
        place = "the" if facts.catalog_want_rank == 1 else f"the {ordinal(facts.catalog_want_rank)}"
        reasons.append(f"{place} most-wanted studio album on vinyl in our catalog ({facts.want:,} Discogs users want it)")
    elif facts.want:
        reasons.append(f"{facts.want:,} Discogs users want it")
    if rating_points(facts.rating_average, facts.rating_count) > 0:
        reasons.append(f"Discogs users rate it {facts.rating_average:.1f}/5 from {facts.rating_count:,} votes")
    return reasons or [f"a studio album by {facts.artist_name}"]


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th… 11th, 12th, 13th… 21st."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _where_to_buy(facts: AlbumFacts) -> str:
    destination = country_name(facts.country)
    price = facts.price
    if price is None:
        return f"no offer shipping to {destination} has been found yet"
    subject = _pressing(price) or "it"
    store = f" on {price.store}" if price.store else ""
    if not price.is_landed:
        # Shipping is not known: the sentence claims neither a destination nor a total.
        return f"{subject} is listed {describe.item_only(price.from_eur, price.sample)}{store}"
    landed = describe.landed(price.total_eur, price.shipping_kind, price.ships_from, facts.country, price.sample)
    return f"{subject} costs {landed}{store}"


def _pressing(price: PriceFact) -> str:
    words = [str(price.release_year) if price.release_year else "", pressing_country(price.release_country)]
    described = " ".join(word for word in words if word)
    if not described:
        return ""
    return f"{_article(described)} {described} pressing"


def _article(word: str) -> str:
    """"a 2016 …", "an 1890 …", "an EU …", "an Italy …", but "a UK …" (said "you-kay")."""
    return "an" if word.startswith("18") or word[:1] in "AEIO" else "a"


def format_eur(amount: Decimal | float) -> str:
    return describe.eur(amount)


def _join_names(names: tuple[str, ...] | list[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]

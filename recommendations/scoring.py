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

from django.contrib.humanize.templatetags.humanize import ordinal as humanize_ordinal
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from accounts import sources as listening_sources
from pricing import describe, formats
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
# What the card's score table calls each component (recommendations.templatetags.score_labels).
COMPONENT_LABELS = {
    DISCOVERY: gettext_lazy("Discovery"),
    "taste": gettext_lazy("Taste"),
    "similarity": gettext_lazy("Similarity"),
    "favourite": gettext_lazy("Favourite"),
    "rating": gettext_lazy("Rating"),
    "demand": gettext_lazy("Demand"),
    "price": gettext_lazy("Price"),
    "wantlist": gettext_lazy("Wantlist"),
    "genre": gettext_lazy("Genre"),
}

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


def facts_to_data(facts: AlbumFacts) -> dict:
    """The facts as JSON-ready data, stored with a set's item so its sentences can be written
    again in another language (`facts_from_data`, recommendations.services.in_language)."""
    data = {name: getattr(facts, name) for name in AlbumFacts.__dataclass_fields__}
    data["country"] = str(facts.country or "")  # a django-countries Country: its ISO code
    for name in ("artist_sources", "genres"):
        data[name] = sorted(data[name])
    for name in ("similar_to", "shared_genres"):
        data[name] = list(data[name])
    if facts.price is not None:
        price = {name: getattr(facts.price, name) for name in PriceFact.__dataclass_fields__}
        data["price"] = {name: str(value) if isinstance(value, Decimal) else value for name, value in price.items()}
    return data


def facts_from_data(data: dict) -> AlbumFacts:
    """The AlbumFacts `facts_to_data` stored (fields it did not know take their defaults)."""
    known = {name: value for name, value in data.items() if name in AlbumFacts.__dataclass_fields__}
    for name in ("artist_sources", "genres"):
        if name in known:
            known[name] = frozenset(known[name])
    for name in ("similar_to", "shared_genres"):
        if name in known:
            known[name] = tuple(known[name])
    if known.get("price") is not None:
        price = {name: value for name, value in known["price"].items() if name in PriceFact.__dataclass_fields__}
        for name in ("total_eur", "from_eur"):
            if price.get(name) is not None:
                price[name] = Decimal(price[name])
        known["price"] = PriceFact(**price)
    return AlbumFacts(**known)


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
    opening, _named = _why_this_artist(facts)
    if not opening:
        opening = _("it is on your wantlist") if facts.wantlisted else _("you locked it") if facts.locked else ""
    return opening[:1].upper() + opening[1:]


def _discovery_reason(facts: AlbumFacts) -> str:
    if genre_linked(facts):
        return _("Close to the %(genres)s of your artists") % {"genres": _join_names(facts.shared_genres[:GENRES_NAMED])}
    if facts.wantlisted:
        return _("On your wantlist")
    return _("You locked it") if facts.locked else ""


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
        clauses.append(_("it is on your wantlist"))
    text = "; ".join(clause for clause in clauses if clause)
    return text[:1].upper() + text[1:] + "."


def _why_this_artist(facts: AlbumFacts) -> tuple[str, bool]:
    """The taste or similarity clause, and whether it named the album's artist."""
    # %(album_plays)s is empty or the parenthesis of _album_plays: " (this album 3 times)".
    words = {"artist": facts.artist_name, "album_plays": _album_plays(facts)}
    if facts.artist_playcount:
        plays = facts.artist_playcount
        return ngettext(
            "you played %(artist)s %(count)s time%(album_plays)s", "you played %(artist)s %(count)s times%(album_plays)s", plays
        ) % {**words, "count": count(plays)}, True
    speaking = [source for source in listening_sources.registered() if source.name in facts.artist_sources and source.reason]
    if speaking:
        source = min(speaking, key=lambda source: source.reason_order)
        return str(source.reason) % {**words, "source": source.label}, True
    if facts.similar_to:
        names = _join_names(facts.similar_to[:SIMILAR_NAMED])
        return _("because you listen to %(names)s, whose listeners also love %(artist)s") % {**words, "names": names}, True
    return "", False


def _favourite(facts: AlbumFacts) -> str:
    """The favourite-artist points, in words."""
    if not facts.is_favourite:
        return ""
    # Follows the clause naming the artist: "you played Björk 1,234 times, one of your 10 favourite artists".
    return _(", one of your %(count)s favourite artists") % {"count": FAVOURITE_COUNT}


def _album_plays(facts: AlbumFacts) -> str:
    plays = facts.album_playcount
    if not plays:
        return ""
    if plays == 1:
        return _(" (this album once)")
    return ngettext(" (this album %(count)s time)", " (this album %(count)s times)", plays) % {"count": count(plays)}


def _why_this_album(facts: AlbumFacts, artist_named: bool) -> str:
    words = {"artist": facts.artist_name, "title": facts.title, "count": count(facts.want)}
    if facts.demand_rank == 1 and facts.want:
        if artist_named:
            return (
                ngettext(
                    "this is their most-wanted studio album on vinyl (%(count)s Discogs user wants it)",
                    "this is their most-wanted studio album on vinyl (%(count)s Discogs users want it)",
                    facts.want,
                )
                % words
            )
        return (
            ngettext(
                "this is %(artist)s's most-wanted studio album on vinyl (%(count)s Discogs user wants it)",
                "this is %(artist)s's most-wanted studio album on vinyl (%(count)s Discogs users want it)",
                facts.want,
            )
            % words
        )
    if rating_points(facts.rating_average, facts.rating_count) > 0:
        words.update(rating=rating(facts.rating_average), votes=count(facts.rating_count))
        if artist_named:
            return (
                ngettext(
                    "Discogs users rate it %(rating)s/5 from %(votes)s vote",
                    "Discogs users rate it %(rating)s/5 from %(votes)s votes",
                    facts.rating_count,
                )
                % words
            )
        return (
            ngettext(
                "Discogs users rate %(artist)s's %(title)s %(rating)s/5 from %(votes)s vote",
                "Discogs users rate %(artist)s's %(title)s %(rating)s/5 from %(votes)s votes",
                facts.rating_count,
            )
            % words
        )
    if not artist_named:
        return _("a studio album by %(artist)s") % words
    return ""


def explain_discovery(facts: AlbumFacts) -> str:
    """Its link (genre, wantlist, lock), that it is a discovery, then the community figures and
    the price that ranked it."""
    clauses = [*_why_this_discovery(facts), _where_to_buy(facts)]
    if facts.wantlisted and genre_linked(facts):
        clauses.append(_("it is on your wantlist"))
    link = _discovery_reason(facts)
    opening = _("%(link)s, a discovery outside your artists") % {"link": link} if link else _("A discovery outside your artists")
    return f"{opening}: " + "; ".join(clause for clause in clauses if clause) + "."


def _why_this_discovery(facts: AlbumFacts) -> list[str]:
    reasons = []
    words = {"count": count(facts.want), "rank": ordinal(facts.catalog_want_rank or 0)}
    if facts.want and facts.catalog_want_rank == 1:
        reasons.append(
            ngettext(
                "the most-wanted studio album on vinyl in our catalog (%(count)s Discogs user wants it)",
                "the most-wanted studio album on vinyl in our catalog (%(count)s Discogs users want it)",
                facts.want,
            )
            % words
        )
    elif facts.want and facts.catalog_want_rank:
        reasons.append(
            ngettext(
                "the %(rank)s most-wanted studio album on vinyl in our catalog (%(count)s Discogs user wants it)",
                "the %(rank)s most-wanted studio album on vinyl in our catalog (%(count)s Discogs users want it)",
                facts.want,
            )
            % words
        )
    elif facts.want:
        reasons.append(ngettext("%(count)s Discogs user wants it", "%(count)s Discogs users want it", facts.want) % words)
    if rating_points(facts.rating_average, facts.rating_count) > 0:
        reasons.append(
            ngettext(
                "Discogs users rate it %(rating)s/5 from %(votes)s vote",
                "Discogs users rate it %(rating)s/5 from %(votes)s votes",
                facts.rating_count,
            )
            % {"rating": rating(facts.rating_average), "votes": count(facts.rating_count)}
        )
    return reasons or [_("a studio album by %(artist)s") % {"artist": facts.artist_name}]


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th… 11th, 12th, 13th… 21st."""
    return str(humanize_ordinal(number))  # Django's own, translated: "2.º" in Spanish


def count(number: int) -> str:
    """A count grouped in the reader's language: "1,234" in English, "1.234" in Spanish (pricing.formats)."""
    return formats.number(number)


def rating(average: float) -> str:
    """A rating to one decimal in the reader's language: "4.3" in English, "4,3" in Spanish."""
    return formats.number(f"{average:.1f}", decimals=1)


def _where_to_buy(facts: AlbumFacts) -> str:
    destination = country_name(facts.country)
    price = facts.price
    if price is None:
        return _("no offer shipping to %(country)s has been found yet") % {"country": destination}
    words = {"pressing": _pressing(price), "store": price.store}
    if not price.is_landed:
        # Shipping is not known: the sentence claims neither a destination nor a total.
        words["price"] = describe.item_only(price.from_eur, price.sample)
        return _listed_sentence(words) % words
    words["price"] = describe.landed(price.total_eur, price.shipping_kind, price.ships_from, facts.country, price.sample)
    return _costs_sentence(words) % words


def _listed_sentence(words: dict) -> str:
    if words["pressing"]:
        return _("%(pressing)s is listed %(price)s on %(store)s") if words["store"] else _("%(pressing)s is listed %(price)s")
    return _("it is listed %(price)s on %(store)s") if words["store"] else _("it is listed %(price)s")


def _costs_sentence(words: dict) -> str:
    if words["pressing"]:
        return _("%(pressing)s costs %(price)s on %(store)s") if words["store"] else _("%(pressing)s costs %(price)s")
    return _("it costs %(price)s on %(store)s") if words["store"] else _("it costs %(price)s")


def _pressing(price: PriceFact) -> str:
    year, country = price.release_year, pressing_country(price.release_country)
    if not (year or country):
        return ""
    words = {"year": year, "country": country}
    # English picks "a" or "an" by the sound of the first word ("an EU", "an 1890", "a UK"):
    # the two sentences of each kind say the same thing.
    an = _article(str(year or country)) == "an"
    if year and country:
        return (_("an %(year)s %(country)s pressing") if an else _("a %(year)s %(country)s pressing")) % words
    if year:
        return (_("an %(year)s pressing") if an else _("a %(year)s pressing")) % words
    return (_("an %(country)s pressing") if an else _("a %(country)s pressing")) % words


def _article(word: str) -> str:
    """ "a 2016 …", "an 1890 …", "an EU …", "an Italy …", but "a UK …" (said "you-kay")."""
    return "an" if word.startswith("18") or word[:1] in "AEIO" else "a"


def _join_names(names: tuple[str, ...] | list[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}

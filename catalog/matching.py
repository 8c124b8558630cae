"""The matching ladder: which of our rows is this name from an external source?

Rungs, strongest first: a shared external id (MBID, Discogs id, Spotify id), then an equal
normalized name, then a fuzzy match on normalized names above a threshold. Each answer says
which rung matched and how sure it is, so services can log it and the admin can show it.

Pure Python (no Django): services turn rows into Candidates and act on the Match.
"""

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz

from catalog.normalize import normalize_artist_name, normalize_name, normalize_title

ID_CONFIDENCE = 1.0
# Below an id match: two artists can share a name (Discogs tells them apart as "Nirvana (2)").
EXACT_CONFIDENCE = 0.99
DEFAULT_THRESHOLD = 0.88

Method = Literal["id", "exact", "fuzzy"]


@dataclass(frozen=True)
class Candidate:
    """One of our rows as the ladder sees it; key is whatever finds the row again (a pk)."""

    key: Hashable
    name: str
    ids: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Match:
    key: Hashable
    confidence: float
    method: Method


def match(
    name: str,
    candidates: Iterable[Candidate],
    ids: Mapping[str, str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    normalize: Callable[[str], str] = normalize_name,
) -> Match | None:
    """The best candidate for name (and its external ids), or None below threshold.

    Ties go to the earliest candidate, so pass candidates in a stable order.
    Pass normalize=normalize_title to match album titles.
    """
    ids = _clean_ids(ids or {})
    candidates = list(candidates)
    by_id = _match_by_id(ids, candidates)
    if by_id:
        return by_id
    # A row holding a different id for the same provider is another entity of that name.
    compatible = [c for c in candidates if not _conflicting(ids, _clean_ids(c.ids))]
    key = normalize(name)
    if not key:
        return None
    return _match_exact(key, compatible, normalize) or _match_fuzzy(key, compatible, normalize, threshold)


def title_confidence(artist_a: str, title_a: str, artist_b: str, title_b: str) -> float:
    """How sure we are that two (artist, title) pairs name the same album, from 0 to 1.

    A product, not an average: a perfect artist must not rescue a wrong title (and the
    reverse), because an artist's other albums share the artist exactly.
    """
    artist = _similarity(normalize_artist_name(artist_a), normalize_artist_name(artist_b))
    title = _similarity(normalize_title(title_a), normalize_title(title_b))
    return artist * title


def split_discogs_title(s: str) -> tuple[str, str]:
    """Split a Discogs search result title "Artist - Title" into (artist, title).

    Splits on the first " - " (titles contain dashes more often than artist names do) and
    drops the "*" Discogs appends to an artist credited under a name variation.
    Without a separator the whole string is the title and the artist is "".
    """
    artist, separator, title = s.partition(" - ")
    if not separator:
        return "", s.strip()
    return artist.replace("*", "").strip(), title.strip()


def _match_by_id(ids: Mapping[str, str], candidates: list[Candidate]) -> Match | None:
    for candidate in candidates:
        theirs = _clean_ids(candidate.ids)
        if any(theirs.get(provider) == value for provider, value in ids.items()):
            return Match(candidate.key, ID_CONFIDENCE, "id")
    return None


def _match_exact(key: str, candidates: list[Candidate], normalize: Callable[[str], str]) -> Match | None:
    for candidate in candidates:
        if normalize(candidate.name) == key:
            return Match(candidate.key, EXACT_CONFIDENCE, "exact")
    return None


def _match_fuzzy(key: str, candidates: list[Candidate], normalize: Callable[[str], str], threshold: float) -> Match | None:
    scored = [(_similarity(key, normalize(c.name)), c) for c in candidates]
    # max() returns the first of equal scores, so ties go to the earliest candidate.
    score, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    if best is None or score < threshold:
        return None
    # Capped so a reordered name ("Garfunkel & Simon") never outranks an exact match.
    return Match(best.key, min(score, EXACT_CONFIDENCE), "fuzzy")


def _similarity(a: str, b: str) -> float:
    """Word-order-insensitive similarity of two normalized strings, from 0 to 1."""
    if not a or not b:
        return 0.0
    return fuzz.token_sort_ratio(a, b, processor=None) / 100


def _clean_ids(ids: Mapping[str, object]) -> dict[str, str]:
    """Drop missing ids and compare as text: Discogs ids arrive as ints in JSON."""
    as_text = {provider: str(value).strip() for provider, value in ids.items() if value}
    return {provider: value for provider, value in as_text.items() if value}


def _conflicting(ids: Mapping[str, str], candidate_ids: Mapping[str, str]) -> bool:
    return any(provider in candidate_ids and candidate_ids[provider] != value for provider, value in ids.items())

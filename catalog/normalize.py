"""Name keys for upserting artists and albums.

Two spellings of one artist or album ("The Beatles" / "Beatles, The", "Björk" / "Bjork",
"Abbey Road (Remastered)" / "Abbey Road") must reduce to one key, so that rows from
MusicBrainz, Discogs, Last.fm and Spotify land on the same record. The key is for matching
only; we always display the name as the source spelled it.

Also the two name rules every source shares: Discogs' " (2)" disambiguation suffix
(strip_discogs_suffix) and whether a credit is "Various Artists" (is_various_artists).

Pure Python on purpose: no Django, so it is tested fast and reused by the matching ladder.
Every function here is idempotent: normalizing a key gives the same key back.
"""

import re
import unicodedata

from integrations.discogs import strip_disambiguation

# Letters that Unicode does not decompose into a base letter plus an accent, so NFKD alone
# would leave "Røyksopp" and "Royksopp" apart. Applied after case folding: lowercase only.
_UNDECOMPOSED_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
# "&" and "+" between words read as "and"; elsewhere ("+/-") they are just symbols.
_AND_SIGNS = re.compile(r"(?<=\w)\s*[&+]\s*(?=\w)")
# Deleted rather than spaced, so "Guns N' Roses" == "Guns N Roses" and "R.E.M." == "REM".
_JOINING_PUNCTUATION = re.compile(r"['’‘ʼ`.]")
# Everything else that is not a letter or digit separates words ("AC/DC" -> "ac dc").
_SEPARATORS = re.compile(r"[\W_]+")
# Library-style sort names: "Beatles, The" is "The Beatles".
_TRAILING_ARTICLE = re.compile(r"^(.*\S)\s*,\s*the\s*$")
# Discogs appends " (2)", " (3)"... to tell apart artists who share a name.
# Words that mark a bracketed part or a " - ..." tail of an album title as edition noise:
# "(2011 Remaster)", "[Deluxe Edition]", "(50th Anniversary Edition)", "- Remastered 2009".
# "Version" alone is not noise: "Fearless (Taylor's Version)" is a different album.
_EDITION_WORDS = r"\b(?:remaster(?:ed|s)?|deluxe|expanded|anniversary|edition|reissue|bonus)\b"
_EDITION_NOISE = re.compile(
    rf"\s*(?:\([^()]*{_EDITION_WORDS}[^()]*\)"
    rf"|\[[^\[\]]*{_EDITION_WORDS}[^\[\]]*\]"
    rf"|\s-\s.*{_EDITION_WORDS}.*$)"
)
# Discogs' artist "Various", to whom it credits compilations; the names any source gives it.
VARIOUS_ARTISTS_DISCOGS_ID = 194
_VARIOUS_KEYS = frozenset({"various", "various artists"})


def normalize_name(s: str) -> str:
    """The key an artist or album name is upserted on; "" for a blank name."""
    return _key(_fold(s)) or _symbols_only(s)


def normalize_artist_name(s: str) -> str:
    """normalize_name, also treating Discogs' "Nirvana (2)" as "Nirvana"."""
    return normalize_name(strip_discogs_suffix(s))


def normalize_title(s: str) -> str:
    """normalize_name for album titles, ignoring remaster/deluxe/anniversary edition noise."""
    folded = _fold(s)
    without_noise = _EDITION_NOISE.sub(" ", folded)
    # A title that is nothing but noise words ("(Remastered)") keeps them.
    return _key(without_noise) or _key(folded) or _symbols_only(s)


def strip_discogs_suffix(s: str) -> str:
    """Remove Discogs' numeric disambiguation suffix: "Nirvana (2)" -> "Nirvana" (the rule is
    the Discogs client's, integrations.discogs.strip_disambiguation)."""
    return strip_disambiguation(s)


def is_various_artists(name: str = "", discogs_id: int | None = None) -> bool:
    """Whether a credit is no artist at all but a compilation's "Various Artists": Discogs
    credits those to "Various" (artist 194), lists and other sources write "Various Artists"."""
    return discogs_id == VARIOUS_ARTISTS_DISCOGS_ID or normalize_artist_name(name or "") in _VARIOUS_KEYS


def _fold(s: str) -> str:
    """Fold accents and case: "Mötley Crüe" -> "motley crue", "ẞ" -> "ss"."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.casefold().translate(_UNDECOMPOSED_LETTERS)


def _key(folded: str) -> str:
    """The words of a folded name joined by single spaces; "" if it has no letter or digit."""
    words = _words(folded)
    return " ".join(_drop_leading_articles(words)) if words else ""


def _symbols_only(s: str) -> str:
    """A name with no letter or digit ("!!!", "+/-") is still a name: keep its symbols.

    Only a blank name gets the empty key, so no real name collides with "missing".
    """
    return " ".join(_fold(s).split()) or " ".join(s.casefold().split())


def _words(folded: str) -> list[str]:
    s = _TRAILING_ARTICLE.sub(r"the \1", folded)
    s = _AND_SIGNS.sub(" and ", s)
    s = _JOINING_PUNCTUATION.sub("", s)
    return _SEPARATORS.sub(" ", s).split()


def _drop_leading_articles(words: list[str]) -> list[str]:
    # Keep the last word even if it is "the": the band "The The" must not vanish.
    while len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words

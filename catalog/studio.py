"""The one studio-album verdict: is this release group, master or pressing a studio album?

Every path that learns what an album is asks `verdict(Facts(...))` and stores its answer on
Album.is_studio / Album.exclusion_reason: the MusicBrainz sync (release-group types), the
Discogs API and dump imports (format descriptions, genres and styles, the credit, data
quality), the orphan linker (the descriptions of all pressings of one master) and the demo's
curated list. A source fills in what it knows and leaves the rest empty; an empty fact is
no evidence either way.

A studio album is a record of new studio recordings by one artist. So anything live, a
compilation or greatest hits, a soundtrack or score, an interview or spoken-word disc, a DJ
mix, a single or an EP is not one, whoever says so; neither is a record whose data its own
source marks as unreliable. "Live, Album" on Discogs is a live album: not a studio album.
"LP" without "Album" is a long-playing record with nothing said against it: a studio album
(many Discogs entries give only the size).

The title is a fact too, when it names what the record is: "Greatest Hits", "The Best Of…",
"The Definitive Collection" (compilations), a live subtitle ("…: Live In New York City"), a
title opening with "Live" that dates its concert ("Live Peace In Toronto 1969"), a famous
venue ("Live At The BBC"), "Original Motion Picture Soundtrack". A title that merely opens
with "Live" says nothing: "Live Through This" and The Fall's "Live At The Witch Trials" are
studio albums. So do the tracklist's headings when they name a live part (Ummagumma: "Live
Album", "Studio Album"); the caller leaves out a deluxe or expanded edition's headings, whose
bonus discs often do.
These are read last, only when no source's types said why not (the reason then names the
source, not the title), and never when MusicBrainz typed the release group (primary_type
known): it types the release group itself.

Pure Python, no Django: the rule is tested on its own (catalog/tests/test_studio.py).
"""

import functools
import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy, gettext_noop

from .normalize import is_various_artists

MB_ALBUM = "Album"
# Discogs format descriptions of a pressing that say "not a studio album", and of those that
# say "a long-playing album"; a pressing described by neither is most often a 12" or 7" single.
DISCOGS_AGAINST = frozenset(
    {"Compilation", "Live", "Mixed", "Mixtape", "Sampler", "Single", "Maxi-Single", "EP", "Mini-Album", "Interview"}
)
DISCOGS_FOR = frozenset({"Album", "LP"})
# Discogs genres and styles that name what the record is rather than how it sounds.
DISCOGS_STYLES_AGAINST = frozenset({"Soundtrack", "Score", "Interview", "Spoken Word", "Audiobook"})
# Titles that say what the record is (see the module's docstring for what they must not catch).
TITLE_KINDS = (
    (
        gettext_lazy("a compilation"),
        re.compile(
            r"\bgreatest hits\b|\bbest of\b(?! (?:both|times|you|me)\b)|\bdefinitive collection\b|\bgolden hits\b"
            r"|\b(?:19|20)\d\d ?[-–—] ?(?:19|20)\d\d\b",
            re.I,
        ),
    ),  # a span of years: "(Electropunk To Technopop 1978 – 1985)"
    (
        gettext_lazy("a live album"),
        re.compile(
            r"(?:[:(\[–—]|\s-|-)\s*(?:live|alive)\b"  # a live subtitle: "…: Live In…", "Hell-Live At…", "(Live)"
            r"|^live\b.*\b(?:19|20)\d\d\b"  # a dated concert: "Live Peace In Toronto 1969"
            r"|^live (?:at|in|from) (?:the )?(?:bbc|budokan|fillmore|apollo|royal albert hall|carnegie hall|"
            r"madison square garden|hammersmith|wembley|montreux)\b"
            r"|\bunplugged\b|\bin concert\b",
            re.I,
        ),
    ),
    (
        gettext_lazy("a soundtrack"),
        re.compile(
            r"\boriginal (?:motion picture |film |television )?(?:sound ?track|score)\b"
            r"|\bmusic from (?:and inspired by )?the (?:motion picture|film)\b|\boriginal (?:broadway )?cast recording\b",
            re.I,
        ),
    ),
)
LIVE_HEADING = re.compile(r"^live\b|\blive (?:album|recordings?|side)\b|\brecorded live\b", re.I)
UNRELIABLE_QUALITY = frozenset({"Entirely Incorrect", "Entirely Incorrect Edit"})

# A curated list's own types ("Rolling Stone list": Studio, Live, Compilation...), as said.
LISTED_KINDS = {"Greatest Hits": gettext_lazy("Greatest hits"), "Live": gettext_lazy("Live album")}
LISTED_STUDIO = "Studio"


# The sentences a reason is made of (one per check), written with `_()` where they are used and
# listed here so a stored reason can be read back into them (reason_in_language).
SOURCE_LANGUAGE = "en"
SEPARATOR = "; "
VARIOUS = gettext_noop("compilation: credited to Various Artists on Discogs")
QUALITY = gettext_noop("Discogs data quality: %(quality)s")
LISTED = gettext_noop("%(kind)s (%(list)s)")
PRIMARY_TYPE = gettext_noop("primary type: %(type)s")
SECONDARY_TYPE = gettext_noop("secondary type: %(type)s")
SEVERAL_ARTISTS = gettext_noop("credited to several artists")
STYLES = gettext_noop("Discogs files it under: %(styles)s")
DESCRIBED = gettext_noop("Discogs describes its pressings as: %(descriptions)s")
NOT_DESCRIBED = gettext_noop("Discogs describes no pressing as an Album or LP, only: %(descriptions)s")
TITLED = gettext_noop('%(kind)s (title "%(title)s")')
LIVE_PART = gettext_noop('partly live (Discogs tracklist part "%(heading)s")')
REASON_SENTENCES = (
    VARIOUS,
    QUALITY,
    PRIMARY_TYPE,
    SECONDARY_TYPE,
    SEVERAL_ARTISTS,
    STYLES,
    DESCRIBED,
    NOT_DESCRIBED,
    TITLED,
    LIVE_PART,
    LISTED,  # last: "%(kind)s (%(list)s)" would also read a titled reason
)
NO_TYPE = gettext_lazy("none")
NO_DESCRIPTION = gettext_lazy("no description")
# Our own words that stand in a sentence's placeholder, read back in the reader's language.
_OWN_WORDS = (*(kind for kind, _pattern in TITLE_KINDS), *LISTED_KINDS.values(), NO_TYPE, NO_DESCRIPTION)


@dataclass(frozen=True)
class Facts:
    """What one source says about one album; leave unknown facts at their defaults."""

    primary_type: str | None = None  # MusicBrainz release group: "Album", "EP", "Single"...
    secondary_types: tuple = ()  # MusicBrainz: "Live", "Compilation", "Soundtrack", "Interview"...
    credited_artists: int = 1  # MusicBrainz: artists in the release group's credit
    credit: str = ""  # the main artist as credited ("Various" on Discogs compilations)
    credit_discogs_id: int | None = None
    descriptions: frozenset | None = None  # Discogs format descriptions over the pressings seen
    styles: tuple = ()  # Discogs genres and styles
    data_quality: str = ""  # Discogs' own rating of its entry
    listed_as: tuple | None = None  # (list name, the list's type), e.g. ("Rolling Stone list", "Live")
    title: str = ""  # the album's title, as the source gives it
    headings: tuple = ()  # Discogs: one pressing's tracklist headings ("Live Album", "Side A"...)


def verdict(facts):
    """(is_studio, reason): reason says why not, in the source's words; "" for a studio album.

    The reason is written in English, the catalogue's source language, whoever asks (an import,
    a listener's request): it is stored once for every reader, and `reason_in_language` gives it
    in the reader's language when it is shown."""
    with translation.override(SOURCE_LANGUAGE):
        reasons = [reason for check in CHECKS if (reason := check(facts))]
        if not reasons and facts.primary_type is None:  # the title and headings, when no source typed it
            reasons = [reason for check in WEAK_CHECKS if (reason := check(facts))]
    if not reasons:
        return True, ""
    return False, SEPARATOR.join(reasons)


def reason_in_language(stored):
    """A stored reason (`verdict`'s, in English) in the active language: each of its parts is
    matched back to the sentence it was written from and written again, its words from the
    sources (types, styles, titles) kept as they are. A part no sentence matches (a reason
    written before these sentences, or cut to the column's length) is shown as stored."""
    if not stored or (translation.get_language() or SOURCE_LANGUAGE).startswith(SOURCE_LANGUAGE):
        return stored
    parts, pending = [], ""
    for piece in stored.split(SEPARATOR):
        pending = f"{pending}{SEPARATOR}{piece}" if pending else piece
        said = _said_again(pending)
        if said is not None:
            parts.append(said)
            pending = ""
    if pending:
        parts.append(pending)
    return SEPARATOR.join(parts)


def _said_again(part):
    for msgid, pattern in _sentence_patterns():
        found = pattern.fullmatch(part)
        if found:
            words = {name: _kind_again(value) for name, value in found.groupdict().items()}
            return _(msgid) % words if words else _(msgid)
    return None


def _kind_again(value):
    """A placeholder that holds one of our own words ("a compilation") in the active language;
    a source's word as it is."""
    return next((str(kind) for kind in _OWN_WORDS if _english(kind) == value), value)


def _english(lazy):
    with translation.override(SOURCE_LANGUAGE):
        return str(lazy)


@functools.cache
def _sentence_patterns():
    """(msgid, regex) for every sentence a reason is made of; a placeholder matches any text."""
    patterns = []
    for msgid in REASON_SENTENCES:
        pieces = re.split(r"(%\((\w+)\)s)", msgid)
        regex = "".join(
            f"(?P<{pieces[i + 1]}>.+?)" if i % 3 == 1 else re.escape(pieces[i]) for i in range(len(pieces)) if i % 3 != 2
        )
        patterns.append((msgid, re.compile(regex, re.S)))
    return patterns


def _various(facts):
    return _(VARIOUS) if is_various_artists(facts.credit, facts.credit_discogs_id) else ""


def _quality(facts):
    return _(QUALITY) % {"quality": facts.data_quality} if facts.data_quality in UNRELIABLE_QUALITY else ""


def _listed(facts):
    if facts.listed_as is None or facts.listed_as[1] == LISTED_STUDIO:
        return ""
    name, kind = facts.listed_as
    return _(LISTED) % {"kind": LISTED_KINDS.get(kind, kind), "list": name}


def _musicbrainz_types(facts):
    reasons = []
    if facts.primary_type is not None and facts.primary_type != MB_ALBUM:
        reasons.append(_(PRIMARY_TYPE) % {"type": facts.primary_type or NO_TYPE})
    reasons.extend(_(SECONDARY_TYPE) % {"type": kind} for kind in facts.secondary_types)
    if facts.credited_artists > 1:
        reasons.append(_(SEVERAL_ARTISTS))
    return SEPARATOR.join(reasons)


def _discogs_styles(facts):
    against = sorted(set(facts.styles) & DISCOGS_STYLES_AGAINST)
    return _(STYLES) % {"styles": ", ".join(against)} if against else ""


def _discogs_descriptions(facts):
    described = facts.descriptions
    if described is None:
        return ""
    against = sorted(described & DISCOGS_AGAINST)
    if against:
        return _(DESCRIBED) % {"descriptions": ", ".join(against)}
    if not described & DISCOGS_FOR:
        said = ", ".join(sorted(described)) or NO_DESCRIPTION
        return _(NOT_DESCRIBED) % {"descriptions": said}
    return ""


def _title(facts):
    title = facts.title.strip()
    return next((_(TITLED) % {"kind": kind, "title": title} for kind, pattern in TITLE_KINDS if pattern.search(title)), "")


def _headings(facts):
    live = [heading for heading in facts.headings if LIVE_HEADING.search(heading)]
    return _(LIVE_PART) % {"heading": live[0]} if live else ""


# The order reasons are given in: who is credited first, then the source's own types.
CHECKS = (_various, _quality, _listed, _musicbrainz_types, _discogs_styles, _discogs_descriptions)
# What the record's own words suggest: read only when no source's types said why not.
WEAK_CHECKS = (_title, _headings)

"""Streaming reader for the Discogs monthly data dumps (CC0): artists, masters, releases.

A releases dump is tens of gigabytes of XML in one gzip file, so this module never holds
more than one record: the gzip stream is read a bounded line at a time, fed to an expat
pull parser, and each record element is turned into a frozen dataclass and dropped from the
tree before the next one is read.

An element becomes the same dict shape the Discogs API answers with, so the API client's
pure parsers (credits, formats and their "2xLP, Album, RE" summary, labels, tracklist,
durations) serve both paths and a pressing reads the same whichever way it came in.

No models here: `catalog.dump_import` turns the dataclasses into rows.
"""

import gzip
import re
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass
from pathlib import Path

from integrations.discogs import (
    VINYL,
    Release,
    absolute_url,
    credit_string,
    format_summary,
    parse_artist_credits,
    parse_credits,
    parse_formats,
    parse_identifiers,
    parse_labels,
    parse_tracklist,
    year_of,
)
from integrations.types import to_int

# The order an import must follow: releases link to masters, masters to artists.
KINDS = ("artists", "masters", "releases")
RECORD_TAGS = {"artists": "artist", "labels": "label", "masters": "master", "releases": "release"}
NO_COMMUNITY_FIGURES = dict.fromkeys(("rating_average", "rating_count", "have", "want", "lowest_price", "num_for_sale"), None) | {
    "images": ()
}
ACCEPTED = "Accepted"
# Dumps put one record per line; bounding each read keeps memory flat on a file without newlines.
MAX_READ = 1 << 20
_FIRST_TAG = re.compile(rb"<(?![?!])([A-Za-z_][\w.-]*)")


@dataclass(frozen=True)
class DumpArtist:
    id: int
    name: str
    realname: str = ""
    image_url: str = ""
    data_quality: str = ""


@dataclass(frozen=True)
class DumpMaster:
    id: int
    title: str
    artists: tuple  # integrations.discogs.ArtistCredit, in credit order
    main_release_id: int | None
    year: int | None
    genres: tuple
    styles: tuple
    data_quality: str

    @property
    def main_artist(self):
        return self.artists[0] if self.artists else None

    @property
    def genre(self):
        return next(iter(self.genres + self.styles), "")


@dataclass(frozen=True)
class DumpRelease(Release):
    """A release as the API client reads one (same fields, same label and vinyl rules), plus
    what only the dump says. The dump has no community or marketplace figures: they are None."""

    is_main_release: bool = False
    data_quality: str = ""

    @property
    def main_artist(self):
        return self.artists[0] if self.artists else None

    @property
    def descriptions(self):
        return frozenset(d for fmt in self.formats for d in fmt.descriptions)

    @property
    def is_official(self):
        return self.status == ACCEPTED and super().is_official


@dataclass(frozen=True)
class BadRecord:
    """A record that could not be read; the import records it and carries on."""

    kind: str
    id: str
    line: int  # where the record's closing tag is
    reason: str


@dataclass(frozen=True)
class SkippedRelease:
    """A release left unparsed because it is neither vinyl nor its master's main release."""

    id: str


# --- one element -> one dataclass -------------------------------------------------------


def parse_artist(element):
    return DumpArtist(
        id=int(element.findtext("id")),
        name=_required(element, "name"),
        realname=_text(element, "realname"),
        image_url=_primary_image(element),
        data_quality=_text(element, "data_quality"),
    )


def parse_master(element):
    return DumpMaster(
        id=int(element.get("id")),
        title=_required(element, "title"),
        artists=_credits(element),
        main_release_id=to_int(element.findtext("main_release")),
        year=year_of(_text(element, "year")),
        genres=_texts(element, "genres/genre"),
        styles=_texts(element, "styles/style"),
        data_quality=_text(element, "data_quality"),
    )


def parse_release(element):
    formats = parse_formats(_format_entry(fmt) for fmt in element.iterfind("formats/format"))
    master = element.find("master_id")
    released, artists = _text(element, "released"), _credits(element)
    return DumpRelease(
        id=int(element.get("id")),
        status=element.get("status") or "",
        title=_required(element, "title"),
        artists=artists,
        artist_credit=credit_string(artists),
        country=_text(element, "country"),
        released=released,
        year=year_of(released),
        formats=formats,
        format_summary=format_summary(formats),
        labels=parse_labels(label.attrib for label in element.iterfind("labels/label")),
        master_id=to_int(master.text) if master is not None else None,
        is_main_release=master is not None and master.get("is_main_release") == "true",
        genres=_texts(element, "genres/genre"),
        styles=_texts(element, "styles/style"),
        tracklist=parse_tracklist(_track_entry(track) for track in element.iterfind("tracklist/track")),
        data_quality=_text(element, "data_quality"),
        credits=parse_credits(_children(element, "extraartists/artist"), "role"),
        companies=parse_credits(_children(element, "companies/company"), "entity_type_name"),
        identifiers=parse_identifiers(identifier.attrib for identifier in element.iterfind("identifiers/identifier")),
        notes=_text(element, "notes"),
        **NO_COMMUNITY_FIGURES,
    )


PARSERS = {"artists": parse_artist, "masters": parse_master, "releases": parse_release}


def is_vinyl_or_main_release(element):
    """A cheap look at a raw <release>: only these are worth a full parse to the import."""
    master = element.find("master_id")
    if master is not None and master.get("is_main_release") == "true":
        return True
    return any(fmt.get("name") == VINYL for fmt in element.iterfind("formats/format"))


# The cheap look at a raw release, on its bytes: no XML parse for the records an import skips
# (most of a dump). Markup cannot hide in text (a "<" in text is escaped), so these only match tags.
_MASTER_TAG = re.compile(rb"<master_id\b([^>]*)>\s*(\d+)\s*</master_id>")
_VINYL_FORMAT = re.compile(rb'<format\b[^>]*\bname="' + VINYL.encode() + rb'"')
_RELEASE_START = re.compile(rb"<release[\s>/]")
_RELEASE_END = b"</release>"
_RELEASE_ID = re.compile(rb'<release\b[^>]*\bid="([^"]*)"')
_RELEASES_CLOSE = re.compile(rb"\s*(</releases>\s*)?")
RELEASE_CHUNK = 1 << 18


def raw_vinyl_or_main(record):
    """is_vinyl_or_main_release on the record's bytes."""
    master = _MASTER_TAG.search(record)
    if master is not None and b'is_main_release="true"' in master[1]:
        return True
    return _VINYL_FORMAT.search(record) is not None


def tracked_vinyl_or_main(tracked):
    """The cheap look when only the masters we track matter: a release of one of them that
    is vinyl or its main release (on its bytes); everything else is skipped unparsed."""

    def wanted(record):
        master = _MASTER_TAG.search(record)
        if master is None or int(master[2]) not in tracked:
            return False
        return b'is_main_release="true"' in master[1] or _VINYL_FORMAT.search(record) is not None

    return wanted


def _text(element, path):
    return (element.findtext(path) or "").strip()


def _required(element, path):
    text = _text(element, path)
    if not text:
        raise ValueError(f"no <{path}>")
    return text


def _texts(element, path):
    return tuple(text for text in ((child.text or "").strip() for child in element.iterfind(path)) if text)


def _credits(element):
    entries = ({child.tag: child.text or "" for child in artist} for artist in element.iterfind("artists/artist"))
    return parse_artist_credits(entries)


def _children(element, path):
    """Each element at `path` as a dict of its children's texts (the API's shape for credits)."""
    return ({child.tag: (child.text or "").strip() for child in item} for item in element.iterfind(path))


def _format_entry(fmt):
    return {**fmt.attrib, "descriptions": _texts(fmt, "descriptions/description")}


def _track_entry(track):
    """A <track> as the API's tracklist entry. Dumps carry no type_: a side heading
    ("Side A") is the entry with neither a position nor a duration."""
    entry = {name: _text(track, name) for name in ("position", "title", "duration")}
    entry["sub_tracks"] = [_track_entry(sub) for sub in track.iterfind("sub_tracks/track")]
    if entry["sub_tracks"]:
        entry["type_"] = "index"
    else:
        entry["type_"] = "track" if entry["position"] or entry["duration"] else "heading"
    return entry


def _primary_image(element):
    images = element.findall("images/image")
    primary = next((image for image in images if image.get("type") == "primary"), None)
    chosen = primary if primary is not None else (images[0] if images else None)
    return absolute_url(chosen.get("uri")) if chosen is not None else ""


def _record_id(element):
    return element.get("id") or (element.findtext("id") or "").strip()


# --- files ------------------------------------------------------------------------------


class DumpReader:
    """The records of one dump file (gzip or plain XML), read one at a time.

    Iterating yields DumpArtist / DumpMaster / DumpRelease, or BadRecord for an element
    that could not be read. A truncated or malformed file ends the iteration early and
    leaves the reason in `failure`, so records read before the damage are still used.
    `position` is how many bytes of the file (compressed) have been consumed.

    With vinyl_or_main_only, a release that is neither vinyl nor a master's main release
    comes as a SkippedRelease: most of a releases dump, and a full parse costs more than
    writing a row. With tracked_masters (a callable returning a set of master ids, asked when
    the iteration starts, so after the masters file of the same run), so does every release
    that is not one of those masters' vinyl pressings or main release.
    """

    def __init__(self, path, *, vinyl_or_main_only=False, tracked_masters=None):
        self.path = Path(path)
        self.kind = detect_kind(self.path)
        self.size = self.path.stat().st_size
        self.position = 0
        self.failure = ""
        self.wanted = None
        self.raw_wanted = raw_vinyl_or_main if vinyl_or_main_only and self.kind == "releases" else None
        self.tracked_masters = tracked_masters if self.kind == "releases" else None

    def __iter__(self):
        if self.kind not in PARSERS:
            raise ValueError(f"{self.path.name}: {self.kind} dumps are not imported")
        if self.tracked_masters is not None:
            self.raw_wanted = tracked_vinyl_or_main(self.tracked_masters())
        with open(self.path, "rb") as raw:
            stream = gzip.GzipFile(fileobj=raw) if _is_gzip(raw) else raw
            records = self._release_records if self.kind == "releases" else self._records
            try:
                yield from records(stream, raw)
            except (EOFError, OSError, zlib.error, ET.ParseError) as exc:
                self.failure = f"{self.path.name} is damaged or truncated, stopped at byte {self.position}: {exc}"

    def _records(self, stream, raw):
        tag, parse = RECORD_TAGS[self.kind], PARSERS[self.kind]
        # "start" events only to catch the root, whose processed children must be dropped.
        parser, root, line = ET.XMLPullParser(events=("start", "end")), None, 0
        while chunk := stream.readline(MAX_READ):
            parser.feed(chunk)
            line += 1
            for event, element in parser.read_events():
                if root is None:
                    root = element
                elif event == "end" and element.tag == tag:
                    yield self._convert(parse, element, line)
                    if element is not root:  # root is the record in a one-record file
                        root.clear()
            line += chunk.count(b"\n") - 1
            self.position = raw.tell()
        parser.close()

    def _release_records(self, stream, raw):
        """Releases, cut from the byte stream at their closing tags and parsed one at a time:
        a pull parser's Python loop over every element's events cost most of an import, and
        the records the cheap look skips are never parsed at all."""
        buffer, line = b"", 1
        while chunk := stream.read(RELEASE_CHUNK):
            buffer += chunk
            position = 0
            while (end := buffer.find(_RELEASE_END, position)) >= 0:
                start = _RELEASE_START.search(buffer, position, end)
                if start is None:
                    raise ET.ParseError(f"a </release> without its <release> near line {line}")
                end += len(_RELEASE_END)
                line += buffer.count(b"\n", position, end)
                position = end
                yield self._convert_release(buffer[start.start() : end], line)
            line += buffer.count(b"\n", position)
            buffer = buffer[position:]
            self.position = raw.tell()
            line -= buffer.count(b"\n")  # counted again once the record is complete
        if _RELEASE_START.search(buffer) or not _RELEASES_CLOSE.fullmatch(buffer):
            raise ET.ParseError(f"the file ends inside a record near line {line}")

    def _convert_release(self, record, line):
        if self.raw_wanted is not None and not self.raw_wanted(record):
            found = _RELEASE_ID.search(record)
            return SkippedRelease(id=found[1].decode(errors="replace") if found else "")
        return self._convert(parse_release, ET.fromstring(record), line)

    def _convert(self, parse, element, line):
        if self.wanted is not None and not self.wanted(element):
            return SkippedRelease(id=_record_id(element))
        try:
            return parse(element)
        except (TypeError, ValueError, AttributeError) as exc:
            return BadRecord(self.kind, _record_id(element), line, str(exc) or type(exc).__name__)


def detect_kind(path):
    """ "artists", "labels", "masters" or "releases", from the root element, else the file name."""
    root = _first_tag(Path(path))
    for kind, tag in RECORD_TAGS.items():
        if root in (kind, tag):
            return kind
    name = Path(path).name.lower()
    for kind in RECORD_TAGS:
        if kind in name:
            return kind
    raise ValueError(f"{Path(path).name}: not a Discogs dump (root element {root or 'unreadable'})")


def _first_tag(path):
    try:
        with open(path, "rb") as raw:
            head = (gzip.GzipFile(fileobj=raw) if _is_gzip(raw) else raw).read(4096)
    except (EOFError, OSError, zlib.error):
        return ""
    match = _FIRST_TAG.search(head)
    return match.group(1).decode() if match else ""


def _is_gzip(raw):
    magic = raw.read(2)
    raw.seek(0)
    return magic == b"\x1f\x8b"

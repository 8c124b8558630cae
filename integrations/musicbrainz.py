"""MusicBrainz WS/2 client (https://musicbrainz.org/ws/2, fmt=json, no key).

MusicBrainz allows one request per second per client (RATE_LIMITS["musicbrainz"]) and asks
for a descriptive User-Agent, which the HTTP layer sends on every call.

Public API (dataclasses from this module):

    search_artists(name, *, limit=10) -> list[MbArtist]
    artist(mbid) -> MbArtist                              # with url-rels: discogs_id, spotify_id
    release_groups(artist_mbid) -> list[ReleaseGroup]     # every page of the album browse (website default)
    studio_albums(artist_mbid) -> list[ReleaseGroup]      # only the kept ones
    release_group(mbid) -> ReleaseGroup                   # lookup with url-rels
    ping() -> str                                         # one artist lookup

A release group is a studio album when its primary type is Album, it has no secondary type
(Live, Compilation, Soundtrack...) and a single artist is credited. Every other group keeps
the reasons it was left out in `exclusion_reasons` ("secondary type: Live", "credited to
several artists"), so the catalog can show why an album is missing.
"""

import re
from dataclasses import dataclass, replace

from .http import HttpClient
from .types import Page, to_int, walk_pages

API_ROOT = "https://musicbrainz.org/ws/2"
NIRVANA_MBID = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"  # the artist a health check looks up
BROWSE_LIMIT = 100  # the largest page MusicBrainz serves
# Browse accepts artist-credits and relationship includes for release groups (WS/2 docs).
BROWSE_INCLUDES = "url-rels+artist-credits"
ALBUM = "Album"
# The browse answers what the artist's page on musicbrainz.org shows: without it, release
# groups made only of bootlegs, promotions or pseudo-releases come back as albums
# (https://musicbrainz.org/doc/MusicBrainz_API#Browse, "release-group-status").
WEBSITE_DEFAULT = "website-default"
DISCOGS_MASTER_URL = re.compile(r"discogs\.com/(?:[a-z]{2}/)?master/(\d+)")
DISCOGS_ARTIST_URL = re.compile(r"discogs\.com/(?:[a-z]{2}/)?artist/(\d+)")
SPOTIFY_ARTIST_URL = re.compile(r"open\.spotify\.com/artist/([A-Za-z0-9]+)")
# Characters that mean something in MusicBrainz' Lucene query syntax.
LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


@dataclass(frozen=True)
class UrlRelation:
    type: str  # "discogs", "wikidata", "streaming"...
    url: str


@dataclass(frozen=True)
class MbArtist:
    mbid: str
    name: str
    sort_name: str
    type: str
    country: str
    disambiguation: str
    score: int | None  # search relevance 0–100; None for lookups
    urls: tuple

    @property
    def discogs_id(self):
        return first_match(DISCOGS_ARTIST_URL, self.urls, int)

    @property
    def spotify_id(self):
        return first_match(SPOTIFY_ARTIST_URL, self.urls, str)


@dataclass(frozen=True)
class Credit:
    name: str  # as credited on this release group
    artist_mbid: str
    artist_name: str
    joinphrase: str


@dataclass(frozen=True)
class ReleaseGroup:
    mbid: str
    title: str
    primary_type: str
    secondary_types: tuple
    first_release_date: str
    artist_credit: tuple  # empty when the answer did not include artist-credits
    urls: tuple
    exclusion_reasons: tuple

    @property
    def is_studio_album(self):
        return not self.exclusion_reasons

    @property
    def exclusion_reason(self):
        return "; ".join(self.exclusion_reasons)

    @property
    def first_release_year(self):
        year = to_int(self.first_release_date[:4])
        return year or None

    @property
    def credit_name(self):
        return "".join(credit.name + credit.joinphrase for credit in self.artist_credit)

    @property
    def discogs_master_ids(self):
        return tuple(int(m.group(1)) for rel in self.urls if (m := DISCOGS_MASTER_URL.search(rel.url)))

    @property
    def discogs_master_id(self):
        return self.discogs_master_ids[0] if self.discogs_master_ids else None


class MusicBrainzClient:
    def __init__(self, *, rate_per_minute=None, session=None):
        self.http = HttpClient(
            "musicbrainz",
            base_url=API_ROOT,
            rate_per_minute=rate_per_minute,
            default_params={"fmt": "json"},
            session=session,
        )

    @classmethod
    def from_settings(cls, **kwargs):
        return cls(**kwargs)  # no credentials; rate and User-Agent come from the HTTP layer

    def search_artists(self, name, *, limit=10):
        data = self.http.get_json("/artist", params={"query": lucene_escape(name), "limit": limit})
        return [parse_artist(entry) for entry in data.get("artists") or ()]

    def artist(self, mbid):
        return parse_artist(self.http.get_json(f"/artist/{mbid}", params={"inc": "url-rels"}))

    def release_groups_page(self, artist_mbid, *, offset=0, type="album"):
        params = {"artist": artist_mbid, "type": type, "release-group-status": WEBSITE_DEFAULT, "inc": BROWSE_INCLUDES}
        params.update(limit=BROWSE_LIMIT, offset=offset)
        return parse_browse_page(self.http.get_json("/release-group", params=params))

    def release_groups(self, artist_mbid):
        """Every album-type release group of the artist, kept or not (see exclusion_reasons)."""
        return list(walk_pages(lambda offset: self.release_groups_page(artist_mbid, offset=offset), 0))

    def studio_albums(self, artist_mbid):
        return [group for group in self.release_groups(artist_mbid) if group.is_studio_album]

    def ping(self):
        return f"artist {self.artist(NIRVANA_MBID).name}"

    def release_group(self, mbid):
        return parse_release_group(self.http.get_json(f"/release-group/{mbid}", params={"inc": "url-rels"}))


def lucene_escape(text):
    """A name searched literally: "AC/DC" or "!!!" must not be read as query syntax."""
    return LUCENE_SPECIAL.sub(r"\\\1", text)


# --- pure parsing --------------------------------------------------------------------------


def parse_artist(data):
    return MbArtist(
        mbid=data["id"],
        name=data.get("name", ""),
        sort_name=data.get("sort-name", ""),
        type=data.get("type") or "",
        country=data.get("country") or "",
        disambiguation=data.get("disambiguation") or "",
        score=to_int(data.get("score")),
        urls=parse_url_relations(data.get("relations")),
    )


def parse_release_group(data):
    credit = parse_credit(data.get("artist-credit"))
    group = ReleaseGroup(
        mbid=data["id"],
        title=data.get("title", ""),
        primary_type=data.get("primary-type") or "",
        secondary_types=tuple(data.get("secondary-types") or ()),
        first_release_date=data.get("first-release-date") or "",
        artist_credit=credit,
        urls=parse_url_relations(data.get("relations")),
        exclusion_reasons=(),
    )
    return replace(group, exclusion_reasons=exclusion_reasons(group))


def exclusion_reasons(group):
    """Why a release group is not a studio album; empty when it is one."""
    reasons = []
    if group.primary_type != ALBUM:
        reasons.append(f"primary type: {group.primary_type or 'none'}")
    reasons.extend(f"secondary type: {kind}" for kind in group.secondary_types)
    if len(group.artist_credit) > 1:
        reasons.append("credited to several artists")
    return tuple(reasons)


def parse_browse_page(data):
    """A browse page; the next offset follows from release-group-offset and -count."""
    groups = [parse_release_group(entry) for entry in data.get("release-groups") or ()]
    offset = to_int(data.get("release-group-offset")) or 0
    total = to_int(data.get("release-group-count")) or 0
    next_offset = offset + len(groups)
    return Page(groups, total=total, next_cursor=next_offset if groups and next_offset < total else None)


def parse_credit(entries):
    return tuple(
        Credit(
            name=entry.get("name") or (entry.get("artist") or {}).get("name", ""),
            artist_mbid=(entry.get("artist") or {}).get("id", ""),
            artist_name=(entry.get("artist") or {}).get("name", ""),
            joinphrase=entry.get("joinphrase") or "",
        )
        for entry in entries or ()
    )


def parse_url_relations(relations):
    return tuple(
        UrlRelation(type=rel.get("type", ""), url=rel["url"]["resource"])
        for rel in relations or ()
        if isinstance(rel.get("url"), dict) and rel["url"].get("resource")
    )


def first_match(pattern, relations, convert):
    for relation in relations:
        match = pattern.search(relation.url)
        if match:
            return convert(match.group(1))
    return None

"""ListenBrainz statistics client (https://api.listenbrainz.org/1, public, no key).

    client = ListenBrainzClient.from_settings()
    client.top_artists(user, range="all_time", limit=200) -> list[ListenedArtist]
    client.top_release_groups(user, range="all_time", limit=100) -> list[ListenedReleaseGroup]
    client.ping() -> str   # one sitewide statistics call (count=1)

Ranges: this_week, this_month, this_year, week, month, quarter, year, half_yearly, all_time.
Each method asks once for the `limit` entities the taste profile uses (`count=limit`,
offset 0; the statistics endpoints serve up to 1000 a call, MAX_ITEMS_PER_GET in
https://listenbrainz.readthedocs.io/en/latest/users/api/statistics.html), never the whole
ranked list page after page. HTTP 204 means ListenBrainz has not
computed the user's statistics yet: the answer is then an empty list, not an error.
An unknown user is a NotFound from the HTTP layer.
"""

from dataclasses import dataclass

from .http import HttpClient
from .paths import path_segment
from .types import Page, to_int

API_ROOT = "https://api.listenbrainz.org/1"
RANGES = ("this_week", "this_month", "this_year", "week", "month", "quarter", "year", "half_yearly", "all_time")
PAGE_SIZE = 100
# The most a statistics call returns (ListenBrainz's MAX_ITEMS_PER_GET).
MAX_COUNT = 1000
# What the taste profile reads: its first 200 artists and 100 release groups.
TOP_ARTISTS = 200
TOP_RELEASE_GROUPS = 100


@dataclass(frozen=True)
class ListenedArtist:
    name: str
    mbids: tuple  # may be empty: ListenBrainz could not link the listens to MusicBrainz
    listen_count: int


@dataclass(frozen=True)
class ListenedReleaseGroup:
    name: str
    mbid: str
    artist_name: str
    artist_mbids: tuple
    listen_count: int


class ListenBrainzClient:
    def __init__(self, *, rate_per_minute=None, session=None):
        self.http = HttpClient("listenbrainz", base_url=API_ROOT, rate_per_minute=rate_per_minute, session=session)

    @classmethod
    def from_settings(cls, **kwargs):
        return cls(**kwargs)

    def top_artists(self, user, *, range="all_time", limit=TOP_ARTISTS):
        return self.top(user, "artists", range, limit, parse_artists_page)

    def top_release_groups(self, user, *, range="all_time", limit=TOP_RELEASE_GROUPS):
        return self.top(user, "release-groups", range, limit, parse_release_groups_page)

    def ping(self):
        """The sitewide top artist (GET /1/stats/sitewide/artists, count=1): public, cheap."""
        data = self.http.get_json("/stats/sitewide/artists", params={"count": 1})
        return f"sitewide statistics for {((data or {}).get('payload') or {}).get('range', '?')}"

    def top(self, user, entity, range, limit, parse_page):
        """The first `limit` entities of the user's ranking, in one call."""
        if range not in RANGES:
            raise ValueError(f"Unknown ListenBrainz range {range!r}; use one of {', '.join(RANGES)}")
        if not 0 < limit <= MAX_COUNT:
            raise ValueError(f"ListenBrainz serves 1 to {MAX_COUNT} entities a call, not {limit}")
        params = {"range": range, "count": limit, "offset": 0}
        data = self.http.get_json(f"/stats/user/{path_segment(user)}/{entity}", params=params)
        return parse_page(data).items[:limit]


# --- pure parsing --------------------------------------------------------------------------


def parse_artists_page(data, offset=0):
    """A page of top artists; `data` is None for the 204 "not computed yet" answer."""
    payload = (data or {}).get("payload") or {}
    artists = [
        ListenedArtist(
            name=entry.get("artist_name", ""),
            mbids=tuple(entry.get("artist_mbids") or ()),
            listen_count=to_int(entry.get("listen_count")) or 0,
        )
        for entry in payload.get("artists") or ()
    ]
    return page_at(offset, artists, payload.get("total_artist_count"))


def parse_release_groups_page(data, offset=0):
    payload = (data or {}).get("payload") or {}
    groups = [
        ListenedReleaseGroup(
            name=entry.get("release_group_name", ""),
            mbid=entry.get("release_group_mbid") or "",
            artist_name=entry.get("artist_name", ""),
            artist_mbids=tuple(entry.get("artist_mbids") or ()),
            listen_count=to_int(entry.get("listen_count")) or 0,
        )
        for entry in payload.get("release_groups") or ()
    ]
    return page_at(offset, groups, payload.get("total_release_group_count"))


def page_at(offset, items, total, page_size=PAGE_SIZE):
    """Next offset while pages come back full; a short page is the last one whatever the
    total says (ListenBrainz counts more entities than it keeps ranked)."""
    total = to_int(total) or 0
    next_offset = offset + len(items)
    more = len(items) >= page_size and next_offset < total
    return Page(items, total=total, next_cursor=next_offset if more else None)

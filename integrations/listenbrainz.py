"""ListenBrainz statistics client (https://api.listenbrainz.org/1, public, no key).

    client = ListenBrainzClient.from_settings()
    client.top_artists(user, range="all_time") -> list[ListenedArtist]
    client.top_release_groups(user, range="all_time") -> list[ListenedReleaseGroup]

Ranges: this_week, this_month, this_year, week, month, quarter, year, half_yearly, all_time.
Both methods walk every page (count=100, offset=...). HTTP 204 means ListenBrainz has not
computed the user's statistics yet: the answer is then an empty list, not an error.
An unknown user is a NotFound from the HTTP layer.
"""

from dataclasses import dataclass

from .http import HttpClient
from .paths import path_segment
from .types import Page, to_int, walk_pages

API_ROOT = "https://api.listenbrainz.org/1"
RANGES = ("this_week", "this_month", "this_year", "week", "month", "quarter", "year", "half_yearly", "all_time")
PAGE_SIZE = 100


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

    def top_artists(self, user, *, range="all_time"):
        return self.walk(user, "artists", range, parse_artists_page)

    def top_release_groups(self, user, *, range="all_time"):
        return self.walk(user, "release-groups", range, parse_release_groups_page)

    def walk(self, user, entity, range, parse_page):
        if range not in RANGES:
            raise ValueError(f"Unknown ListenBrainz range {range!r}; use one of {', '.join(RANGES)}")

        def fetch(offset):
            params = {"range": range, "count": PAGE_SIZE, "offset": offset}
            path = f"/stats/user/{path_segment(user)}/{entity}"
            return parse_page(self.http.get_json(path, params=params), offset)

        return list(walk_pages(fetch, 0))


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

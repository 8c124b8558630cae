"""Catalog workflows, database first: ask our rows, call an API only on a miss or a stale row.

    get_or_create_artist(name=None, mbid=None)  -> Artist   artists.py: MusicBrainz + Last.fm (+ Discogs image)
    sync_artist_similars(artist)                -> int      artists.py: Last.fm artist.getSimilar
    sync_artist_albums(artist)                  -> [Album]  albums.py: MusicBrainz release-group browse
    sync_album_releases(album)                  -> Album    pressings.py: every vinyl version on Discogs
    sync_release_details(release)               -> Release  pressings.py: tracklist, rating, have/want, image
    sync_album_tracklist(album)                 -> Album    tracks.py: standard tracklist + first-release year from the master
    get_or_create_release(discogs_id)           -> Release  pressings.py: a pressing we may not know yet
    ingest_artist(name=None, mbid=None)         -> Artist   chain.py: the whole chain for one artist

Where each rule lives: freshness windows in catalog.freshness (a fresh row costs no API
call); the studio verdict in catalog.studio; "same artist / album / pressing?", column
lengths and the source that created a row in catalog.upsert; name keys and "Various" in
catalog.normalize. Errors say whether they are permanent (integrations.errors): a permanent
one (NotFound, BadPayload...) is stored on the row's `last_error` and the row is stamped
refreshed, so it is skipped until its window passes; a transient one (RateLimited,
Unavailable) propagates so the Celery task retries. Two workers syncing one album's pressings
are kept apart by a compare-and-set claim on Album.releases_sync_started_at. What a run did is
counted by integrations.runs.

`from catalog import services` keeps working: the public names of the modules are here.
"""

from .albums import (
    album_for_pressing,
    best_search_match,
    find_master_by_search,
    known_album_for_pressing,
    pressing_verdict,
    release_group_verdict,
    save_release_group,
    save_tracklist,
    sync_artist_albums,
)
from .artists import (
    ArtistProfile,
    artists_by_name,
    fetch_artist_profile,
    followed_stale_artist_ids,
    get_or_create_artist,
    refresh_artist,
    save_artist_profile,
    save_artist_tags,
    save_similarities,
    stale_artist_ids,
    sync_artist_similars,
)
from .chain import ingest_artist, sync_album_chain
from .pressings import (
    RELEASES_CLAIM_LEASE,
    albums_due_for_releases,
    albums_missing_tracklist,
    claim_releases_sync,
    get_or_create_release,
    pressings_worth_details,
    release_detail_fields,
    releases_claim_held_for,
    representative_release,
    save_release_details,
    store_vinyl_releases,
    sync_album_releases,
    sync_release_details,
    version_fields,
)
from .tracks import albums_due_for_tracklist, mark_main_release, replace_tracklist, sync_album_tracklist
from .verdicts import learn_verdict, learn_verdicts_from_pressings

__all__ = [
    "ArtistProfile",
    "RELEASES_CLAIM_LEASE",
    "album_for_pressing",
    "albums_due_for_releases",
    "albums_missing_tracklist",
    "artists_by_name",
    "best_search_match",
    "claim_releases_sync",
    "fetch_artist_profile",
    "find_master_by_search",
    "followed_stale_artist_ids",
    "get_or_create_artist",
    "get_or_create_release",
    "ingest_artist",
    "known_album_for_pressing",
    "learn_verdict",
    "learn_verdicts_from_pressings",
    "pressing_verdict",
    "refresh_artist",
    "release_detail_fields",
    "releases_claim_held_for",
    "release_group_verdict",
    "representative_release",
    "save_artist_profile",
    "save_artist_tags",
    "save_release_details",
    "save_release_group",
    "save_similarities",
    "save_tracklist",
    "stale_artist_ids",
    "pressings_worth_details",
    "store_vinyl_releases",
    "sync_album_chain",
    "sync_album_releases",
    "sync_artist_albums",
    "sync_artist_similars",
    "sync_release_details",
    "version_fields",
    "albums_due_for_tracklist",
    "mark_main_release",
    "replace_tracklist",
    "sync_album_tracklist",
]

"""An album's cover, database first: every source the chain reads offers what it has
(`offer_cover`), and catalog.covers decides whether it beats the stored one.

The Discogs master (services.tracks) and pressing images (services.pressings) and the Cover
Art Archive front of a MusicBrainz release group (services.albums, no call: the URL is known
from the group's id) come with calls the chain makes anyway. `sync_album_cover` is the step
that fills the gap when none of them had one: it asks Last.fm's album.getInfo, only when
Last.fm is configured and the album has no cover as good as Last.fm's.
"""
from integrations.clients import lastfm
from integrations.errors import ApiError
from integrations.runs import note, stamp

from .. import covers
from ..models import Album
from ..upsert import fit


def offer_cover(album, url):
    """Store `url` as the album's cover when its source ranks above the stored one's; a
    retired URL stored earlier is dropped on the way. Returns the album's cover."""
    chosen = covers.better(album.cover_url, url)
    if chosen != album.cover_url:
        stamp(album, cover_url=fit(Album, "cover_url", chosen))
    return album.cover_url


def sync_album_cover(album):
    """The Cover Art Archive front when the album has a MusicBrainz id; else Last.fm's
    album image when no better cover is stored. A lookup that fails leaves the album as it
    was (its page shows the designed sleeve)."""
    if album.mbid:
        offer_cover(album, covers.coverartarchive_front(album.mbid))
    client = lastfm()
    if client is None or covers.has_cover_as_good_as(album.cover_url, "lastfm"):
        note("cache_hits")
        return album
    note("api_lookups")
    try:
        info = client.album_info(album.artist.name, album.title)
    except ApiError:
        return album  # logged by the HTTP layer; the sleeve stands in
    offer_cover(album, info.image_url)
    return album

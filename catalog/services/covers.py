"""An album's cover, database first: every source the chain reads offers what it has
(`offer_cover`), and catalog.covers decides whether it beats the stored one.

The Discogs master (services.tracks) and pressing images (services.pressings) and the Cover
Art Archive front of a MusicBrainz release group (services.albums, no call: the URL is known
from the group's id) come with calls the chain makes anyway. `sync_album_cover` is the step
that fills the gap when none of them had one: Last.fm's album.getInfo, then Spotify's album
(for an album with a Spotify id, on the app's token), each asked only when it is configured
and the album has no cover as good as the one it could give.
"""

from integrations.clients import lastfm, spotify_app, spotify_app_configured
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
    """The Cover Art Archive front when the album has a MusicBrainz id; else Last.fm's, else
    Spotify's album image, asking each only while the stored cover is worse than what it could
    give. A lookup that fails leaves the album as it was (its page shows the designed sleeve)."""
    if album.mbid:
        offer_cover(album, covers.coverartarchive_front(album.mbid))
    for source, image_of in (("lastfm", _lastfm_image), ("spotify", _spotify_image)):
        if covers.has_cover_as_good_as(album.cover_url, source):
            note("cache_hits")
            return album
        offer_cover(album, image_of(album))
    return album


def _lastfm_image(album):
    client = lastfm()
    return _asked(lambda: client.album_info(album.artist.name, album.title).image_url) if client else ""


def _spotify_image(album):
    if not (album.spotify_id and spotify_app_configured()):
        return ""
    return _asked(lambda: spotify_app().album(album.spotify_id).image_url)


def _asked(lookup):
    note("api_lookups")
    try:
        return lookup() or ""
    except ApiError:
        return ""  # the HTTP layer logged it; the sleeve stands in

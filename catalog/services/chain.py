"""The whole catalog chain for one artist or album, in-process (the tasks fan it out)."""

from .albums import sync_artist_albums
from .artists import get_or_create_artist, sync_artist_similars
from .covers import sync_album_cover
from .pressings import representative_release, sync_album_releases, sync_release_details
from .tracks import sync_album_tracklist


def ingest_artist(name=None, mbid=None):
    """Artist, similar artists, studio albums, their pressings and one detailed pressing each."""
    artist = get_or_create_artist(name=name, mbid=mbid)
    sync_artist_similars(artist)
    for album in sync_artist_albums(artist):
        if album.is_studio:
            sync_album_chain(album)
    return artist


def sync_album_chain(album):
    """The album's pressings, its master's standard tracklist (which marks the main release),
    then the details (cover, rating) of its representative pressing; a cover from elsewhere
    when Discogs had none (looked for on the pressings' window, so a second run asks nothing)."""
    cover_due = album.releases_stale
    sync_album_releases(album)
    sync_album_tracklist(album)
    release = representative_release(album)
    if release is not None:
        sync_release_details(release)
    if cover_due:
        sync_album_cover(album)
    return album

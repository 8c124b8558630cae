"""What the browser tests and benchmarks/pages.py look up in the demo catalog (vinilogy/demo.py)."""

from catalog.models import Album


def album_with_tracks_pressings_and_price():
    """A demo album whose page fills all three fragments: a tracklist, pressings and a current price."""
    albums = Album.objects.filter(tracks__isnull=False, releases__isnull=False, price_quotes__is_current=True)
    album = albums.select_related("artist").distinct().order_by("pk").first()
    assert album is not None, "the demo catalog has no album with a tracklist, pressings and a current price"
    return album

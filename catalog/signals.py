"""What the catalog tells the apps to its right (alerts) without importing them.

Both are sent once the rows are stored. `backfill` is true when the rows come from a first
sync (the album's pressings or the artist's albums were never listed before) or an import:
what is new to us then is not news to a listener, so nobody is alerted.
"""

from django.dispatch import Signal

# A refresh of an album's pressings stored vinyl pressings it did not have.
# Arguments: album_id, release_ids (new Release ids), backfill.
pressings_added = Signal()
# A refresh of an artist's albums stored studio albums it did not have.
# Arguments: artist_id, album_ids (new Album ids), backfill.
albums_added = Signal()

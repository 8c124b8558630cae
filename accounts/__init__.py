"""accounts: the listener's profile (country, options), listening sources, seeds, snapshots, collection.

Layer 4 of 7 (docs/ARCHITECTURE.md): imports pricing, catalog and integrations only; it tells
recommendations that a listener's taste changed through the `taste_changed` signal.

- `sources/`: the listening-source registry (Last.fm, Spotify, ListenBrainz, Discogs, the
  Discogs CSV export, by hand), one module each with how it connects, `fetch(user)` and its
  weight in the taste profile; services, views, tasks and `sync_user` iterate it.
- `services.py` syncs any source (snapshots → seeds), `listening.py` reads payloads as
  listens, `weights.py` turns one source's listens or records into seed weights.
"""

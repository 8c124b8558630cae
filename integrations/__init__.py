"""integrations: one client per external API, and the shared HTTP layer. Imports nothing of ours.

Layer 1 of 7 (docs/ARCHITECTURE.md): integrations → catalog → pricing → accounts →
recommendations → alerts → vinilogy; every other app may import this one, never the reverse.

- `<provider>.py` (musicbrainz, discogs, lastfm, listenbrainz, spotify, ebay, ecb): plain
  clients returning dataclasses, each with a cheap `ping()`; they never touch models.
- `http.py`: the one choke point (Session per provider, timeouts, rate limiter, retries that
  honour Retry-After, an ApiCall row per attempt); `replay.py` serves recorded answers offline.
- `clients.py`: one client per provider and thread, built from settings, for the services.
- `runs.py`: what a run did (RunStats, `note`, `record_permanent_error`), shared by every app.
- `queue.py`: enqueue a Celery task by name, so no module imports a task of an app to its right.
"""

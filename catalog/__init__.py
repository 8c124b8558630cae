"""The catalog: artists, the similar-artist graph, studio albums, tracks and every vinyl pressing.

Where each rule lives (one home per rule; callers ask it):

    studio.py        whether an album is a studio album: verdict(Facts) -> (is_studio, reason)
    normalize.py     name keys for matching, Discogs' " (2)" suffix, "Various Artists"
    matching.py      how sure a title match is (title_confidence)
    freshness.py     how long a row stays fresh (the only reader of the *_FRESHNESS_* settings)
    upsert.py        "same artist / album / pressing?", never a blank over a value, column
                     lengths (fit), the source that created a row
    models.py        rows, constraints, QuerySet methods named by intent (stale(), releases_due())

Who writes rows, all through upsert.py:

    services/        database-first workflows over the APIs: artists, albums, pressings, chain
    dump_import.py   the Discogs monthly dumps, a batch at a time (bulk.py holds its batch
                     helpers, shared with orphans.py); discogs_dump.py reads the files
    orphans.py       albums for the pressings whose master we lack
    csv_import.py    operators' CSV of artists
    demo.py          the offline demo catalog

tasks.py and management/commands/ are thin: they take ids and call one service. This app
imports only from integrations (docs/ARCHITECTURE.md, "Layout and layers").
"""

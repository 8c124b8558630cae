"""Upserts of catalog rows on external ids and normalized names, and the column rules every
writer shares.

The one place that decides "is this the same artist / album / pressing?". Services,
the CSV import, the demo and the dump import all write through here, so the rules hold
everywhere:

- match on an external id first, then on the normalized name (the matching ladder);
- never overwrite a good value with an empty one from a weaker source (`is_blank`);
- an album's year is its first release as a source states it (`album_year`): a Discogs
  master's year, a MusicBrainz first-release date, a list's year; of two stated years the
  earlier wins, and a pressing's year counts only once every version of the master was read;
- a text longer than its column is cut to the model field's max_length (`fit`), here for
  every upsert and by the bulk writers (catalog.bulk, the dump import) for theirs;
- create under the unique constraints; if a concurrent writer won the race, the
  IntegrityError is caught inside a savepoint and the winner's row is returned;
- a row says which source created it; a later source never rewrites that
  (`with_source_on_create`).

`format_objects` and `track_rows` are how a parsed pressing's formats and tracklist are
stored, whichever way it came in.
"""

from dataclasses import dataclass
from functools import cache

from django.db import IntegrityError, models, transaction

from integrations.runs import counted, stamp

from .models import Album, Artist, Release, Track, YearSource
from .normalize import normalize_artist_name, normalize_title


@dataclass
class Upserted:
    obj: object
    created: bool
    changed: bool

    @property
    def outcome(self):
        return "created" if self.created else "updated" if self.changed else "unchanged"


def is_blank(value):
    return value is None or value == "" or value == [] or value == {}


# Sources that state when the album first came out; a pressing only says when *it* did.
STATED_YEAR = frozenset({YearSource.DISCOGS_MASTER, YearSource.MUSICBRAINZ, YearSource.LIST})


def album_year(current, current_source, incoming, incoming_source):
    """(year, source): the album's first-release year once a source has spoken. The one rule
    every writer of Album.first_release_year follows.

    A stated year (STATED_YEAR) replaces a year of any other kind, and a later stated year
    never replaces an earlier one. The earliest pressing's year (PRESSINGS: every version of
    the master read) fills in only where no source stated one. A lone pressing's year (any
    other source, None included) changes nothing: a 2019 reissue is not the album's year."""
    if not incoming or incoming_source not in (*STATED_YEAR, YearSource.PRESSINGS):
        return current, current_source
    if current and current_source in STATED_YEAR and (incoming_source not in STATED_YEAR or current <= incoming):
        return current, current_source
    return incoming, incoming_source


def year_fields(album, incoming, incoming_source):
    """The fields to write for what a source says of the album's year ({} when nothing changes)."""
    year, source = album_year(album.first_release_year, album.year_source, incoming, incoming_source)
    if (year, source) == (album.first_release_year, album.year_source):
        return {}
    return {"first_release_year": year, "year_source": source}


@cache
def _max_length(model, name):
    """The column's length limit for text; None for other columns (a UUID's max_length is
    that of its hex form, not a limit on what is given)."""
    field = model._meta.get_field(name)
    return field.max_length if isinstance(field, models.CharField) else None


def fit(model, name, value):
    """Cut a text to its column: PostgreSQL refuses a long one, and one long title must not
    cost a whole batch. Non-text values and columns without a limit pass unchanged."""
    if value is None:
        return ""
    limit = _max_length(model, name) if isinstance(value, str) else None
    return value[:limit] if limit else value


def fitted(model, fields):
    return {name: fit(model, name, value) if isinstance(value, str) else value for name, value in fields.items()}


# Release columns catalog.pressing_facts.fact_fields fills (issue 23), whichever way a pressing came in.
PRESSING_FACTS = (
    "descriptions",
    "weight_grams",
    "colour",
    "is_limited",
    "credits",
    "companies",
    "identifiers",
    "barcode",
    "note_flags",
)


def format_objects(formats):
    """Release.formats for a parsed pressing (API or dump): a pressing reads the same
    whichever way it came in."""
    return [{"name": f.name, "qty": f.qty, "descriptions": list(f.descriptions), "text": f.text} for f in formats]


def track_rows(album_id, tracklist):
    """Track rows, numbered from 1, for a parsed tracklist (API or dump)."""
    return [
        Track(
            album_id=album_id,
            sequence=sequence,
            position=fit(Track, "position", track.position),
            title=fit(Track, "title", track.title),
            duration_seconds=track.duration_seconds,
        )
        for sequence, track in enumerate(tracklist, start=1)
    ]


def with_source_on_create(result, source):
    """The upserted row, counted in the run's statistics; stamped with `source` only when
    this upsert created it."""
    if result.created:
        stamp(result.obj, source=source)
    return counted(result)


def merge_fields(obj, fields):
    """Copy non-blank values onto obj; return the names that actually changed."""
    changed = []
    for name, value in fields.items():
        if is_blank(value):
            continue
        if str(getattr(obj, name)) != str(value):
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _save_changes(obj, changed):
    if changed:
        obj.save(update_fields=changed)
    return bool(changed)


def _create(model, lookup, fields):
    """Create inside a savepoint; on a lost race return the row the winner created."""
    try:
        with transaction.atomic():
            return model.objects.create(**fields), True
    except IntegrityError:
        existing = model.objects.filter(**lookup).first()
        if existing is None:
            raise
        return existing, False


def _find_by_ids(model, ids, scope=None):
    queryset = model.objects.filter(**(scope or {}))
    for name, value in ids.items():
        if not is_blank(value):
            found = queryset.filter(**{name: value}).first()
            if found:
                return found
    return None


def _id_conflict(obj, ids):
    """True when obj already carries a different value for one of the given ids."""
    return any(not is_blank(v) and not is_blank(getattr(obj, k)) and str(getattr(obj, k)) != str(v) for k, v in ids.items())


def find_artist(name="", **ids):
    """The artist with one of these ids, else the one with this normalized name (no conflicting id)."""
    found = _find_by_ids(Artist, ids)
    if found or not name:
        return found
    candidates = Artist.objects.filter(normalized_name=normalize_artist_name(name)).order_by("-listeners", "pk")
    return next((a for a in candidates if not _id_conflict(a, ids)), None)


def upsert_artist(name, *, mbid=None, discogs_id=None, spotify_id=None, **fields):
    ids = {"mbid": mbid, "discogs_id": discogs_id, "spotify_id": spotify_id}
    artist = find_artist(name, **ids)
    values = fitted(Artist, {**ids, **fields})
    if artist is None:
        create = {k: v for k, v in values.items() if not is_blank(v)}
        create.update(fitted(Artist, {"name": name, "normalized_name": normalize_artist_name(name)}))
        artist, created = _create(Artist, _race_lookup(ids, normalized_name=create["normalized_name"]), create)
        if created:
            return Upserted(artist, True, True)
    return Upserted(artist, False, _save_changes(artist, merge_fields(artist, values)))


def _race_lookup(ids, **fallback):
    for name, value in ids.items():
        if not is_blank(value):
            return {name: value}
    return fallback


def find_album(artist, title="", **ids):
    found = _find_by_ids(Album, ids)
    if found or not title:
        return found
    candidates = Album.objects.filter(artist=artist, normalized_title=normalize_title(title)).order_by("pk")
    return next((a for a in candidates if not _id_conflict(a, ids)), None)


def upsert_album(
    artist, title, *, mbid=None, discogs_master_id=None, spotify_id=None, first_release_year=None, year_source=None, **fields
):
    """Upsert an album; `first_release_year` is what `year_source` says of its first release
    (album_year: without a source, a year is a pressing's and changes nothing)."""
    ids = {"mbid": mbid, "discogs_master_id": discogs_master_id, "spotify_id": spotify_id}
    album = find_album(artist, title, **ids)
    values = fitted(Album, {**ids, **fields})
    if album is None:
        values.update(year_fields(Album(), first_release_year, year_source))
        create = {k: v for k, v in values.items() if not is_blank(v)}
        create.update(artist=artist, **fitted(Album, {"title": title, "normalized_title": normalize_title(title)}))
        lookup = _race_lookup(ids, artist=artist, normalized_title=create["normalized_title"])
        album, created = _create(Album, lookup, create)
        if created:
            return Upserted(album, True, True)
    values.update(year_fields(album, first_release_year, year_source))
    return Upserted(album, False, _save_changes(album, merge_fields(album, values)))


def upsert_release(discogs_id, **fields):
    """Upsert one pressing on its Discogs id (unique)."""
    release = Release.objects.filter(discogs_id=discogs_id).first()
    fields = fitted(Release, fields)
    if release is None:
        create = {k: v for k, v in fields.items() if not is_blank(v)}
        release, created = _create(Release, {"discogs_id": discogs_id}, {"discogs_id": discogs_id, **create})
        if created:
            return Upserted(release, True, True)
    return Upserted(release, False, _save_changes(release, merge_fields(release, fields)))

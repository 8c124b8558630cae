"""Upserts of catalog rows on external ids and normalized names.

The one place that decides "is this the same artist / album / pressing?". Services,
the CSV import and the dump import all write through here, so the rules hold everywhere:

- match on an external id first, then on the normalized name (the matching ladder);
- never overwrite a good value with an empty one from a weaker source;
- create under the unique constraints; if a concurrent writer won the race, the
  IntegrityError is caught inside a savepoint and the winner's row is returned.
"""
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from .models import Album, Artist, Release
from .normalize import normalize_artist_name, normalize_title

ARTIST_IDS = ("mbid", "discogs_id", "spotify_id")
ALBUM_IDS = ("mbid", "discogs_master_id", "spotify_id")


@dataclass
class Upserted:
    obj: object
    created: bool
    changed: bool

    @property
    def outcome(self):
        return "created" if self.created else "updated" if self.changed else "unchanged"


def _blank(value):
    return value is None or value == "" or value == [] or value == {}


def merge_fields(obj, fields):
    """Copy non-blank values onto obj; return the names that actually changed."""
    changed = []
    for name, value in fields.items():
        if _blank(value):
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
        if not _blank(value):
            found = queryset.filter(**{name: value}).first()
            if found:
                return found
    return None


def _id_conflict(obj, ids):
    """True when obj already carries a different value for one of the given ids."""
    return any(not _blank(v) and not _blank(getattr(obj, k)) and str(getattr(obj, k)) != str(v) for k, v in ids.items())


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
    values = {**ids, **fields}
    if artist is None:
        create = {k: v for k, v in values.items() if not _blank(v)}
        create.update(name=name, normalized_name=normalize_artist_name(name))
        artist, created = _create(Artist, _race_lookup(ids, normalized_name=create["normalized_name"]), create)
        if created:
            return Upserted(artist, True, True)
    return Upserted(artist, False, _save_changes(artist, merge_fields(artist, values)))


def _race_lookup(ids, **fallback):
    for name, value in ids.items():
        if not _blank(value):
            return {name: value}
    return fallback


def find_album(artist, title="", **ids):
    found = _find_by_ids(Album, ids)
    if found or not title:
        return found
    candidates = Album.objects.filter(artist=artist, normalized_title=normalize_title(title)).order_by("pk")
    return next((a for a in candidates if not _id_conflict(a, ids)), None)


def upsert_album(artist, title, *, mbid=None, discogs_master_id=None, spotify_id=None, **fields):
    ids = {"mbid": mbid, "discogs_master_id": discogs_master_id, "spotify_id": spotify_id}
    album = find_album(artist, title, **ids)
    values = {**ids, **fields}
    if album is None:
        create = {k: v for k, v in values.items() if not _blank(v)}
        create.update(artist=artist, title=title, normalized_title=normalize_title(title))
        lookup = _race_lookup(ids, artist=artist, normalized_title=create["normalized_title"])
        album, created = _create(Album, lookup, create)
        if created:
            return Upserted(album, True, True)
    return Upserted(album, False, _save_changes(album, merge_fields(album, values)))


def upsert_release(discogs_id, **fields):
    """Upsert one pressing on its Discogs id (unique)."""
    release = Release.objects.filter(discogs_id=discogs_id).first()
    if release is None:
        create = {k: v for k, v in fields.items() if not _blank(v)}
        release, created = _create(Release, {"discogs_id": discogs_id}, {"discogs_id": discogs_id, **create})
        if created:
            return Upserted(release, True, True)
    return Upserted(release, False, _save_changes(release, merge_fields(release, fields)))

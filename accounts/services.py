"""What we know about a listener, kept up to date: listening snapshots, seed artists, collection.

Each listening source is one module of accounts/sources (Last.fm, Spotify, ListenBrainz,
Discogs, the Discogs CSV export, artists added by hand); `sync_source` reads any of them:
fetch the payloads, store one ListeningSnapshot per (source, period) and, only when a
payload's hash changed, rebuild that source's SeedArtist rows. A sync with
nothing new writes nothing and says so (`SyncResult.changed`), so nothing downstream is
recomputed. The Discogs collection also upserts the pressings (catalog.upsert) and the
user's CollectionItem rows; the collection CSV export does the same from a file, as a job
(accounts.collection_import).

    sync_source(user, source, client=None) -> SyncResult   # any syncable registered source
    connected_sources() -> list[(user_id, source)]    # what the daily fan-out syncs
    preview_import(user, source) -> ImportPreview     # what a sync would change; writes nothing
    add_seed_artist(user, artist) -> SeedArtist
    remove_seed_artist(user, artist_id) -> bool
    store_payloads(user, source, payloads) -> int     # snapshots whose payload changed
    rebuild_seeds(user, source) -> SeedChanges
"""

import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from catalog.models import Artist, Release, Source
from catalog.services import known_album_for_pressing
from catalog.upsert import find_artist, upsert_artist, upsert_release
from integrations.queue import enqueue_api_task, failure_note, is_pending

from . import listening, sources
from .catalog_build import build_catalog, lookup_priorities
from .language import override_for
from .models import CollectionItem, ListeningSnapshot, ListeningSource, Profile, SeedArtist, payload_hash
from .signals import taste_changed
from .sources import SourceUnavailable
from .weights import MANUAL_SEED_WEIGHT, collection_weight, seed_weights

logger = logging.getLogger(__name__)


@dataclass
class SeedChanges:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0


@dataclass
class SyncResult:
    source: str
    changed: bool = False
    skipped: bool = False
    note: str = ""
    snapshots_changed: int = 0
    seeds: SeedChanges = field(default_factory=SeedChanges)

    def summary(self) -> str:
        if self.skipped:
            return f"{self.source}: skipped ({self.note})"
        if not self.changed:
            return f"{self.source}: unchanged since the last sync"
        s = self.seeds
        return (
            f"{self.source}: {self.snapshots_changed} snapshot(s) changed; artists "
            f"{s.added} added, {s.updated} updated, {s.removed} removed, {s.unchanged} unchanged"
        )


# --- snapshots ----------------------------------------------------------------------------------


def save_snapshot(user, source, period, payload) -> bool:
    """Store the payload unless the stored one has the same hash; True when it changed."""
    digest = payload_hash(payload)
    snapshot = ListeningSnapshot.objects.filter(user=user, source=source, period=period).first()
    if snapshot is not None and snapshot.payload_hash == digest:
        return False
    ListeningSnapshot.objects.update_or_create(
        user=user, source=source, period=period, defaults={"payload": payload, "payload_hash": digest}
    )
    return True


def store_payloads(user, source, payloads: dict[str, dict]) -> int:
    return sum(save_snapshot(user, source, period, payload) for period, payload in payloads.items())


def stored_payloads(user, source) -> dict[str, dict]:
    snapshots = ListeningSnapshot.objects.filter(user=user, source=source)
    return dict(snapshots.values_list("period", "payload"))


# --- payloads → weighted artists → seeds ----------------------------------------------------------


@dataclass(frozen=True)
class Weighted:
    ref: listening.ArtistRef
    weight: float
    playcount: int | None = None


def weighted_artists(source, payloads: dict[str, dict]) -> dict[str, Weighted]:
    """Artist key → weight for one source, from its payloads (all periods)."""
    taste = sources.get(source)
    if taste.collection:
        counts = listening.discogs_artist_counts(payloads)
        return {key: Weighted(ref, collection_weight(owned, wanted)) for key, (ref, owned, wanted) in counts.items()}
    pairs = [pair for period, payload in payloads.items() for pair in listening.listens(source, period, payload)]
    refs = {}
    for ref, _listen in pairs:
        # Keep the reference that carries ids: it finds the right artist more surely.
        if ref.key not in refs or (not any(refs[ref.key].ids.values()) and any(ref.ids.values())):
            refs[ref.key] = ref
    weights = seed_weights((listen for _, listen in pairs), taste.weight, taste.recency)
    return {key: Weighted(refs[key], w.weight, w.playcount) for key, w in weights.items()}


def _valid_ids(ref: listening.ArtistRef) -> dict:
    ids = {name: value for name, value in ref.ids.items() if value}
    if "mbid" in ids and not _is_uuid(ids["mbid"]):
        del ids["mbid"]
    return ids


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def resolve_artist(ref: listening.ArtistRef, source, *, create: bool):
    """Our artist for a provider's reference (database first); a bare one is created on a miss
    when `create`, for ingestion to enrich later."""
    ids = _valid_ids(ref)
    artist = find_artist(ref.name, **ids)
    if artist is not None or not create:
        return artist
    return upsert_artist(ref.name, **ids, source=sources.get(source).catalog_source).obj


@dataclass(frozen=True)
class PlannedSeed:
    name: str
    artist_id: int | None
    weight: float
    playcount: int | None
    action: str  # add, update, keep, remove


def plan_seeds(user, source, weighted: dict[str, Weighted], *, create: bool) -> list[PlannedSeed]:
    """What the user's seeds of this source become: one row per artist, with the action needed."""
    merged = _merge_by_artist(source, weighted, create=create)
    existing = {seed.artist_id: seed for seed in SeedArtist.objects.filter(user=user, source=source).select_related("artist")}
    plan = [_planned(name, artist_id, weight, playcount, existing) for (artist_id, name), (weight, playcount) in merged.items()]
    kept = {row.artist_id for row in plan}
    plan += [
        PlannedSeed(seed.artist.name, seed.artist_id, seed.weight, seed.playcount, "remove")
        for artist_id, seed in existing.items()
        if artist_id not in kept
    ]
    return plan


def _merge_by_artist(source, weighted, *, create):
    """Two names can lead to one artist ("Beatles" / "The Beatles" by MBID): sum them."""
    merged = {}
    for item in weighted.values():
        artist = resolve_artist(item.ref, source, create=create)
        key = (artist.pk, artist.name) if artist else (None, item.ref.name)
        weight, playcount = merged.get(key, (0.0, None))
        plays = [p for p in (playcount, item.playcount) if p is not None]
        merged[key] = (round(weight + item.weight, 4), max(plays) if plays else None)
    return merged


def _planned(name, artist_id, weight, playcount, existing) -> PlannedSeed:
    seed = existing.get(artist_id) if artist_id else None
    if seed is None:
        action = "add"
    elif seed.weight == weight and seed.playcount == playcount:
        action = "keep"
    else:
        action = "update"
    return PlannedSeed(name, artist_id, weight, playcount, action)


def rebuild_seeds(user, source) -> SeedChanges:
    """Replace the user's seeds of one source with what its stored payloads say."""
    weighted = weighted_artists(source, stored_payloads(user, source))
    with transaction.atomic():
        plan = plan_seeds(user, source, weighted, create=True)
        return _apply_plan(user, source, plan)


def _apply_plan(user, source, plan) -> SeedChanges:
    by_action = {action: [row for row in plan if row.action == action] for action in ("add", "update", "keep", "remove")}
    SeedArtist.objects.bulk_create(
        [
            SeedArtist(user=user, artist_id=r.artist_id, source=source, weight=r.weight, playcount=r.playcount)
            for r in by_action["add"]
        ]
    )
    for row in by_action["update"]:
        SeedArtist.objects.filter(user=user, source=source, artist_id=row.artist_id).update(
            weight=row.weight, playcount=row.playcount
        )
    removed = [row.artist_id for row in by_action["remove"]]
    SeedArtist.objects.filter(user=user, source=source, artist_id__in=removed).delete()
    return SeedChanges(len(by_action["add"]), len(by_action["update"]), len(removed), len(by_action["keep"]))


# --- the sources ----------------------------------------------------------------------------------


def sync_source(user, source, client=None) -> SyncResult:
    """Fetch a source's payloads, store the changed ones; only then rebuild what depends on them."""
    taste = _syncable(source)
    try:
        payloads = taste.fetch(user, client)
    except SourceUnavailable as reason:
        return SyncResult(source, skipped=True, note=reason.detail)
    changed = store_payloads(user, source, payloads)
    result = SyncResult(source, changed=bool(changed), snapshots_changed=changed)
    if changed:
        if taste.collection:
            store_collection(user, payloads, source)
        result.seeds = rebuild_seeds(user, source)
        _refresh_recommendations(user)
    return result


def _syncable(source):
    try:
        taste = sources.get(source)
    except KeyError as unknown:
        raise ValueError(str(unknown).strip("'\"")) from None
    if not taste.syncable:
        raise ValueError(f"{taste.label} is not read by a sync; use one of {', '.join(s.name for s in sources.syncable())}")
    return taste


def connected_sources():
    """(user id, source) for every active user and listening source they connected."""
    return sorted({(user_id, taste.name) for taste in sources.syncable() for user_id in taste.connected_user_ids()})


# --- the Discogs collection: pressings and collection items ---------------------------------------


def store_collection(user, payloads, source) -> Counter:
    """Upsert the vinyl pressings of the collection and wantlist, and the user's items.

    Items of this source no longer in the payloads are removed (sold, or no longer wanted).
    """
    outcome, kept = Counter(), set()
    with transaction.atomic():
        for folder in (CollectionItem.Folder.COLLECTION, CollectionItem.Folder.WANTLIST):
            for entry in (payloads.get(folder) or {}).get("releases") or ():
                if not entry.get("is_vinyl"):
                    outcome["not vinyl"] += 1
                    continue
                release = _upsert_pressing(entry)
                _collect(user, release, folder, entry, source)
                kept.add((release.pk, folder))
                outcome[folder] += 1
        outcome["removed"] = _remove_missing_items(user, source, kept)
    return outcome


def _upsert_pressing(entry):
    release = upsert_release(
        entry["id"],
        title=entry.get("title") or "",
        artist_credit=", ".join(a["name"] for a in entry.get("artists") or ()),
        year=entry.get("year"),
        discogs_master_id=entry.get("master_id"),
        format_summary=entry.get("format") or "",
        label=entry.get("label") or "",
        catalog_number=entry.get("catno") or "",
        thumb_url=entry.get("thumb") or "",
        source=Source.DISCOGS,
    ).obj
    if release.album_id is None:
        album = _album_for(entry)
        if album is not None:
            release.album = album
            release.save(update_fields=["album"])
    return release


def _album_for(entry):
    """The album we have for a collection pressing (catalog's one rule), given its main artist."""
    ref = listening.main_artist(entry)
    artist = find_artist(ref.name, **_valid_ids(ref)) if ref else None
    return known_album_for_pressing(entry.get("master_id"), artist, entry.get("title") or "")


def _collect(user, release, folder, entry, source):
    added_at = parse_datetime(entry["date_added"]) if entry.get("date_added") else None
    CollectionItem.objects.update_or_create(
        user=user,
        release=release,
        folder=folder,
        defaults={"rating": entry.get("rating"), "source": source, "added_at": added_at},
    )


def _remove_missing_items(user, source, kept) -> int:
    stale = [
        item.pk for item in CollectionItem.objects.filter(user=user, source=source) if (item.release_id, item.folder) not in kept
    ]
    CollectionItem.objects.filter(pk__in=stale).delete()
    return len(stale)


# --- the Discogs collection CSV export ---------------------------------------------------------------


def _max_length(model, name):
    return model._meta.get_field(name).max_length


# What the rows a CSV line lands in can hold (the artist also names a catalog Artist).
CSV_COLUMN_LIMITS = {
    "Artist": _max_length(Artist, "name"),
    "Title": _max_length(Release, "title"),
    "Label": _max_length(Release, "label"),
    "Catalog#": _max_length(Release, "catalog_number"),
    "Format": _max_length(Release, "format_summary"),
}


# --- artists added by hand -------------------------------------------------------------------------


def add_seed_artist(user, artist) -> SeedArtist:
    seed, _ = SeedArtist.objects.update_or_create(
        user=user, artist=artist, source=ListeningSource.MANUAL, defaults={"weight": MANUAL_SEED_WEIGHT}
    )
    _refresh_recommendations(user)
    return seed


def look_up_new_artist(user, artist):
    """An artist added by name that we never looked up: enqueue its lookup and catalog chain,
    at listener priority unless the listener has enough lookups under way already."""
    if artist.refreshed_at is None and not artist.last_error:
        typed = SeedArtist.objects.filter(user=user, source=ListeningSource.MANUAL).values_list("artist_id", flat=True)
        priority = lookup_priorities(list(typed), [artist.pk])[artist.pk]
        enqueue_api_task("catalog.sync_artist", artist.pk, follow=True, price=True, priority=priority)


def lookup_state(artist):
    """How the lookup of an artist added by name went: ("", ""), ("pending", ""), or
    ("failed", why) with why in plain words (the error itself is in the ApiCall log and on the
    artist's row in the admin)."""
    if artist.refreshed_at is not None:
        return "", ""
    failure = failure_note("catalog.sync_artist", artist.pk)
    if failure:
        return "failed", failure.sentence()
    if artist.last_error:
        return "failed", _("the music databases we read do not know this name.")
    return ("pending", "") if is_pending("catalog.sync_artist", artist.pk) else ("", "")


def remove_seed_artist(user, artist_id) -> bool:
    """Remove an artist added by hand. Artists from listening come back with the next sync:
    blocking (Profile.blocked_artists) is how a listener keeps one out."""
    deleted, _ = SeedArtist.objects.filter(user=user, artist_id=artist_id, source=ListeningSource.MANUAL).delete()
    if deleted:
        _refresh_recommendations(user)
    return bool(deleted)


def _refresh_recommendations(user):
    """The listener's taste changed: build the catalog it needs, and let recommendations know."""
    build_catalog(user)
    taste_changed.send(sender=Profile, user=user)


# --- preview -----------------------------------------------------------------------------------------


@dataclass
class ImportPreview:
    source: str
    rows: list[PlannedSeed] = field(default_factory=list)
    note: str = ""  # why it was skipped, for an operator (sync_user --dry-run)
    sentence: str = ""  # the same in plain words, for the listener's page
    blocked: set = field(default_factory=set)
    min_playcount: int = 0

    def counts(self) -> Counter:
        return Counter(row.action for row in self.rows)

    def note_for(self, row: PlannedSeed) -> str:
        if row.artist_id is None:
            return _("new to the catalog")
        if row.artist_id in self.blocked:
            return _("blocked: not recommended")
        if row.playcount is not None and row.playcount < self.min_playcount:
            return _("fewer than %(count)s plays: ignored") % {"count": self.min_playcount}
        return ""

    def lines(self) -> list[str]:
        if self.note:
            return [f"{self.source}: {self.note}"]
        order = {"add": 0, "update": 1, "remove": 2, "keep": 3}
        rows = sorted(self.rows, key=lambda r: (order[r.action], -r.weight, r.name))
        lines = [
            f"{r.action:<7} {r.weight:>8.2f}  {r.playcount if r.playcount is not None else '-':>7}  {r.name}  {self.note_for(r)}".rstrip()
            for r in rows
        ]
        counts = self.counts()
        lines.append(
            _("%(source)s: %(add)s to add, %(update)s to update, %(remove)s to remove, %(keep)s unchanged (nothing written)")
            % {
                "source": self.source,
                "add": counts["add"],
                "update": counts["update"],
                "remove": counts["remove"],
                "keep": counts["keep"],
            }
        )
        return lines


def preview_import(user, source) -> ImportPreview:
    """The artists a sync of `source` would add, update or remove, with weights; writes nothing."""
    profile = user.profile
    preview = ImportPreview(
        source, blocked=set(profile.blocked_artists.values_list("pk", flat=True)), min_playcount=profile.min_playcount
    )
    try:
        payloads = _syncable(source).fetch(user)
    except SourceUnavailable as reason:
        preview.note, preview.sentence = f"skipped ({reason.detail})", str(reason)
        return preview
    preview.rows = plan_seeds(user, source, weighted_artists(source, payloads), create=False)
    return preview


# Previews are computed by a task (they call the provider) and kept here for the page to show.
PREVIEW_SECONDS = 30 * 60


def store_preview(user, source) -> ImportPreview:
    """Compute the preview of a sync and keep its lines for the listener's page to read (in
    the listener's language: a task computes them)."""
    with override_for(user):
        preview = preview_import(user, source)
        lines = [_("%(reason)s.") % {"reason": preview.sentence}] if preview.sentence else preview.lines()
    cache.set(_preview_key(user.pk, source), lines, PREVIEW_SECONDS)
    return preview


def stored_preview(user, source):
    """The lines of the last preview of this source, or None while none is ready."""
    return cache.get(_preview_key(user.pk, source))


def forget_preview(user, source):
    cache.delete(_preview_key(user.pk, source))


def _preview_key(user_id, source):
    return f"sync-preview:{user_id}:{source}"

"""What we know about a listener, kept up to date: listening snapshots, seed artists, collection.

Each listening source is one `sync_*` function (Last.fm, Spotify, ListenBrainz, Discogs):
fetch the payloads (accounts.listening), store one ListeningSnapshot per (source, period)
and, only when a payload's hash changed, rebuild that source's SeedArtist rows. A sync with
nothing new writes nothing and says so (`SyncResult.changed`), so nothing downstream is
recomputed. The Discogs collection also upserts the pressings (catalog.upsert) and the
user's CollectionItem rows; the collection CSV export does the same from a file.

    sync_source(user, source) -> SyncResult          # lastfm | spotify | listenbrainz | discogs
    connected_sources() -> list[(user_id, source)]    # what the daily fan-out syncs
    sync_lastfm / sync_spotify / sync_listenbrainz / sync_discogs(user, client=None) -> SyncResult
    preview_import(user, source) -> ImportPreview     # what a sync would change; writes nothing
    import_discogs_csv(user, data) -> CsvImportResult
    add_seed_artist(user, artist) -> SeedArtist
    remove_seed_artist(user, artist_id) -> bool
    store_payloads(user, source, payloads) -> int     # snapshots whose payload changed
    rebuild_seeds(user, source) -> SeedChanges
"""
import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from catalog.models import Album, Artist, Release, Source
from catalog.upsert import find_album, find_artist, upsert_artist, upsert_release

from recommendations.profile import MANUAL_SEED_WEIGHT, collection_weight, seed_weights

from . import listening
from .discogs_csv import parse_collection_csv
from .models import CollectionItem, ListeningSnapshot, ListeningSource, Profile, SeedArtist, payload_hash

logger = logging.getLogger(__name__)

SYNC_SOURCES = ("lastfm", "spotify", "listenbrainz", "discogs")
# The catalog source recorded on an artist first met through each listening source.
CATALOG_SOURCE = {
    ListeningSource.LASTFM: Source.LASTFM,
    ListeningSource.SPOTIFY: Source.SPOTIFY,
    ListeningSource.LISTENBRAINZ: Source.LISTENBRAINZ,
    ListeningSource.DISCOGS: Source.DISCOGS,
    ListeningSource.DISCOGS_CSV: Source.DISCOGS,
    ListeningSource.MANUAL: Source.MANUAL,
}
# Refresh a Spotify token that expires within this margin rather than fail mid-sync.
TOKEN_MARGIN = timedelta(minutes=1)


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


class SourceUnavailable(Exception):
    """The listener has not connected this source (or the site lacks its API key)."""


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
    if source in (ListeningSource.DISCOGS, ListeningSource.DISCOGS_CSV):
        counts = listening.discogs_artist_counts(payloads)
        return {key: Weighted(ref, collection_weight(owned, wanted)) for key, (ref, owned, wanted) in counts.items()}
    pairs = [pair for period, payload in payloads.items() for pair in listening.listens(source, period, payload)]
    refs = {}
    for ref, _ in pairs:
        # Keep the reference that carries ids: it finds the right artist more surely.
        if ref.key not in refs or (not any(refs[ref.key].ids.values()) and any(ref.ids.values())):
            refs[ref.key] = ref
    weights = seed_weights(listen for _, listen in pairs)
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
    return upsert_artist(ref.name, **ids, source=CATALOG_SOURCE.get(source, Source.MANUAL)).obj


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
        [SeedArtist(user=user, artist_id=r.artist_id, source=source, weight=r.weight, playcount=r.playcount) for r in by_action["add"]]
    )
    for row in by_action["update"]:
        SeedArtist.objects.filter(user=user, source=source, artist_id=row.artist_id).update(
            weight=row.weight, playcount=row.playcount
        )
    removed = [row.artist_id for row in by_action["remove"]]
    SeedArtist.objects.filter(user=user, source=source, artist_id__in=removed).delete()
    return SeedChanges(len(by_action["add"]), len(by_action["update"]), len(removed), len(by_action["keep"]))


# --- the sources ----------------------------------------------------------------------------------


def sync_source(user, source) -> SyncResult:
    syncs = {"lastfm": sync_lastfm, "spotify": sync_spotify, "listenbrainz": sync_listenbrainz, "discogs": sync_discogs}
    if source not in syncs:
        raise ValueError(f"Unknown listening source {source!r}; use one of {', '.join(SYNC_SOURCES)}")
    return syncs[source](user)


def connected_sources():
    """(user id, source) for every active user and listening source they connected."""
    from allauth.socialaccount.models import SocialAccount

    profiles = Profile.objects.filter(user__is_active=True)
    pairs = set()
    for field_name, source in (("lastfm_username", "lastfm"), ("listenbrainz_username", "listenbrainz"), ("discogs_username", "discogs")):
        pairs |= {(user_id, source) for user_id in profiles.exclude(**{field_name: ""}).values_list("user_id", flat=True)}
    accounts = SocialAccount.objects.filter(user__is_active=True, provider__in=["spotify", "discogs"])
    pairs |= set(accounts.values_list("user_id", "provider"))
    return sorted(pairs)


def _sync(user, source, client=None) -> SyncResult:
    """Fetch payloads, store the changed ones; only then rebuild what depends on them."""
    try:
        payloads = fetch_payloads(user, source, client)
    except SourceUnavailable as reason:
        return SyncResult(source, skipped=True, note=str(reason))
    changed = store_payloads(user, source, payloads)
    result = SyncResult(source, changed=bool(changed), snapshots_changed=changed)
    if changed:
        if source == ListeningSource.DISCOGS:
            store_collection(user, payloads, source)
        result.seeds = rebuild_seeds(user, source)
        _refresh_recommendations(user)
    return result


def sync_lastfm(user, client=None) -> SyncResult:
    """Top artists and albums for overall, 12 and 6 months (Profile.lastfm_username)."""
    return _sync(user, ListeningSource.LASTFM, client)


def sync_spotify(user, client=None) -> SyncResult:
    """Top artists and tracks for the long, medium and short term (allauth token)."""
    return _sync(user, ListeningSource.SPOTIFY, client)


def sync_listenbrainz(user, client=None) -> SyncResult:
    """Top artists and release groups (Profile.listenbrainz_username)."""
    return _sync(user, ListeningSource.LISTENBRAINZ, client)


def sync_discogs(user, client=None) -> SyncResult:
    """Collection and wantlist: snapshots, then pressings and collection items, then seeds."""
    return _sync(user, ListeningSource.DISCOGS, client)


def fetch_payloads(user, source, client=None) -> dict[str, dict]:
    """{period: payload} from the provider; SourceUnavailable when the user has not connected it."""
    fetchers = {
        "lastfm": _fetch_lastfm,
        "spotify": _fetch_spotify,
        "listenbrainz": _fetch_listenbrainz,
        "discogs": _fetch_discogs,
    }
    return fetchers[source](user, client)


def _fetch_lastfm(user, client):
    from integrations.lastfm import LastfmClient

    username = user.profile.lastfm_username
    if not username:
        raise SourceUnavailable("no Last.fm username on the profile")
    return listening.fetch_lastfm(client or _client_or_unavailable(LastfmClient.from_settings), username)


def _fetch_listenbrainz(user, client):
    from integrations.listenbrainz import ListenBrainzClient

    username = user.profile.listenbrainz_username
    if not username:
        raise SourceUnavailable("no ListenBrainz username on the profile")
    return listening.fetch_listenbrainz(client or ListenBrainzClient.from_settings(), username)


def _client_or_unavailable(build):
    try:
        return build()
    except ValueError as error:  # a client without its site-wide key says so with ValueError
        raise SourceUnavailable(str(error)) from error


def _social_token(user, provider):
    from allauth.socialaccount.models import SocialToken

    return SocialToken.objects.filter(account__user=user, account__provider=provider).select_related("account").first()


def _fetch_spotify(user, client):
    if client is None:
        token = _social_token(user, "spotify")
        if token is None:
            raise SourceUnavailable("Spotify is not connected (optional: Last.fm or ListenBrainz work without it)")
        client = _spotify_client(token)
    return listening.fetch_spotify(client)


def _spotify_client(token):
    from integrations.spotify import SpotifyClient

    if token.expires_at is not None and token.expires_at <= timezone.now() + TOKEN_MARGIN:
        refresh_spotify_token(token)
    return SpotifyClient(token.token, refresh=lambda: refresh_spotify_token(token))


def refresh_spotify_token(token) -> str:
    """Trade the stored refresh token for a new access token and save it on the SocialToken."""
    from integrations.spotify import SpotifyTokenRefresher

    if not token.token_secret:
        raise SourceUnavailable("the Spotify connection has no refresh token: connect Spotify again")
    fresh = _client_or_unavailable(SpotifyTokenRefresher.from_settings)(token.token_secret)
    token.token = fresh.access_token
    # Spotify may rotate the refresh token; when it does not, the old one stays valid.
    token.token_secret = fresh.refresh_token or token.token_secret
    token.expires_at = timezone.now() + timedelta(seconds=fresh.expires_in) if fresh.expires_in else None
    token.save(update_fields=["token", "token_secret", "expires_at"])
    return token.token


def _fetch_discogs(user, client):
    from integrations.discogs import DiscogsClient

    token = _social_token(user, "discogs")
    username = (token.account.extra_data or {}).get("username") if token else ""
    if token and username and client is None:
        client = DiscogsClient.for_user(token.token, token.token_secret)
    username = username or user.profile.discogs_username
    if not username:
        raise SourceUnavailable("Discogs is not connected and the profile has no Discogs username")
    return listening.fetch_discogs(client or DiscogsClient.from_settings(), username)


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
    """Link a pressing to its album by master id, else by main artist and title."""
    if entry.get("master_id"):
        album = Album.objects.filter(discogs_master_id=entry["master_id"]).first()
        if album is not None:
            return album
    ref = listening.main_artist(entry)
    artist = find_artist(ref.name, **_valid_ids(ref)) if ref else None
    return find_album(artist, entry.get("title") or "") if artist else None


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
        item.pk
        for item in CollectionItem.objects.filter(user=user, source=source)
        if (item.release_id, item.folder) not in kept
    ]
    CollectionItem.objects.filter(pk__in=stale).delete()
    return len(stale)


# --- the Discogs collection CSV export ---------------------------------------------------------------


@dataclass
class CsvImportResult:
    imported: int = 0
    not_vinyl: int = 0
    duplicates: int = 0
    errors: list = field(default_factory=list)  # [{"line": 3, "reason": "..."}]
    changed: bool = False
    seeds: SeedChanges = field(default_factory=SeedChanges)
    rows: int = 0  # imported + skipped + errors, always

    @property
    def skipped(self) -> int:
        return self.not_vinyl + self.duplicates

    def summary(self) -> str:
        return (
            f"{self.imported} vinyl record(s) imported, {self.not_vinyl} other format(s) kept as taste only, "
            f"{len(self.errors)} bad row(s)"
        )


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


def import_discogs_csv(user, data: bytes | str) -> CsvImportResult:
    """Import a Discogs collection export: good rows kept, bad rows reported by line number."""
    parsed = parse_collection_csv(data, CSV_COLUMN_LIMITS)
    payload = {"releases": [_csv_entry(row) for row in parsed.rows]}
    result = CsvImportResult(
        duplicates=parsed.duplicates, errors=[e.as_dict() for e in parsed.errors], rows=parsed.records
    )
    result.not_vinyl = sum(1 for row in parsed.rows if not row.is_vinyl)
    result.imported = len(parsed.rows) - result.not_vinyl
    source = ListeningSource.DISCOGS_CSV
    if not parsed.rows or not save_snapshot(user, source, "collection", payload):
        return result
    store_collection(user, {"collection": payload}, source)
    result.changed = True
    result.seeds = rebuild_seeds(user, source)
    _refresh_recommendations(user)
    return result


def _csv_entry(row) -> dict:
    return {
        "id": row.release_id,
        "master_id": None,
        "title": row.title,
        "year": row.year,
        "artists": [{"id": None, "name": row.artist}],
        "format": row.format,
        "is_vinyl": row.is_vinyl,
        "rating": row.rating,
        "date_added": row.added_at.isoformat() if row.added_at else None,
        "label": row.label,
        "catno": row.catalog_number,
        "thumb": "",
    }


# --- artists added by hand -------------------------------------------------------------------------


def add_seed_artist(user, artist) -> SeedArtist:
    seed, _ = SeedArtist.objects.update_or_create(
        user=user, artist=artist, source=ListeningSource.MANUAL, defaults={"weight": MANUAL_SEED_WEIGHT}
    )
    _refresh_recommendations(user)
    return seed


def remove_seed_artist(user, artist_id) -> bool:
    """Remove an artist added by hand. Artists from listening come back with the next sync:
    blocking (Profile.blocked_artists) is how a listener keeps one out."""
    deleted, _ = SeedArtist.objects.filter(user=user, artist_id=artist_id, source=ListeningSource.MANUAL).delete()
    if deleted:
        _refresh_recommendations(user)
    return bool(deleted)


def _refresh_recommendations(user):
    from recommendations.services import refresh_if_stale

    refresh_if_stale(user)


# --- preview -----------------------------------------------------------------------------------------


@dataclass
class ImportPreview:
    source: str
    rows: list[PlannedSeed] = field(default_factory=list)
    note: str = ""
    blocked: set = field(default_factory=set)
    min_playcount: int = 0

    def counts(self) -> Counter:
        return Counter(row.action for row in self.rows)

    def note_for(self, row: PlannedSeed) -> str:
        if row.artist_id is None:
            return "new to the catalog"
        if row.artist_id in self.blocked:
            return "blocked: not recommended"
        if row.playcount is not None and row.playcount < self.min_playcount:
            return f"fewer than {self.min_playcount} plays: ignored"
        return ""

    def lines(self) -> list[str]:
        if self.note:
            return [f"{self.source}: {self.note}"]
        order = {"add": 0, "update": 1, "remove": 2, "keep": 3}
        rows = sorted(self.rows, key=lambda r: (order[r.action], -r.weight, r.name))
        lines = [f"{r.action:<7} {r.weight:>8.2f}  {r.playcount if r.playcount is not None else '-':>7}  {r.name}  {self.note_for(r)}".rstrip() for r in rows]
        counts = self.counts()
        lines.append(
            f"{self.source}: {counts['add']} to add, {counts['update']} to update, "
            f"{counts['remove']} to remove, {counts['keep']} unchanged (nothing written)"
        )
        return lines


def preview_import(user, source) -> ImportPreview:
    """The artists a sync of `source` would add, update or remove, with weights; writes nothing."""
    profile = user.profile
    preview = ImportPreview(
        source, blocked=set(profile.blocked_artists.values_list("pk", flat=True)), min_playcount=profile.min_playcount
    )
    try:
        payloads = fetch_payloads(user, source)
    except SourceUnavailable as reason:
        preview.note = f"skipped ({reason})"
        return preview
    preview.rows = plan_seeds(user, source, weighted_artists(source, payloads), create=False)
    return preview

"""Recommendation sets: ask for one, generate it (the Celery task body), feedback, the grid.

The flow (docs/ARCHITECTURE.md "Recommendation flow"): listening + seeds + collection → taste
profile → candidate artists → candidate albums → explainable score → diversity re-rank →
locked items kept → backfilled to the set's size → stored with a TTL and the hash of the
inputs, so an unchanged listener gets the same set back until it expires.

Every card has a reason (scoring.has_reason): an album of the listener's artists or of an
artist theirs lead to, or, when those cannot fill the set or a dismissed one has no related
replacement left, a discovery album that plays a genre of theirs (or is on their wantlist),
scored without taste, after the related ones. Nothing else pads the set: when the related
albums run out it is shorter, and the page asks for more artists or a source.

Public API (the website codes against these):

    current_set(user) -> RecommendationSet | None
    request_generation(user, *, force=False) -> RecommendationSet
    refresh_if_stale(user) -> RecommendationSet | None
    generate_now(user, *, force=False) -> RecommendationSet   # in-process, for the command line
    generate_set(set_id) -> RecommendationSet                 # the task body
    apply_feedback(user, album_id, kind, reason="") -> dict   # {"feedback", "item", "replacement"}
    undo_feedback(user, album_id, kind) -> None
    reset_dismissals(user) -> int
    items_for_grid(recommendation_set, filters, prices=True) -> list[RecommendationItem]
    inputs_hash(user) -> str
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from accounts.filters import profile_filters
from accounts.language import override_for
from accounts.listening import album_plays
from accounts.models import CollectionItem, ListeningSnapshot, SeedArtist, payload_hash
from catalog.models import Album, Release
from integrations.queue import enqueue
from pricing.guide import suggestions
from pricing.queries import album_prices

from . import albums as album_selection, scoring, shown
from .candidates import candidate_artists
from .diversity import Ranked, diversify, pick_for_slot
from .models import Feedback, RecommendationItem, RecommendationSet
from .profile import Seed, build_profile
from .scoring import Scored, has_reason, score_album

logger = logging.getLogger(__name__)

# A set still pending or running after this long is assumed lost (a worker died) and redone.
GENERATION_STALE_AFTER = timedelta(minutes=30)
# How many similar artists the engine proposes beyond the listener's own artists.
CANDIDATE_ARTISTS = 200
# How many of the listener's own artists (strongest first) have their albums considered:
# a collection of thousands of artists must not turn into tens of thousands of candidates.
OWN_ARTISTS = 300
# Discovery albums fetched per slot of the set: room for the re-rank and for dismissals.
DISCOVERY_POOL_PER_SLOT = 5
IN_PROGRESS = (RecommendationSet.Status.PENDING, RecommendationSet.Status.RUNNING)
# Renumbering a set's items goes through positions this far up: (set, position) is unique.
POSITION_SHIFT = 10_000


# --- asking for a set -----------------------------------------------------------------------


def current_set(user):
    """The user's latest set, whatever its status; None if none was ever asked for."""
    return RecommendationSet.objects.for_user(user).order_by("-created_at", "-pk").first()


def request_generation(user, *, force=False):
    """The live set when it is fresh; else a new PENDING set whose generation is enqueued.

    Fresh means ready, not expired and computed from the same inputs (inputs_hash). A set
    already being generated from the same inputs is returned rather than started twice,
    even when forced; and a listener has at most one set waiting for a worker: asked again
    while one waits, that one is returned (it reads the inputs when it starts).
    """
    digest = inputs_hash(user)
    reusable = _reusable_set(user, digest, force) or _coalesced(user, digest)
    if reusable is not None:
        return reusable
    rec_set = _new_set(user, digest)
    transaction.on_commit(partial(_enqueue_generation, rec_set.pk))
    # Outside a transaction the (eager) task has already run: show what it did.
    rec_set.refresh_from_db()
    return rec_set


def generate_now(user, *, force=False):
    """request_generation for the command line: the generation runs here, not on a worker."""
    digest = inputs_hash(user)
    reusable = _reusable_set(user, digest, force)
    return reusable if reusable is not None else generate_set(_new_set(user, digest).pk)


def _reusable_set(user, digest, force):
    latest = current_set(user)
    if latest is None or latest.input_hash != digest:
        return None
    if _in_progress(latest) or (not force and _is_fresh(latest)):
        return latest
    return None


def _coalesced(user, digest):
    """The listener's set still waiting for a worker, now marked with the new inputs' hash
    (the generation reads the inputs when it starts); None if none waits."""
    waiting = RecommendationSet.objects.for_user(user).filter(
        status=RecommendationSet.Status.PENDING, created_at__gt=timezone.now() - GENERATION_STALE_AFTER
    )
    waiting = waiting.order_by("-created_at", "-pk").first()
    if waiting is None:
        return None
    claimed = RecommendationSet.objects.filter(pk=waiting.pk, status=RecommendationSet.Status.PENDING).update(input_hash=digest)
    waiting.input_hash = digest
    return waiting if claimed else None


def _new_set(user, digest):
    return RecommendationSet.objects.create(user=user, input_hash=digest, size=settings.RECOMMENDATION_SET_SIZE)


def refresh_if_stale(user):
    """After a listener's inputs changed: regenerate the set they already have, if it is now
    stale. A listener without any set gets one on their first visit instead."""
    latest = current_set(user)
    if latest is not None and latest.input_hash != inputs_hash(user):
        return request_generation(user)
    return latest


def _in_progress(rec_set):
    return rec_set.status in IN_PROGRESS and rec_set.created_at > timezone.now() - GENERATION_STALE_AFTER


def _is_fresh(rec_set):
    return rec_set.status == RecommendationSet.Status.READY and not rec_set.is_expired


def _enqueue_generation(set_id):
    enqueue("recommendations.generate_set", set_id)


def inputs_hash(user) -> str:
    """Hash of everything a set is computed from: listening, seeds, collection, feedback, options."""
    profile = user.profile
    inputs = {
        "snapshots": sorted(ListeningSnapshot.objects.filter(user=user).values_list("source", "period", "payload_hash")),
        "seeds": sorted(SeedArtist.objects.filter(user=user).values_list("artist_id", "source", "weight", "playcount")),
        "collection": sorted(CollectionItem.objects.filter(user=user).values_list("release_id", "folder")),
        "feedback": sorted(Feedback.objects.filter(user=user).values_list("album_id", "kind")),
        "blocked": sorted(profile.blocked_artists.values_list("pk", flat=True)),
        "options": [profile.country, profile.min_playcount, profile.min_tracks_per_album],
        # The buying filters change the prices that rank and explain the albums.
        "filters": [
            profile.min_condition,
            profile.seller_region,
            str(profile.max_shipping_eur),
            sorted(profile.excluded_sources),
            str(profile.min_seller_rating),
            profile.min_seller_ratings,
        ],
        "size": settings.RECOMMENDATION_SET_SIZE,
    }
    return payload_hash(inputs)


# --- generating a set (the task body) -------------------------------------------------------


def generate_set(set_id):
    """Compute and store the set's items, reporting progress; FAILED with the error on exception.

    Safe to run twice: only the run that moves the set from PENDING to RUNNING does the work.
    """
    claimed = RecommendationSet.objects.filter(pk=set_id, status=RecommendationSet.Status.PENDING).update(
        status=RecommendationSet.Status.RUNNING, progress=1, error=""
    )
    rec_set = RecommendationSet.objects.select_related("user__profile").get(pk=set_id)
    if not claimed:
        return rec_set
    try:
        # The reasons and explanations are stored with the items: written in the listener's language.
        with override_for(rec_set.user):
            _generate(rec_set)
    except Exception as error:  # the set must never stay RUNNING: record any failure on it
        logger.exception("Recommendation set %s failed", set_id)
        _report(rec_set, status=RecommendationSet.Status.FAILED, error=f"{type(error).__name__}: {error}")
    rec_set.refresh_from_db()
    return rec_set


def _report(rec_set, **fields):
    RecommendationSet.objects.filter(pk=rec_set.pk).update(**fields)


def _generate(rec_set):
    listener = load_listener(rec_set.user)
    _report(rec_set, progress=10)
    ranking = rank_albums(listener, progress=partial(_progress, rec_set))
    locked = _locked(listener, ranking, rec_set)
    _report(rec_set, progress=80)
    ordered = arrange(ranking.scored, locked, rec_set.size)
    if len(ordered) < rec_set.size:
        # The related albums (or the artist rule) leave slots: discovery albums may take them.
        ranking.discovered = discover(listener, ranking, rec_set.size)
        ordered = arrange(ranking.scored, locked, rec_set.size, discovered=ranking.discovered)
    ordered = album_selection.with_price_details(ordered, listener.buying_filters)
    suggested = album_selection.suggested_releases([s.facts.album_id for s in ordered], listener.buying_filters)
    _report(rec_set, progress=90)
    _store(rec_set, ordered, suggested)


def _progress(rec_set, percent):
    _report(rec_set, progress=percent)


def load_listener(user) -> album_selection.Listener:
    profile = user.profile
    blocked = frozenset(profile.blocked_artists.values_list("pk", flat=True))
    seeds = [Seed(*row) for row in SeedArtist.objects.filter(user=user).values_list("artist_id", "source", "weight", "playcount")]
    payloads = ListeningSnapshot.objects.filter(user=user).values_list("payload", flat=True)
    return album_selection.Listener(
        user_id=user.pk,
        country=profile.country,
        min_tracks=profile.min_tracks_per_album,
        profile=build_profile(seeds, min_playcount=profile.min_playcount, blocked=blocked),
        blocked=blocked,
        album_plays=album_plays(payloads),
        filters=profile_filters(profile),
    )


@dataclass
class Ranking:
    leads: dict
    scored: list[Scored]
    discovered: list[Scored] = field(default_factory=list)


def rank_albums(listener, progress=lambda percent: None) -> Ranking:
    """Every related candidate album for the listener, scored, best first (discovery albums
    are `discover`ed only when these cannot fill the set)."""
    leads = candidate_artists(listener.profile, exclude=listener.blocked, k=CANDIDATE_ARTISTS)
    progress(30)
    own = sorted(listener.profile.artists.values(), key=lambda taste: -taste.weight)[:OWN_ARTISTS]
    artist_ids = (set(leads) | {taste.artist_id for taste in own}) - listener.blocked
    albums = album_selection.candidate_albums(listener, artist_ids)
    facts = album_selection.gather_facts(albums, listener, leads)
    progress(55)
    ranking = Ranking(leads, with_reasons(facts))
    progress(70)
    return ranking


def discover(listener, ranking, size) -> list[Scored]:
    """Discovery albums for a set of `size`, scored, best first. Nothing for a listener without
    any taste yet: the page asks them for their artists instead."""
    if not listener.profile:
        return []
    albums = album_selection.discovery_albums(listener, list(ranking.leads), DISCOVERY_POOL_PER_SLOT * size)
    return with_reasons(album_selection.discovery_facts(albums, listener))


def with_reasons(facts) -> list[Scored]:
    """The albums that have a reason to be shown and score above 0, scored, best first."""
    scored = (score_album(f) for f in facts if has_reason(f))
    return sorted((s for s in scored if s.score > 0), key=_best_first)


def _best_first(scored: Scored):
    return (-scored.score, scored.facts.album_id)


def _locked(listener, ranking, rec_set) -> dict[int, tuple[int, Scored]]:
    """Locked albums that may still appear: album id → (the position it had last time, scored)."""
    albums = list(album_selection.locked_albums(listener))
    previous = _previous_positions(listener.user_id, [album.pk for album in albums], rec_set.pk)
    related = [album for album in albums if _is_related(listener, ranking, album.artist_id)]
    outside = [album for album in albums if not _is_related(listener, ranking, album.artist_id)]
    facts = album_selection.gather_facts(related, listener, ranking.leads) + album_selection.discovery_facts(outside, listener)
    scored = [score_album(replace(f, locked=True)) for f in facts]
    # A lock with no earlier position (locked from the album page) goes to the top.
    return {s.facts.album_id: (previous.get(s.facts.album_id, 1), s) for s in scored}


def _is_related(listener, ranking, artist_id) -> bool:
    return artist_id in listener.profile.artists or artist_id in ranking.leads


def _previous_positions(user_id, album_ids, exclude_set_id) -> dict[int, int]:
    items = (
        RecommendationItem.objects.filter(set__user_id=user_id, album_id__in=album_ids)
        .exclude(set_id=exclude_set_id)
        .order_by("album_id", "-set__created_at", "-set_id")
    )
    positions = {}
    for album_id, position in items.values_list("album_id", "position"):
        positions.setdefault(album_id, position)
    return positions


def arrange(scored: list[Scored], locked: dict, size: int, discovered: Sequence[Scored] = ()) -> list[Scored]:
    """Diversity re-rank of the pool around the locked items, cut to `size`; discovery
    albums only fill the slots the related ones cannot."""
    by_album = {s.facts.album_id: s for s in (*scored, *discovered)}
    by_album.update({album_id: s for album_id, (_, s) in locked.items()})
    pinned = {}
    for _album_id, (locked_at, s) in sorted(locked.items(), key=lambda entry: entry[1][0]):
        position = locked_at
        while position in pinned:
            position += 1
        pinned[position] = _ranked(s)
    ordered = diversify([_ranked(s) for s in scored], size, pinned=pinned, backfill=[_ranked(s) for s in discovered])
    return [by_album[item.key] for item in ordered]


def _ranked(scored: Scored) -> Ranked:
    return Ranked(scored.facts.album_id, scored.facts.artist_id, scored.score, scored.facts.genres)


def _item(rec_set, position, scored: Scored, suggested) -> RecommendationItem:
    return RecommendationItem(
        set=rec_set,
        position=position,
        album_id=scored.facts.album_id,
        score=scored.score,
        breakdown=scored.breakdown,
        explanation=scored.explanation,
        reason=scored.reason,
        via=list(scored.via),
        facts=scoring.facts_to_data(scored.facts),
        suggested_release_id=suggested.get(scored.facts.album_id),
    )


def _store(rec_set, ordered, suggested):
    now = timezone.now()
    items = [_item(rec_set, position, s, suggested) for position, s in enumerate(ordered, start=1)]
    with transaction.atomic():
        # The set row first, then its items: a dismissal's backfill locks them in that order too.
        _report(
            rec_set,
            status=RecommendationSet.Status.READY,
            progress=100,
            error="",
            language=translation.get_language() or settings.LANGUAGE_CODE,
            generated_at=now,
            expires_at=now + timedelta(hours=settings.RECOMMENDATION_TTL_HOURS),
            shown_version=F("shown_version") + 1,
        )
        rec_set.items.all().delete()
        RecommendationItem.objects.bulk_create(items)


# --- feedback ---------------------------------------------------------------------------------


def apply_feedback(user, album_id, kind, reason=""):
    """Record lock, dismiss or wantlist (idempotent). A dismissed item leaves the current set
    and the best remaining candidate takes its position.

    Returns {"feedback": Feedback, "item": the album's item in the current set (for a dismiss,
    the removed item, unsaved) or None, "replacement": the new item or None}.
    Raises Album.DoesNotExist for an album not in the catalog, ValueError for an unknown kind.
    """
    album = Album.objects.get(pk=album_id)
    if kind not in Feedback.Kind.values:
        raise ValueError(f"Unknown feedback kind {kind!r}")
    before = inputs_hash(user)
    with transaction.atomic():
        feedback, _ = Feedback.objects.get_or_create(user=user, album=album, kind=kind, defaults={"reason": reason})
        if reason and feedback.reason != reason:
            feedback.reason = reason
            feedback.save(update_fields=["reason"])
        rec_set = current_set(user)
        item = _item_of(rec_set, album)
        replacement = _dismiss(user, rec_set, item) if kind == Feedback.Kind.DISMISS and item else None
    if kind in (Feedback.Kind.LOCK, Feedback.Kind.DISMISS):
        _restamp(user, rec_set, before)
    return {"feedback": feedback, "item": item, "replacement": replacement}


def _item_of(rec_set, album):
    if rec_set is None or rec_set.status != RecommendationSet.Status.READY:
        return None
    return rec_set.items.select_related("album__artist").filter(album=album).first()


def _restamp(user, rec_set, before):
    """The set already shows this change (the lock is in it, the dismissed album is gone):
    keep it fresh instead of regenerating it on the next visit."""
    if rec_set is not None and rec_set.status == RecommendationSet.Status.READY and rec_set.input_hash == before:
        _report(rec_set, input_hash=inputs_hash(user))


def _dismiss(user, rec_set, item):
    """Remove the item and backfill its position with the best candidate not in the set
    that the artist rule allows there, a discovery album once no related one is left; with
    none, the cards after it move up."""
    listener = load_listener(user)
    ranking = rank_albums(listener)
    others = list(rec_set.items.exclude(pk=item.pk).select_related("album"))
    in_set = {other.album_id for other in others} | {item.album_id}
    genres = {s.facts.album_id: s.facts.genres for s in ranking.scored}
    around = {other.position: _as_ranked(other, genres) for other in others}
    choice = _replacement_for(item, around, in_set, ranking.scored)
    if choice is None:
        choice = _replacement_for(item, around, in_set, discover(listener, ranking, rec_set.size))
    shown.set_changed(rec_set.pk)  # before the items: the set row, then its items, as generation
    item.delete()
    if choice is None:
        _close_gap(others, genres)
        return None
    [choice] = album_selection.with_price_details([choice], listener.buying_filters)
    suggested = album_selection.suggested_releases([choice.facts.album_id], listener.buying_filters)
    # Its sentences in the language the set's other items were written in (in_language).
    with translation.override(rec_set.language or settings.LANGUAGE_CODE):
        replacement = _item(rec_set, item.position, choice, suggested)
    replacement.save()
    return replacement


def _as_ranked(item: RecommendationItem, genres) -> Ranked:
    return Ranked(item.album_id, item.album.artist_id, item.score, genres.get(item.album_id, frozenset()))


def _replacement_for(item, others: dict[int, Ranked], in_set, candidates: list[Scored]) -> Scored | None:
    """The candidate the re-rank would put at the item's position, given the set's other
    items (by position)."""
    before = [other for position, other in sorted(others.items()) if position < item.position]
    after = {position: other for position, other in others.items() if position > item.position}
    pool = [_ranked(s) for s in candidates if s.facts.album_id not in in_set]
    choice = pick_for_slot(pool, before, item.position, after)
    return None if choice is None else next(s for s in candidates if s.facts.album_id == choice.key)


def _close_gap(items: list[RecommendationItem], genres) -> None:
    """The items moved up into consecutive positions by the re-rank, every one pinned where it
    is: an item the artist rule no longer allows anywhere in the set leaves it."""
    by_album = {item.album_id: item for item in items}
    order = diversify([], len(items), pinned={item.position: _as_ranked(item, genres) for item in items})
    kept = [by_album[ranked.key] for ranked in order]
    RecommendationItem.objects.filter(pk__in=[item.pk for item in items if item not in kept]).delete()
    for position, item in enumerate(kept, start=1):
        item.position = POSITION_SHIFT + position  # clear of every current position first
    RecommendationItem.objects.bulk_update(kept, ["position"])
    for item in kept:
        item.position -= POSITION_SHIFT
    RecommendationItem.objects.bulk_update(kept, ["position"])


def undo_feedback(user, album_id, kind) -> None:
    """Take back a lock, dismissal or wantlist mark (nothing happens if there was none)."""
    before = inputs_hash(user)
    Feedback.objects.filter(user=user, album_id=album_id, kind=kind).delete()
    if kind == Feedback.Kind.LOCK:
        _restamp(user, current_set(user), before)


def reset_dismissals(user) -> int:
    """Every dismissed album may be recommended again (from the next generation on)."""
    count, _ = Feedback.objects.filter(user=user, kind=Feedback.Kind.DISMISS).delete()
    return count


# --- the grid ---------------------------------------------------------------------------------


# What a card (and /api/recs) reads of an item, its album and artist: a grid builds 24 of each.
GRID_FIELDS = (
    "id",
    "set_id",
    "position",
    "album_id",
    "score",
    "breakdown",
    "explanation",
    "reason",
    "via",
    "facts",
    "suggested_release_id",
    "album__id",
    "album__title",
    "album__cover_url",
    "album__genre",
    "album__first_release_year",
    "album__artist_id",
    "album__prices_changed_at",
    "album__spotify_id",
    "album__discogs_master_id",
    "album__artist__id",
    "album__artist__name",
    "album__all_versions_read_at",
)


def items_for_grid(recommendation_set, filters, prices=True):
    """The set's items for display, in one query whatever their number (three with `prices`).

    `filters` are the listener's BuyingFilters (BuyingFilters(country) for the defaults there).
    Each item gets `pressing_count` (vinyl pressings of the album), `is_locked`,
    `is_wantlisted`, and, unless `prices` is False (the grid prices only the cards it has not
    cached, attach_prices), `best_price` (its best landed offer passing the filters, or None)
    and `from_price` (its cheapest item-only quote, "from €X + shipping", or None).
    """
    user_id = recommendation_set.user_id
    items = (
        recommendation_set.items.select_related("album__artist")
        .only(*GRID_FIELDS)
        .annotate(
            pressing_count=Coalesce(Subquery(_pressing_counts()), 0),
            is_locked=_feedback_exists(user_id, Feedback.Kind.LOCK),
            wantlisted_here=_feedback_exists(user_id, Feedback.Kind.WANTLIST),
            on_discogs_wantlist=Exists(
                CollectionItem.objects.filter(
                    user_id=user_id, folder=CollectionItem.Folder.WANTLIST, release__album=OuterRef("album")
                )
            ),
        )
        .order_by("position")
    )
    items = in_language(recommendation_set, list(items))
    for item in items:
        item.is_wantlisted = item.wantlisted_here or item.on_discogs_wantlist
    if prices:
        attach_prices(items, filters)
    return items


def in_language(recommendation_set, items, language=None):
    """The items with their reason and explanation in the reader's language: as stored when
    the set was written in it, else written again from the facts stored with each item (an
    item stored before its facts were kept keeps its sentences)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if not recommendation_set.language or recommendation_set.language == language:
        return items
    with translation.override(language):
        for item in items:
            if item.facts:
                facts = scoring.facts_from_data(item.facts)
                item.reason, item.explanation = scoring.reason(facts), scoring.explain(facts)
    return items


def attach_prices(items, filters):
    """Give each item its album's `best_price`, `from_price` and `last_seen_price` (an item price
    too old to act on) and its `suggested_pressing` (a pricing.guide Pick or None) under the
    filters (six queries, seven when an album has neither an offer nor an original)."""
    prices = album_prices([item.album_id for item in items], filters)
    picks = suggestions([item.album_id for item in items], filters)
    for item in items:
        price = prices[item.album_id]
        item.best_price, item.from_price, item.last_seen_price = price.best, price.from_quote, price.last_seen
        # The suggested pressing (pricing.guide): the card's price is its offer when it has one.
        item.suggested_pressing = picks.get(item.album_id)
        if item.suggested_pressing is not None and item.suggested_pressing.quote is not None:
            item.best_price = item.suggested_pressing.quote
    return items


def _pressing_counts():
    return Release.objects.filter(album=OuterRef("album")).order_by().values("album").annotate(count=Count("pk")).values("count")


def _feedback_exists(user_id, kind):
    return Exists(Feedback.objects.filter(user_id=user_id, kind=kind, album=OuterRef("album")))

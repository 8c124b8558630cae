"""When what a set's grid shows changes, the set's `shown_version` moves.

The grid is cached whole under the set's version (recommendations.views), so a page view
reads no item, flag or price. That only holds if every change to what the grid shows moves
the version. A grid shows:

- the set's items: stored by generation (`services._store`, in the same UPDATE that readies
  the set) and replaced by a dismissal's backfill (`services._dismiss`);
- the listener's locks and wantlist marks, here and on Discogs: the receivers of Feedback and
  CollectionItem saves and deletes (recommendations.receivers), whoever writes them, and the
  admin's bulk re-kinding, which saves no instance;
- each album's price: `pricing.signals.best_prices_changed`, sent wherever best prices are
  recomputed (after each price batch and by the nightly check);
- each album's pressing count: `catalog.signals.pressings_added`.

Other catalog corrections (a cover found, a year corrected, a pressing merged away) send no
signal: a cached grid lives GRID_TTL at most, and its cards, keyed on every field they show,
are read again then.

Each bump runs in the writer's transaction, so the version commits with what it describes:
a page that read the old version either reads the old rows too or caches the new ones under
a version nobody asks for again. Sets are locked in id order by every bump over several of
them, so two bumps (a price batch and a listener's lock) never deadlock on each other.
"""

from django.db import transaction
from django.db.models import F

from .models import RecommendationItem, RecommendationSet


def _bump(sets) -> int:
    """Move the version of the sets of this queryset; returns how many."""
    with transaction.atomic():
        ids = list(sets.order_by("pk").select_for_update().values_list("pk", flat=True))
        if ids:
            RecommendationSet.objects.filter(pk__in=ids).update(shown_version=F("shown_version") + 1)
    return len(ids)


def set_changed(set_id) -> None:
    """The set's items changed (one row: nothing to order)."""
    RecommendationSet.objects.filter(pk=set_id).update(shown_version=F("shown_version") + 1)


def listeners_changed(user_ids) -> int:
    """These listeners' locks or wantlists changed: every set of theirs shows them."""
    return _bump(RecommendationSet.objects.filter(user_id__in=list(user_ids)))


def albums_changed(album_ids) -> int:
    """These albums' prices or pressings changed: the ready sets showing them."""
    album_ids = list(album_ids)
    if not album_ids:
        return 0
    showing = RecommendationItem.objects.filter(album_id__in=album_ids).values("set_id")
    return _bump(RecommendationSet.objects.filter(pk__in=showing, status=RecommendationSet.Status.READY))

"""What a listener's collection is worth: each record at the usual price of its pressing, the
total, a point per week (kept from the first week on) and the biggest movers; beside it Discogs'
own estimate when the listener connected their Discogs account.

A record's value is the one usual-price rule of the deal score (pricing.usual, over pricing.deals): the
median landed price of that pressing's distinct offers to the listener's country over the last
180 days, at least 3 of them; the collection (OAuth sync or CSV import) does not keep a record's
condition yet, so every record is valued at its pressing's median in any condition. A record
without enough offers has no value and is counted as not valued, never guessed. Sample offers
(the offline demo's) value a record only when real ones are too few, and the page says so.

Discogs' estimate (`GET /users/{username}/collection/value`, its marketplace sales, item prices
in the account's currency) is read by the weekly task, never during a request, converted to EUR
with the ECB rates and kept on the week's point.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from integrations.discogs import DiscogsClient
from integrations.errors import ApiError
from pricing.currency import MissingRate, to_eur
from pricing.models import CollectionValuePoint
from pricing.services import rates_on
from pricing.usual import usual_prices

from .models import CollectionItem
from .sources.spotify import social_token

MOVERS = 5


@dataclass
class RecordValue:
    item: CollectionItem  # with release, album and artist
    usual: object  # pricing.deals.Usual or None

    @property
    def eur(self):
        return self.usual.eur if self.usual else None


@dataclass
class Mover:
    item: CollectionItem
    before_eur: Decimal
    now_eur: Decimal

    @property
    def change_eur(self):
        return self.now_eur - self.before_eur


@dataclass
class CollectionValue:
    country: str
    records: list  # RecordValue, most valuable first, then those without a value
    total_eur: Decimal
    history: list = field(default_factory=list)  # CollectionValuePoint, oldest first
    movers: list = field(default_factory=list)  # Mover, largest change first
    discogs: CollectionValuePoint | None = None  # the newest point with Discogs' estimate

    @property
    def valued(self):
        return sum(record.usual is not None for record in self.records)

    @property
    def sample(self):
        """Records valued from sample prices (the demo's), never observed."""
        return sum(bool(record.usual and record.usual.sample) for record in self.records)


def week_of(day):
    """The Monday of `day`'s week: a point's key."""
    return day - timedelta(days=day.weekday())


def record_values(user, country, now=None):
    """Each record of the listener's collection with its usual price (or None), most valuable first."""
    items = list(
        CollectionItem.objects.filter(user=user, folder=CollectionItem.Folder.COLLECTION).select_related("release__album__artist")
    )
    usual = usual_prices([(item.release_id, item.release.album_id, "") for item in items], country, now)
    records = [RecordValue(item, usual[(item.release_id, "")]) for item in items]
    return sorted(records, key=lambda r: (r.eur is None, -(r.eur or 0), r.item.release.title.lower()))


def collection_value(user, country, now=None):
    """The listener's collection value now, its weekly history and the biggest movers since the
    newest point of an earlier week."""
    now = now or timezone.now()
    records = record_values(user, country, now)
    history = list(CollectionValuePoint.objects.filter(user=user).order_by("week"))
    earlier = [point for point in history if point.week < week_of(timezone.localdate(now))]
    return CollectionValue(
        country=country,
        records=records,
        total_eur=sum((record.eur for record in records if record.eur is not None), Decimal("0")),
        history=history,
        movers=_movers(records, earlier[-1]) if earlier else [],
        discogs=next((point for point in reversed(history) if point.discogs_median_eur is not None), None),
    )


def _movers(records, before):
    """The records whose value changed most since `before` (both valued)."""
    moved = []
    for record in records:
        then = before.values.get(str(record.item.pk))
        if record.eur is not None and then is not None and Decimal(then) != record.eur:
            moved.append(Mover(record.item, Decimal(then), record.eur))
    return sorted(moved, key=lambda m: (-abs(m.change_eur), m.item.pk))[:MOVERS]


def record_week(user, country, client=None, now=None):
    """Write (or rewrite) this week's point: our value, and Discogs' estimate when connected."""
    now = now or timezone.now()
    value = collection_value(user, country, now)
    fields = {
        "total_eur": value.total_eur,
        "records": len(value.records),
        "valued": value.valued,
        "sample": value.sample,
        "values": {str(r.item.pk): str(r.eur) for r in value.records if r.eur is not None},
    }
    fields.update(discogs_estimate(user, client, now))
    point, _created = CollectionValuePoint.objects.update_or_create(
        user=user, week=week_of(timezone.localdate(now)), defaults=fields
    )
    return point


def discogs_estimate(user, client=None, now=None):
    """The point's Discogs fields: the estimate in EUR when the account is connected and Discogs
    answered; the reason in plain words when it did not; nothing when not connected."""
    token = social_token(user, "discogs")
    username = (token.account.extra_data or {}).get("username") if token else ""
    if not username:
        return {}
    client = client or DiscogsClient.for_user(token.token, token.token_secret)
    try:
        estimate = client.collection_value(username)
        rates = rates_on(timezone.localdate(now))
        amounts = {key: to_eur(money.amount, money.currency, rates) if money else None for key, money in _parts(estimate)}
    except ApiError as error:  # the kind for the admin; the page says it in the reader's words
        return {"discogs_error": error.kind}
    except MissingRate as error:
        return {"discogs_error": f"no exchange rate for {error.currency}"}
    return {f"discogs_{key}_eur": amount for key, amount in amounts.items()} | {"discogs_error": ""}


def _parts(estimate):
    return (("minimum", estimate.minimum), ("median", estimate.median), ("maximum", estimate.maximum))


def collectors():
    """The active listeners with at least one record in their collection (the weekly task's)."""
    items = CollectionItem.objects.filter(folder=CollectionItem.Folder.COLLECTION, user__is_active=True)
    return list(items.values_list("user_id", flat=True).distinct().order_by("user_id"))

"""Which offers a watch fires on, and firing each offer once per price.

A watch matches current landed quotes of its album that ship to the listener's country, pass
the listener's buying filters (pricing.filters, the one filter rule) with the watch's own
overrides (seller rating and number of ratings too), fall within its pressing restrictions, cost
at most its threshold and, when it asks for one, are rated at least its deal level. It fires for
an offer (store, offer_key, destination) it never fired on, or that is now cheaper than when it
last fired: a WatchMatch row per offer holds that price, claimed with a conditional UPDATE (or
an INSERT under its unique constraint), so two evaluations never fire one offer twice.
"""

from dataclasses import replace
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.filters import buying_filters
from catalog.models import Edition
from pricing.deals import at_least, deals_for
from pricing.filters import filter_quotes
from pricing.models import PriceQuote

from . import describe, notify
from .models import Notification, Watch, WatchMatch

# The watch targets that name an edition (catalog.editions marks each pressing's).
EDITION_OF_TARGET = {Watch.Pressings.ORIGINALS: Edition.ORIGINAL, Watch.Pressings.REMASTER: Edition.REMASTER}


def watch_filters(watch):
    """The listener's buying filters with the watch's own overrides."""
    filters = buying_filters(watch.user)
    overrides = {
        "min_condition": watch.min_condition or None,
        "seller_region": watch.seller_region or None,
        "max_shipping_eur": watch.max_shipping_eur,
        "min_seller_rating": watch.min_seller_rating,
        "min_seller_ratings": watch.min_seller_ratings,
    }
    return replace(filters, **{name: value for name, value in overrides.items() if value is not None})


def restricted(quotes, watch):
    """Only the pressings the watch names: originals or remasters, some releases, a country, a
    year range. An offer on no pressing (an eBay listing that does not say) passes none of them."""
    if watch.pressing_target in EDITION_OF_TARGET:
        quotes = quotes.filter(release__edition=EDITION_OF_TARGET[watch.pressing_target])
    release_ids = [release.pk for release in watch.releases.all()]
    if release_ids:
        quotes = quotes.filter(release__in=release_ids)
    if watch.pressing_country:
        quotes = quotes.filter(release__country__iexact=watch.pressing_country)
    if watch.year_from:
        quotes = quotes.filter(release__year__gte=watch.year_from)
    if watch.year_to:
        quotes = quotes.filter(release__year__lte=watch.year_to)
    return quotes


def matching_quotes(watch):
    """Current landed quotes the watch accepts, at or below its threshold."""
    quotes = filter_quotes(PriceQuote.objects.filter(album_id=watch.album_id), watch_filters(watch))
    return restricted(quotes, watch).filter(total_eur__lte=watch.max_total_eur)


def quotes_to_fire(watch):
    """Matching quotes of offers never fired on at this price or lower (one query), rated at
    least the watch's deal level when it asks for one (pricing.deals, two more)."""
    fired = WatchMatch.objects.filter(
        watch=watch,
        store=OuterRef("store"),
        offer_key=OuterRef("offer_key"),
        ships_to=OuterRef("ships_to"),
        total_eur__lte=OuterRef("total_eur"),
    )
    quotes = list(matching_quotes(watch).exclude(Exists(fired)).select_related("store", "release", "album__artist"))
    return good_enough_deals(quotes, watch.min_deal_level) if watch.min_deal_level else quotes


def good_enough_deals(quotes, floor):
    """The quotes whose deal level is `floor` or better; one without a usual price has no level."""
    judged = deals_for(quotes)
    return [quote for quote in quotes if judged.get(quote.pk) and at_least(judged[quote.pk].level, floor)]


def claim_offer(watch, quote):
    """True for the one evaluation that may fire this watch on this offer at this price."""
    offer = {"watch": watch, "store_id": quote.store_id, "offer_key": quote.offer_key, "ships_to": quote.ships_to}
    cheaper = WatchMatch.objects.filter(**offer, total_eur__gt=quote.total_eur)
    if cheaper.update(total_eur=quote.total_eur, quote=quote, fired_at=timezone.now()):
        return True
    try:
        with transaction.atomic():
            WatchMatch.objects.create(**offer, total_eur=quote.total_eur, quote=quote)
    except IntegrityError:
        return False  # fired on already at this price or lower
    return True


def evaluate_watch(watch):
    """Fire the watch on each new or cheaper matching offer; returns the notifications made."""
    fired = []
    for quote in quotes_to_fire(watch):
        if claim_offer(watch, quote):
            fired.append(
                notify.create(
                    watch.user,
                    Notification.Kind.PRICE,
                    quote.album,
                    partial(describe.offer_sentence, quote),
                    release=quote.release,
                    watch=watch,
                    quote=quote,
                    url=quote.url,
                    facts=describe.offer_facts(quote),
                )
            )
    return fired


def save_watch(form, user, album):
    """Save a valid WatchForm as the listener's watch of the album (new, or their watch of it
    changed and active again) and fire it at once on what is already on offer. The album page,
    card, wantlist and the JSON API all save through here, after the one form's validation.
    Returns the watch and the notifications fired."""
    watch = form.save(commit=False)
    watch.user, watch.album, watch.is_active = user, album, True
    watch.save()
    form.save_m2m()
    return watch, evaluate_watch(watch)


def evaluate_albums(album_ids):
    """Evaluate every active watch on these albums (after their quotes changed)."""
    watches = Watch.objects.active().filter(album_id__in=album_ids).select_related("user__profile")
    return [n for watch in watches.prefetch_related("releases") for n in evaluate_watch(watch)]

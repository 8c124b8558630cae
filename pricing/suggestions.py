"""Discogs' price suggestions, the deal score's second basis (pricing.deals), read with the site's account.

`GET /marketplace/price_suggestions/{release_id}` needs an authenticated account whose seller
settings are filled in: an anonymous site asks nothing (the client refuses without sending).
They are asked during an album's price refresh, on the discogs queue, through the client's rate
limiter and inside the daily Discogs budget the refresh belongs to (pricing.schedule), never in
a web request; only for pressings whose current real landed offers have no usual price of our
own, the most wanted SUGGESTIONS_PER_REFRESH of them, and a pressing asked within
SUGGESTION_FRESH_DAYS is not asked again. The suggestions are item prices in the account's
currency, kept in EUR per condition (PriceSuggestion).
"""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from catalog.models import Release
from integrations import clients
from integrations.errors import ApiError
from integrations.runs import note_error

from .currency import MissingRate, to_eur
from .deals import deals_for
from .models import PriceQuote, PriceSuggestion
from .offers import condition_code

SUGGESTIONS_PER_REFRESH = 3
SUGGESTION_FRESH_DAYS = 30


def refresh_price_suggestions(album, rates, client=None, now=None):
    """Ask Discogs for the suggestions of the album's pressings that need one; returns how many
    (pressing, condition) prices were saved. A permanent error (no seller settings, a pressing
    Discogs lacks) is noted and skipped; a transient one is raised for the task to retry."""
    client = client or clients.discogs()
    if not client.authenticated:
        return 0
    now = now or timezone.now()
    saved = 0
    for release in pressings_wanting_suggestions(album, now):
        try:
            suggestions = client.price_suggestions(release.discogs_id)
        except ApiError as error:
            if not error.permanent:
                raise
            note_error(f"Release {release.pk}: price suggestions: {error}")
            continue
        saved += save_suggestions(release, suggestions, rates, now)
    return saved


def pressings_wanting_suggestions(album, now=None):
    """The album's most wanted pressings whose current real landed offers have no usual price of
    our own and whose suggestions were not asked lately."""
    now = now or timezone.now()
    quotes = list(PriceQuote.objects.current().landed().filter(album=album, sample=False, release__isnull=False))
    judged = deals_for(quotes, now)
    fresh = PriceSuggestion.objects.filter(release__album=album, fetched_at__gte=now - timedelta(days=SUGGESTION_FRESH_DAYS))
    wanting = {q.release_id for q in quotes if judged.get(q.pk) is None} - set(fresh.values_list("release_id", flat=True))
    pressings = Release.objects.filter(pk__in=wanting)
    return list(pressings.order_by(F("want").desc(nulls_last=True), "pk")[:SUGGESTIONS_PER_REFRESH])


def save_suggestions(release, suggestions, rates, now=None):
    """Keep Discogs' {"Very Good Plus (VG+)": Money} answer in EUR per condition code; a grade we
    do not know or a currency without an ECB rate is left out, never guessed."""
    saved = 0
    for words, price in suggestions.items():
        code = condition_code(words)
        try:
            item = to_eur(price.amount, price.currency, rates)
        except MissingRate:
            continue
        if code:
            PriceSuggestion.objects.update_or_create(
                release=release, condition=code, defaults={"item_eur": item, "fetched_at": now or timezone.now()}
            )
            saved += 1
    return saved

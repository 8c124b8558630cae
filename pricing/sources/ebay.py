"""eBay Browse: fixed-price vinyl listings from EU sellers that ship to each destination.

One search per album and destination country; the answer states each listing's price and its
shipping to that country, so these quotes are landed totals.

Each listing is then put on its pressing when it says enough (pricing.pressing_match): from
its title, and for a listing whose title leaves the pressing unsure, from its item specifics
too (getItem). Those calls share eBay's daily Browse quota with the searches, so an album's
refresh makes at most DETAIL_CALLS_PER_ALBUM of them, none once the day's calls pass
DETAIL_BUDGET_SHARE of the budget (the searches keep the rest), and none for an item whose
specifics a stored quote already read. Below the threshold an offer stays the album's.
"""

import re

from django.conf import settings

from catalog.normalize import normalize_artist_name, normalize_title
from integrations import clients, ratelimit
from integrations.errors import ApiError
from integrations.runs import note_error, record_permanent_error

from ..models import PriceQuote
from ..offers import Offer, record_or_keep_error
from ..pressing_match import aspects_text, match_listing, tokens
from .base import PriceSource

# getItem calls one album's refresh may make (each listing once, across its destinations).
DETAIL_CALLS_PER_ALBUM = 5
# No getItem once the day's eBay calls pass this share of the daily budget.
DETAIL_BUDGET_SHARE = 0.5

# eBay condition names → our conditions.
EBAY_CONDITIONS = {"new": PriceQuote.Condition.NEW, "used": PriceQuote.Condition.USED, "pre-owned": PriceQuote.Condition.USED}


class EbayListings(PriceSource):
    name = "ebay"
    provider = "ebay"
    label = "eBay"
    store_name = "eBay"
    settings_keys = ("EBAY_CLIENT_ID", "EBAY_CLIENT_SECRET")
    website = "https://www.ebay.es/"
    queue = "ebay"
    optional = True
    csp_hosts = {"img-src": ["https://i.ebayimg.com"]}  # listing pictures
    offers_template = "pricing/offers/_ebay.html"
    empty_text = "No eBay offer known yet."

    def refresh(self, album, destinations, rates):
        client, store = clients.ebay(), self.store()
        pressings = ListingPressings(album, client, store)
        return sum(price_in(album, country, client, store, rates, pressings) for country in destinations)

    def calls_per_refresh(self, pressings, empty, tier, countries):
        """One search per destination, and at most DETAIL_CALLS_PER_ALBUM getItem calls."""
        return len(countries) + DETAIL_CALLS_PER_ALBUM

    def ping(self):
        return clients.ebay().ping()


def price_in(album, country, client, store, rates, pressings=None):
    """The album's matching listings shipping to `country`; returns how many were recorded."""
    try:
        offers = client.search_offers(album.artist.name, album.title, country=country)
    except ApiError as error:
        record_permanent_error(album, error)
        return 0
    pressings = pressings or ListingPressings(album, client, store)
    matching = [offer for offer in offers if offer_matches(album.artist.name, album.title, offer.title)]
    return sum(record_listing(album, store, offer, country, rates, pressings.of(offer)) for offer in matching)


def offer_key(ebay_offer):
    return f"item:{ebay_offer.item_id}"


def record_listing(album, store, ebay_offer, country, rates, match=None):
    """Record one listing; `match` (release, confidence, source, evidence) puts it on its pressing."""
    release, confidence, source, evidence = match or (None, None, "", ())
    shipping = ebay_offer.shipping
    same_currency = shipping is not None and shipping.currency == ebay_offer.price.currency
    offer = Offer(
        album=album,
        store=store,
        offer_key=offer_key(ebay_offer),
        ships_to=country,
        currency=ebay_offer.price.currency,
        amount=ebay_offer.price.amount,
        shipping=shipping.amount if same_currency else None,
        condition=EBAY_CONDITIONS.get(ebay_offer.condition.strip().lower(), ""),
        seller=ebay_offer.seller,
        seller_rating=ebay_offer.seller_rating,
        seller_ratings_count=ebay_offer.seller_ratings,
        item_location=ebay_offer.item_country,
        title=ebay_offer.title,
        url=ebay_offer.url,
        release=release,
        match_confidence=confidence,
        match_source=source,
        match_evidence=tuple(evidence),
    )
    return int(record_or_keep_error(offer, rates, album) is not None)


class ListingPressings:
    """Which pressing of one album each of its eBay listings is, for one refresh: each listing
    is matched once (it shows up in every destination's search), from its title, then from its
    item specifics when the title leaves it unsure and the quota allows."""

    def __init__(self, album, client, store):
        self.client, self.store = client, store
        self.pressings = list(album.releases.all())
        self.album_words = set(tokens(f"{album.artist.name} {album.title}"))
        self.found = {}
        self.detail_calls = 0

    def of(self, ebay_offer):
        """(release or None, confidence or None, PriceQuote.MatchSource, evidence) of a listing."""
        if ebay_offer.item_id not in self.found:
            self.found[ebay_offer.item_id] = self.match(ebay_offer)
        return self.found[ebay_offer.item_id]

    def match(self, ebay_offer):
        if not self.pressings:
            return None, None, PriceQuote.MatchSource.NONE, ()
        match = match_listing(ebay_offer.title, self.pressings, self.album_words)
        if match.matched:
            return match.release, match.confidence, PriceQuote.MatchSource.TITLE, match.evidence
        by_title = (None, match.confidence, PriceQuote.MatchSource.TITLE, match.evidence)
        return self.read_before(ebay_offer) or self.from_aspects(ebay_offer) or by_title

    def read_before(self, ebay_offer):
        """What a stored quote of this item found in its item specifics: they are read once."""
        seen = (
            PriceQuote.objects.filter(
                store=self.store, offer_key=offer_key(ebay_offer), match_source=PriceQuote.MatchSource.ASPECTS
            )
            .order_by("-fetched_at")
            .values_list("release_id", "match_confidence", "match_evidence")
            .first()
        )
        if seen is None:
            return None
        release = next((pressing for pressing in self.pressings if pressing.pk == seen[0]), None)
        return release, seen[1], PriceQuote.MatchSource.ASPECTS, tuple(seen[2] or ())

    def from_aspects(self, ebay_offer):
        """The match on the title and the item specifics (one getItem call), or None when the
        quota leaves none for it or the call failed (the title's match stands)."""
        if not self.may_read_details():
            return None
        self.detail_calls += 1
        try:
            aspects = self.client.item_aspects(ebay_offer.item_id)
        except ApiError as error:
            note_error(f"eBay item {ebay_offer.item_id}: item specifics not read ({type(error).__name__})")
            return None
        match = match_listing(f"{ebay_offer.title} {aspects_text(aspects)}", self.pressings, self.album_words)
        return match.release, match.confidence, PriceQuote.MatchSource.ASPECTS, match.evidence

    def may_read_details(self):
        budget = settings.DAILY_BUDGETS.get("ebay") or 0
        spent = ratelimit.get_limiter("ebay").spent_today()
        return self.detail_calls < DETAIL_CALLS_PER_ALBUM and (not budget or spent < budget * DETAIL_BUDGET_SHARE)


def offer_matches(artist, title, listing_title):
    """Whether a listing's title names the album: every word of the artist and of the title
    appears in it (eBay's search also returns the artist's other records)."""
    words = set(re.findall(r"\w+", normalize_title(listing_title))) | set(
        re.findall(r"\w+", normalize_artist_name(listing_title))
    )
    wanted = set(normalize_artist_name(artist).split()) | set(normalize_title(title).split())
    return bool(wanted) and wanted <= words

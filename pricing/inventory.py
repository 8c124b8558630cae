"""Seller inventories: each listing of a crawled Discogs seller as quotes on its pressing.

    crawl_seller(seller, *, client=None, countries=None, rates=None) -> CrawlResult

A seller's first crawl walks every page of `GET /users/{username}/inventory` (newest listing
first, 100 a call) and, having seen the whole inventory, retires the current quotes of listings
no longer in it (is_current=False: history is kept). Later crawls are incremental: they read
from the newest listing and stop at the first one already recorded or not newer than the
newest listing seen. Every SELLER_FULL_WALK_DAYS a crawl walks everything again, because only a
full walk can tell which listings were sold or withdrawn.

Each listing becomes one quote per destination (pricing.destinations) on the pressing with that
Discogs release id; a listing of a pressing the catalog does not have is skipped and counted.
The seller's stated shipping (the listing's `shipping_price`, which Discogs computes for the
calling account's address) is exact for that one destination (settings.DISCOGS_ACCOUNT_COUNTRY);
every other destination gets the shipping table's estimate (pricing.offers.landed_parts).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from catalog.models import Release
from integrations import clients
from integrations.errors import ApiError
from integrations.types import MAX_PAGES

from . import schedule, shipping as shipping_table
from .countries import country_code
from .currency import MissingRate
from .destinations import countries_to_price
from .models import PriceQuote, Seller, Store
from .offers import Offer, condition_code, record_offer
from .services import rates_on
from .signals import quotes_changed

Condition = PriceQuote.Condition
SELLERS_STORE = "Discogs sellers"
SELLERS_KIND = "sellers"


@dataclass
class CrawlResult:
    pages: int = 0
    listings: int = 0
    recorded: int = 0
    unknown_releases: int = 0
    retired: int = 0
    full_walk: bool = False
    album_ids: set = field(default_factory=set)


def sleeve_text(words):
    """The sleeve's code when it is graded, else Discogs' own words ("Generic", "No Cover")."""
    return condition_code(words) or (words or "").strip()[:20]


def listing_offer_key(listing_id):
    return f"listing:{listing_id}"


def sellers_store():
    """The store of crawled sellers that are not one of our shops (kind = the source's name)."""
    store, _ = Store.objects.get_or_create(name=SELLERS_STORE, defaults={"kind": SELLERS_KIND})
    return store


def store_of(seller):
    """A local shop's own Store when the seller account is theirs, so its stock shows as theirs."""
    return seller.store if seller.store_id else sellers_store()


# --- the crawl --------------------------------------------------------------------------------


def crawl_seller(seller, *, client=None, countries=None, rates=None, sample=False):
    """Read the seller's inventory into quotes; returns what the crawl did. An API error is
    kept on the seller (last_error) and raised again when transient, for the task to retry.
    `sample` marks every quote built from a replayed sample inventory (the demo only)."""
    client = client or clients.discogs()
    full = schedule.needs_full_walk(seller)
    result = CrawlResult(full_walk=full)
    context = CrawlContext(seller, countries or countries_to_price(), rates if rates is not None else rates_on(), sample)
    try:
        seen = walk(client, seller, context, result, full)
    except ApiError as error:
        Seller.objects.filter(pk=seller.pk).update(last_error=f"{error.kind}: {error}"[:2000], last_crawled_at=timezone.now())
        raise
    if full:
        result.retired = retire_unseen(seller, seen, result.album_ids)
    finish(seller, result, context)
    return result


@dataclass
class CrawlContext:
    seller: Seller
    countries: list
    rates: dict
    sample: bool = False

    def __post_init__(self):
        self.store = store_of(self.seller)
        self.table = shipping_table.load_table()
        self.newest = None
        self.rating = self.ratings = None  # the seller's as the listings state them (seller.stats)


def walk(client, seller, context, result, full):
    """Pages newest first; a full walk reads them all, an incremental one stops at the known."""
    seen, page = set(), 1
    while page and result.pages < MAX_PAGES:
        listings = client.inventory_page(seller.discogs_username, page=page)
        result.pages += 1
        for listing in listings.items:
            if not full and is_known(seller, listing):
                return seen
            seen.add(listing_offer_key(listing.id))
            record_listing(listing, context, result)
        page = listings.next_cursor
    return seen


def is_known(seller, listing):
    """Already recorded, or not newer than the newest listing an earlier crawl saw."""
    if seller.newest_listed_at and listing.posted and listing.posted <= seller.newest_listed_at:
        return True
    return PriceQuote.objects.filter(seller_account=seller, offer_key=listing_offer_key(listing.id), is_current=True).exists()


def record_listing(listing, context, result):
    """One quote per destination on the listing's pressing; a pressing we lack is counted."""
    result.listings += 1
    if listing.posted and (context.newest is None or listing.posted > context.newest):
        context.newest = listing.posted
    if listing.seller_rating is not None:
        context.rating, context.ratings = listing.seller_rating, listing.seller_ratings
    release = Release.objects.filter(discogs_id=listing.release_id, album__isnull=False).select_related("album").first()
    if release is None or listing.price is None or not listing.is_for_sale:
        result.unknown_releases += release is None
        return
    for country in context.countries:
        try:
            record_offer(listing_offer(listing, release, country, context), context.rates, table=context.table)
        except MissingRate:
            continue  # a currency without an ECB rate is never guessed
        result.recorded += 1
        result.album_ids.add(release.album_id)


def listing_offer(listing, release, country, context):
    seller = context.seller
    stated = listing.shipping_price if country == settings.DISCOGS_ACCOUNT_COUNTRY.upper() else None
    # A stated shipping in another currency than the price cannot share one Offer's currency.
    shipping = stated.amount if stated and stated.currency == listing.price.currency else None
    return Offer(
        album=release.album,
        store=context.store,
        offer_key=listing_offer_key(listing.id),
        release=release,
        currency=listing.price.currency,
        amount=listing.price.amount,
        shipping=shipping,
        ships_to=country,
        condition=condition_code(listing.condition),
        sleeve_condition=sleeve_text(listing.sleeve_condition),
        seller=listing.seller_username or seller.discogs_username,
        seller_account=seller,
        seller_rating=listing.seller_rating,
        seller_ratings_count=listing.seller_ratings,
        item_location=country_code(listing.ships_from) or seller.country,
        title=listing.release_description[:500],
        url=listing.uri,
        weight_class=weight_class(listing.release_description),
        sample=context.sample,
    )


def weight_class(description):
    """The listing's weight class by pricing.shipping's one rule: Discogs' description ends
    with the format in brackets, "… (2xLP, Album)" or '(3x12", Ltd)'."""
    return shipping_table.weight_class_of_summary(description.rsplit("(", 1)[-1].rstrip(") "))


def retire_unseen(seller, seen, album_ids):
    """After a full walk: the seller's current quotes of listings gone from the inventory."""
    gone = PriceQuote.objects.current().filter(seller_account=seller).exclude(offer_key__in=seen)
    album_ids.update(gone.values_list("album_id", flat=True))
    return gone.update(is_current=False)


def finish(seller, result, context):
    now = timezone.now()
    fields = {"last_crawled_at": now, "last_error": "", "listings_current": current_listings(seller)}
    if context.newest and (seller.newest_listed_at is None or context.newest > seller.newest_listed_at):
        fields["newest_listed_at"] = context.newest
    if result.full_walk:
        fields["full_walk_done_at"] = now
    if context.rating is not None:  # never overwrite a known rating with an unstated one
        fields.update(rating=context.rating, ratings_count=context.ratings)
    Seller.objects.filter(pk=seller.pk).update(**fields)
    for name, value in fields.items():
        setattr(seller, name, value)
    if result.album_ids:
        quotes_changed.send(sender=crawl_seller, album_ids=set(result.album_ids))


def current_listings(seller):
    return PriceQuote.objects.current().filter(seller_account=seller).values("offer_key").distinct().count()

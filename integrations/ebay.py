"""eBay Browse API client: fixed-price vinyl listings from EU sellers that ship to a country.

    client = EbayClient.from_settings()
    offers = client.search_offers("Neil Young", "Neil Young", country="ES")  # list[EbayOffer]
    aspects = client.item_aspects(offers[0].item_id)  # [("Record Label", "Reprise"), …]

`search_offers` asks item_summary/search for `"<artist> <album> vinyl"` in the marketplace's
vinyl records category, filtered to itemLocationRegion:EUROPEAN_UNION,
deliveryCountry:<country> and fixed prices, with the marketplace header and an end-user
context for <country> so shipping costs are those to the user. It follows `next` links up to
`max_results` and checks each item again: only items located in an EU member state are kept
(eBay's region filter is known to let others through for small markets).

Category ids belong to a marketplace's category tree ("categories are not the same across
all the eBay marketplaces", https://developer.ebay.com/api-docs/buy/buy-categories.html), so
`VinylCategory` asks the Commerce Taxonomy API once per marketplace: get_default_category_tree_id,
then get_category_suggestions for that marketplace's words for vinyl records, keeping eBay's
first (most relevant) suggestion; the answer is cached for CATEGORY_CACHE_SECONDS.
settings.EBAY_CATEGORY_ID, when an operator sets it, is used as is.

Calls carry an application token from the client-credentials grant. eBay allows few token
calls a day, so `ApplicationToken` keeps it in Django's cache (shared by every process when
the cache is Redis) until shortly before it expires, and fetches a new one after a 401.
"""

import hashlib
from dataclasses import dataclass
from itertools import islice
from urllib.parse import quote

from .errors import AuthError, BadPayload
from .http import HttpClient, basic_auth
from .types import Money, Page, to_decimal, to_int, walk_pages

API_ROOT = "https://api.ebay.com"
SEARCH_PATH = "/buy/browse/v1/item_summary/search"
ITEM_PATH = "/buy/browse/v1/item/"  # + the URL-encoded RESTful item id (v1|…|0)
TOKEN_URL = "https://api.ebay.com/identity/v1/oauth2/token"
PUBLIC_SCOPE = "https://api.ebay.com/oauth/api_scope"
TAXONOMY_ROOT = "https://api.ebay.com/commerce/taxonomy/v1"
# What the category suggestions are asked for, in the language of each supported marketplace.
VINYL_WORDS = {
    "EBAY_ES": "discos de vinilo",
    "EBAY_DE": "Schallplatten Vinyl",
    "EBAY_FR": "disques vinyles",
    "EBAY_IT": "dischi in vinile",
    "EBAY_GB": "vinyl records",
}
# Categories change a few times a year and eBay announces it: a month-old answer is fresh.
CATEGORY_CACHE_SECONDS = 30 * 24 * 3600
PAGE_SIZE = 50
FIRST_PAGE = ""  # walk cursor for the request we build; later pages are `next` links
# Renew the token this long before eBay says it expires, so no call carries a dying token.
TOKEN_SAFETY_MARGIN_SECONDS = 300
EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


@dataclass(frozen=True)
class EbayOffer:
    item_id: str
    title: str
    price: Money
    shipping: Money | None  # None when the listing states no cost for the user's country
    condition: str
    seller: str  # what to store: eBay's immutable user id when it sends one, else the username
    item_country: str
    url: str
    image_url: str
    seller_rating: object = None  # feedbackPercentage as a Decimal, None when not stated
    seller_ratings: int | None = None  # feedbackScore (eBay's count of net positive ratings), None when not stated

    @property
    def total(self):
        """Price plus shipping; None when shipping is unknown or in another currency."""
        if self.shipping is None or self.shipping.currency != self.price.currency:
            return None
        return Money(self.price.amount + self.shipping.amount, self.price.currency)


class ApplicationToken:
    """The client-credentials token, cached until `expires_in` minus a safety margin."""

    def __init__(self, client_id, client_secret, *, cache=None, session=None):
        if not (client_id and client_secret):
            raise ValueError("eBay needs EBAY_CLIENT_ID and EBAY_CLIENT_SECRET")
        self.client_id = client_id
        self.client_secret = client_secret
        self.cache = cache if cache is not None else default_cache()
        # The key names the app without exposing its id in the cache.
        self.cache_key = "integrations:ebay:app-token:" + hashlib.sha256(client_id.encode()).hexdigest()[:16]
        # The token endpoint has its own daily quota (1,000), apart from the Browse API's.
        self.http = HttpClient("ebay", session=session, budget="ebay_token")

    def get(self):
        token = self.cache.get(self.cache_key)
        return token or self.fetch()

    def fetch(self):
        data = {"grant_type": "client_credentials", "scope": PUBLIC_SCOPE}
        answer = self.http.post_json(TOKEN_URL, data=data, auth=basic_auth(self.client_id, self.client_secret))
        token, expires_in = parse_token(answer)
        self.cache.set(self.cache_key, token, timeout=max(expires_in - TOKEN_SAFETY_MARGIN_SECONDS, 1))
        return token

    def forget(self):
        self.cache.delete(self.cache_key)


class EbayClient:
    def __init__(self, token, *, marketplace_id="EBAY_ES", category_id=None, rate_per_minute=None, session=None, cache=None):
        if marketplace_id not in VINYL_WORDS and not category_id:
            raise ValueError(f"No vinyl category known for {marketplace_id}: set EBAY_CATEGORY_ID")
        self.token = token
        self.marketplace_id = marketplace_id
        self.category_id = category_id  # None: asked of the Taxonomy API on the first search
        self.http = HttpClient("ebay", base_url=API_ROOT, rate_per_minute=rate_per_minute, session=session)
        self.categories = VinylCategory(self, cache=cache)

    @classmethod
    def from_settings(cls, **kwargs):
        from django.conf import settings

        token = ApplicationToken(settings.EBAY_CLIENT_ID, settings.EBAY_CLIENT_SECRET)
        category_id = settings.EBAY_CATEGORY_ID or None
        return cls(token, marketplace_id=settings.EBAY_MARKETPLACE_ID, category_id=category_id, **kwargs)

    def ping(self):
        """The marketplace's default category tree: one light Taxonomy call that proves the
        application token (fetched first if none is cached) and the marketplace id work."""
        tree = self.get(f"{TAXONOMY_ROOT}/get_default_category_tree_id", {"marketplace_id": self.marketplace_id}, {})
        return f"category tree {parse_tree_id(tree)} for {self.marketplace_id}"

    def vinyl_category(self):
        if not self.category_id:
            self.category_id = self.categories.for_marketplace(self.marketplace_id)
        return self.category_id

    def search_offers(self, artist, album, *, country, max_results=100):
        """EU sellers' fixed-price offers for the album on vinyl, shipping to `country`."""
        country = country.upper()
        params = {
            "q": f"{artist} {album} vinyl",
            "category_ids": self.vinyl_category(),
            "filter": f"itemLocationRegion:EUROPEAN_UNION,deliveryCountry:{country},buyingOptions:{{FIXED_PRICE}}",
            "limit": min(PAGE_SIZE, max_results),
            "offset": 0,
        }
        offers = islice(self.offers_from(params, self.search_headers(country)), max_results)
        return [offer for offer in offers if offer.item_country in EU_MEMBER_STATES]

    def item_aspects(self, item_id):
        """The listing's item specifics (getItem's localizedAspects) as (name, value) pairs, in
        the marketplace's language: "Record Label", "Catalogue Number", "Release Year"… One
        Browse call, counted against the same daily quota as the searches."""
        data = self.get(ITEM_PATH + quote(item_id, safe=""), None, {"X-EBAY-C-MARKETPLACE-ID": self.marketplace_id})
        return parse_aspects(data)

    def search_headers(self, country):
        return {
            "X-EBAY-C-MARKETPLACE-ID": self.marketplace_id,
            # eBay wants the context value URL-encoded: contextualLocation=country%3DES
            "X-EBAY-C-ENDUSERCTX": "contextualLocation=" + quote(f"country={country}", safe=""),
        }

    def offers_from(self, params, headers):
        """Offers of every page: the search we build, then each page's absolute `next` link."""

        def fetch(cursor):
            data = self.get(SEARCH_PATH, params, headers) if cursor == FIRST_PAGE else self.get(cursor, None, headers)
            return parse_search_page(data)

        return walk_pages(fetch, FIRST_PAGE)

    def get(self, path_or_url, params, headers):
        """GET with the application token; a 401 means it died early: fetch one and retry."""
        try:
            return self.http.get_json(path_or_url, params=params, headers={**headers, **self.bearer()})
        except AuthError as error:
            if error.status_code != 401:
                raise
            self.token.forget()
            return self.http.get_json(path_or_url, params=params, headers={**headers, **self.bearer()})

    def bearer(self):
        return {"Authorization": f"Bearer {self.token.get()}"}


class VinylCategory:
    """A marketplace's vinyl records category, from the Taxonomy API, cached per marketplace."""

    def __init__(self, client, *, cache=None):
        self.client = client
        self.cache = cache if cache is not None else default_cache()

    @staticmethod
    def cache_key(marketplace_id):
        return f"integrations:ebay:vinyl-category:{marketplace_id}"

    def for_marketplace(self, marketplace_id):
        key = self.cache_key(marketplace_id)
        category_id = self.cache.get(key)
        if not category_id:
            category_id = self.ask(marketplace_id)
            self.cache.set(key, category_id, timeout=CATEGORY_CACHE_SECONDS)
        return category_id

    def ask(self, marketplace_id):
        tree = self.client.get(f"{TAXONOMY_ROOT}/get_default_category_tree_id", {"marketplace_id": marketplace_id}, {})
        path = f"{TAXONOMY_ROOT}/category_tree/{parse_tree_id(tree)}/get_category_suggestions"
        return parse_first_suggestion(self.client.get(path, {"q": VINYL_WORDS[marketplace_id]}, {}))


def default_cache():
    from django.core.cache import cache

    return cache


# --- pure parsing --------------------------------------------------------------------------


def parse_token(data):
    """(access token, seconds until it expires) from the token endpoint's answer."""
    if not isinstance(data, dict) or not data.get("access_token"):
        raise BadPayload("eBay token answer without an access_token", provider="ebay")
    return data["access_token"], to_int(data.get("expires_in")) or 0


def parse_tree_id(data):
    tree_id = (data or {}).get("categoryTreeId")
    if tree_id in (None, ""):
        raise BadPayload("eBay Taxonomy answer without a categoryTreeId", provider="ebay")
    return tree_id


def parse_first_suggestion(data):
    """The category id of eBay's first (most relevant) category suggestion."""
    suggestions = (data or {}).get("categorySuggestions") or []
    category = (suggestions[0].get("category") or {}) if suggestions else {}
    if not category.get("categoryId"):
        raise BadPayload("eBay suggested no category for vinyl records", provider="ebay")
    return category["categoryId"]


def parse_search_page(data):
    """Offers on one page (listings without a price are skipped) and the `next` link."""
    items = data.get("itemSummaries") or []
    offers = [offer for offer in map(parse_offer, items) if offer]
    return Page(offers, total=to_int(data.get("total")), next_cursor=data.get("next") or None, received=len(items))


def parse_offer(item):
    price = item.get("price") or {}
    money = Money.parse(price.get("value"), price.get("currency"))
    if money is None:
        return None
    return EbayOffer(
        item_id=item.get("itemId", ""),
        title=item.get("title", ""),
        price=money,
        shipping=cheapest_shipping(item.get("shippingOptions")),
        condition=item.get("condition") or "",
        seller=seller_identity(item.get("seller")),
        item_country=((item.get("itemLocation") or {}).get("country") or "").upper(),
        url=item.get("itemWebUrl") or "",
        image_url=(item.get("image") or {}).get("imageUrl", ""),
        seller_rating=to_decimal((item.get("seller") or {}).get("feedbackPercentage")),
        seller_ratings=to_int((item.get("seller") or {}).get("feedbackScore")),
    )


def parse_aspects(data):
    """(name, value) of each of an item's localizedAspects; an item without any gives []."""
    aspects = (data or {}).get("localizedAspects") or []
    return [
        (a.get("name") or "", a.get("value") or "") for a in aspects if isinstance(a, dict) and a.get("name") and a.get("value")
    ]


def seller_identity(seller):
    """The seller's immutable user id when the answer has one, else the username.

    eBay is replacing usernames with immutable user ids for some developers (and sends the id
    in both fields where a payload has both): https://developer.ebay.com/api-docs/static/data-handling-update.html.
    A username can be changed by its owner; the user id cannot, so it is the better key.
    """
    seller = seller or {}
    return seller.get("userId") or seller.get("username") or ""


def cheapest_shipping(options):
    """The lowest stated shipping cost among the listing's options, or None."""
    costs = [shipping_cost(option) for option in options or ()]
    return min((cost for cost in costs if cost), key=lambda money: money.amount, default=None)


def shipping_cost(option):
    cost = option.get("shippingCost") or {}
    return Money.parse(cost.get("value"), cost.get("currency"))

"""Discogs API v2 client (https://api.discogs.com).

Build one with `DiscogsClient.from_settings()` (personal token, else consumer key/secret,
else anonymous) or `DiscogsClient.for_user(oauth_token, oauth_token_secret)` for a user who
connected Discogs through allauth (OAuth 1.0a, needed for price suggestions). Anonymous
clients get the lower rate (RATE_LIMITS["discogs_anonymous"]), a 401 on database search and
answers without image URLs: they refuse the calls that need authentication (NotConfigured,
nothing sent), and `credentials_warning()` says so for check_integrations, /health and the
admin.

Public API (every method returns dataclasses from this module, never touches models):

    search(artist, release_title, *, type="master", format="Vinyl") -> list[SearchResult]
    master(master_id) -> Master
    master_versions(master_id, *, vinyl_only=True) -> list[Version]      # every page
    release(release_id) -> Release
    artist(artist_id) -> Artist
    marketplace_stats(release_id, *, currency="EUR") -> MarketplaceStats
    price_suggestions(release_id) -> dict[str, Money]                    # condition -> price
    collection(username) -> list[CollectionItem]                         # folder 0, every page
    wantlist(username) -> list[CollectionItem]                           # every page
    collection_value(username) -> CollectionValue                        # the owner's OAuth only
    inventory_page(username, *, page=1) -> Page[Listing]                 # newest listing first
    ping() -> str                                                        # one cheap call

Each "every page" method has a one-page twin (`search_page`, `master_versions_page`,
`collection_page`, `wantlist_page`) returning `Page[...]`. A seller's inventory has only the
page method: a crawl decides itself when to stop (pricing.inventory). The pure `parse_*` functions
turn a decoded JSON body into those dataclasses; tests run them on real recordings.
Rate-limit headers (X-Discogs-Ratelimit-*) are read by the HTTP layer.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from oauthlib.oauth1 import Client as OAuth1Signer

from .errors import NotConfigured
from .http import HttpClient
from .paths import path_segment
from .types import Money, Page, as_list, to_decimal, to_float, to_int, walk_pages

API_ROOT = "https://api.discogs.com"
VINYL = "Vinyl"
FOR_SALE = "For Sale"
# Discogs caps per_page at 100 whatever we ask (the recorded per_page=500 came back as 100).
PER_PAGE = 100
# Discogs tells same-named artists and labels apart with a number in brackets (" (2)",
# " (3)"): the one rule for it, used by this client's parsing and by
# catalog.normalize.strip_discogs_suffix.
DISAMBIGUATION_SUFFIX = re.compile(r"\s*\(\d+\)\s*$")
# Size descriptions that name the carrier of a Vinyl format ("2xLP", '7"').
VINYL_SIZE = re.compile(r'^(LP|\d+(\.\d+)?")$')
VINYL_WORDS = frozenset({"Vinyl", "LP", "Flexi-disc", "Lathe Cut"})
# The short forms Discogs itself uses in format summaries ("2xLP, Album, RE").
ABBREVIATIONS = {
    "Reissue": "RE",
    "Remastered": "RM",
    "Repress": "RP",
    "Compilation": "Comp",
    "Limited Edition": "Ltd",
    "Numbered": "Num",
    "Deluxe Edition": "Dlx",
    "Special Edition": "S/Edition",
    "Test Pressing": "TP",
    "White Label": "W/Lbl",
    "Picture Disc": "Pic",
    "Unofficial Release": "Unofficial",
    "Cassette": "Cass",
    "Box Set": "Box",
}
# The one rule for "official": a pressing is official unless Discogs describes it as an
# "Unofficial Release" (a release's format descriptions; "Unofficial" in a version's summary).
UNOFFICIAL = "Unofficial Release"
UNOFFICIAL_SHORT = "Unofficial"  # how a format summary writes it (ABBREVIATIONS)
# What an anonymous client cannot do: the database search requires authentication
# (https://www.discogs.com/developers/#page:database,header:database-search), price
# suggestions need a user or token, and anonymous answers leave image URLs out.
NEEDS_CREDENTIALS = "database search and price suggestions are skipped and answers carry no image URLs"
PUBLIC_RELEASE_ID = 1  # "The Persuader - Stockholm", Discogs' own example release


# --- authentication (requests calls any callable given as `auth` with the prepared request)


class DiscogsTokenAuth:
    """A personal access token, sent as `Authorization: Discogs token=...`."""

    def __init__(self, token):
        self.token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Discogs token={self.token}"
        return request


class DiscogsKeySecretAuth:
    """The application's consumer key and secret: higher rate limit, no user data."""

    def __init__(self, key, secret):
        self.key = key
        self.secret = secret

    def __call__(self, request):
        request.headers["Authorization"] = f"Discogs key={self.key}, secret={self.secret}"
        return request


class DiscogsOAuth1:
    """OAuth 1.0a user tokens (as stored by allauth), each request signed with HMAC-SHA1."""

    def __init__(self, consumer_key, consumer_secret, token, token_secret):
        # Named `client` like requests-oauthlib's so the HTTP layer finds and redacts its secrets.
        self.client = OAuth1Signer(
            consumer_key,
            client_secret=consumer_secret,
            resource_owner_key=token,
            resource_owner_secret=token_secret,
        )

    def __call__(self, request):
        _, headers, _ = self.client.sign(request.url, http_method=request.method)
        request.headers.update(headers)
        return request


# --- dataclasses ----------------------------------------------------------------------


@dataclass(frozen=True)
class ArtistCredit:
    id: int | None
    name: str
    anv: str = ""  # the name as printed on this release, when it differs
    join: str = ""  # what joins this artist to the next ("&", "Feat.", ",")

    @property
    def clean_name(self):
        """The canonical name without Discogs' " (3)" suffix: what catalog matching wants."""
        return strip_disambiguation(self.name)


@dataclass(frozen=True)
class Track:
    position: str
    title: str
    duration_seconds: int | None


@dataclass(frozen=True)
class Format:
    name: str
    qty: int
    descriptions: tuple
    text: str = ""


@dataclass(frozen=True)
class Label:
    id: int | None
    name: str
    catno: str


@dataclass(frozen=True)
class Credit:
    """A role on a release: an extra artist ("Lacquer Cut By", "Bernie Grundman") or a company
    ("Pressed By", "Optimal Media GmbH"); `tracks` is empty when it covers the whole release."""

    role: str
    name: str
    tracks: str = ""


@dataclass(frozen=True)
class Identifier:
    type: str  # "Matrix / Runout", "Barcode", …
    value: str
    description: str = ""


@dataclass(frozen=True)
class Image:
    type: str  # "primary" or "secondary"
    uri: str
    uri150: str
    width: int | None
    height: int | None


@dataclass(frozen=True)
class Release:
    id: int
    title: str
    artists: tuple
    artist_credit: str
    master_id: int | None
    status: str
    country: str
    year: int | None
    released: str
    formats: tuple
    format_summary: str
    labels: tuple
    tracklist: tuple
    rating_average: float | None
    rating_count: int | None
    have: int | None
    want: int | None
    images: tuple
    genres: tuple
    styles: tuple
    # Marketplace figures embedded in the release, in the currency of the calling account.
    lowest_price: object
    num_for_sale: int | None
    # The tracklist's headings (side or part titles, "Live Album" / "Studio Album" on Ummagumma):
    # what the record says its parts are, for catalog.studio.
    headings: tuple = ()
    # What the pressing says of how it was made (issue 23): credits, companies, identifiers, notes.
    credits: tuple = ()
    companies: tuple = ()
    identifiers: tuple = ()
    notes: str = ""

    @property
    def is_vinyl(self):
        return any(fmt.name == VINYL for fmt in self.formats)

    @property
    def is_official(self):
        return not any(UNOFFICIAL in fmt.descriptions for fmt in self.formats)

    @property
    def label(self):
        return strip_disambiguation(self.labels[0].name) if self.labels else ""

    @property
    def catalog_number(self):
        return self.labels[0].catno if self.labels else ""

    @property
    def image_url(self):
        return primary_image_url(self.images)

    @property
    def thumb_url(self):
        return next((image.uri150 for image in self.images if image.uri150), "")


@dataclass(frozen=True)
class Master:
    id: int
    title: str
    artists: tuple
    artist_credit: str
    year: int | None
    main_release_id: int | None
    genres: tuple
    styles: tuple
    images: tuple
    tracklist: tuple
    lowest_price: object
    num_for_sale: int | None

    @property
    def image_url(self):
        return primary_image_url(self.images)


@dataclass(frozen=True)
class Version:
    """One pressing listed under a master (the row of /masters/{id}/versions)."""

    id: int
    title: str
    format: str  # Discogs' own summary, e.g. "LP, Album, RE"
    major_formats: tuple  # ("Vinyl",); absent from old answers
    label: str
    catno: str
    country: str
    released: str
    year: int | None
    status: str
    thumb: str
    have: int | None
    want: int | None

    @property
    def is_vinyl(self):
        if self.major_formats:
            return VINYL in self.major_formats
        return format_summary_is_vinyl(self.format)

    @property
    def is_official(self):
        return format_summary_is_official(self.format)


@dataclass(frozen=True)
class Artist:
    id: int
    name: str
    realname: str
    profile: str
    images: tuple
    urls: tuple

    @property
    def image_url(self):
        return primary_image_url(self.images)


@dataclass(frozen=True)
class SearchResult:
    id: int
    type: str  # "master", "release", "artist", "label"
    title: str  # "Artist - Title" for masters and releases
    year: int | None
    country: str
    formats: tuple
    labels: tuple
    catno: str
    master_id: int | None
    thumb: str
    cover_image: str
    have: int | None
    want: int | None

    @property
    def artist_name(self):
        return self.title.split(" - ", 1)[0] if " - " in self.title else ""

    @property
    def release_title(self):
        return self.title.split(" - ", 1)[1] if " - " in self.title else self.title


@dataclass(frozen=True)
class MarketplaceStats:
    release_id: int
    lowest_price: Money | None
    num_for_sale: int
    # Discogs blocks some releases (unofficial, banned) from sale; absent means not blocked.
    blocked_from_sale: bool


@dataclass(frozen=True)
class Listing:
    """One listing of a seller's inventory (GET /users/{username}/inventory), as documented at
    https://www.discogs.com/developers/#page:marketplace,header:marketplace-inventory.

    `condition` and `sleeve_condition` are Discogs' words ("Very Good Plus (VG+)");
    `ships_from` is a country name ("Germany"); `shipping_price` is present only when Discogs
    states the seller's shipping for the caller (the listing endpoint documents it)."""

    id: int
    status: str
    release_id: int
    release_description: str
    condition: str
    sleeve_condition: str
    price: Money | None
    shipping_price: Money | None
    ships_from: str
    posted: datetime | None
    uri: str
    seller_username: str
    seller_rating: object  # Decimal percentage, None when not stated
    seller_ratings: int | None  # how many ratings the percentage is of (seller.stats.total), None when not stated
    allow_offers: bool
    comments: str

    @property
    def is_for_sale(self):
        return self.status in ("", FOR_SALE)


@dataclass(frozen=True)
class CollectionItem:
    """A release in a user's collection (folder 0 = "All") or wantlist (no instance id)."""

    release_id: int
    instance_id: int | None
    folder_id: int | None
    rating: int | None
    date_added: datetime | None
    title: str
    year: int | None
    master_id: int | None
    artists: tuple
    artist_credit: str
    formats: tuple
    format_summary: str
    labels: tuple
    thumb: str
    cover_image: str

    @property
    def is_vinyl(self):
        return any(fmt.name == VINYL for fmt in self.formats)


# Discogs writes a collection's value as a display string in the account's currency ("$10.00",
# "€1,234.56", "£5.00"): the symbols of the currencies Discogs lets an account choose.
CURRENCY_SYMBOLS = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "A$": "AUD",
    "CA$": "CAD",
    "C$": "CAD",
    "CHF": "CHF",
    "SEK": "SEK",
    "NZ$": "NZD",
    "R$": "BRL",
    "MX$": "MXN",
    "ZAR": "ZAR",
    "R": "ZAR",
    "DKK": "DKK",
}
_DISPLAY_MONEY = re.compile(r"^\s*(?P<symbol>[^\d\s.,-]*)\s*(?P<amount>[\d,]+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class CollectionValue:
    """Discogs' estimate of a collection's worth (from its marketplace sales), each None when
    Discogs writes an amount in a currency we cannot name."""

    minimum: Money | None
    median: Money | None
    maximum: Money | None


def parse_display_money(text):
    """Money from Discogs' display string ("$10.00", "€1,234.56"); None when unreadable."""
    found = _DISPLAY_MONEY.match(str(text or ""))
    currency = CURRENCY_SYMBOLS.get(found["symbol"]) if found else None
    return Money.parse(found["amount"].replace(",", ""), currency) if currency else None


def parse_collection_value(data):
    data = data or {}
    return CollectionValue(*(parse_display_money(data.get(key)) for key in ("minimum", "median", "maximum")))


# --- the client -------------------------------------------------------------------------


class DiscogsClient:
    def __init__(self, auth=None, *, rate_per_minute=None, session=None):
        self.authenticated = auth is not None
        self.http = HttpClient(
            "discogs",
            base_url=API_ROOT,
            rate_per_minute=default_rate(self.authenticated) if rate_per_minute is None else rate_per_minute,
            auth=auth,
            session=session,
        )

    @classmethod
    def from_settings(cls, **kwargs):
        """The site's own credentials: personal token first, then consumer key/secret."""
        from django.conf import settings

        if settings.DISCOGS_TOKEN:
            return cls(DiscogsTokenAuth(settings.DISCOGS_TOKEN), **kwargs)
        if settings.DISCOGS_CONSUMER_KEY and settings.DISCOGS_CONSUMER_SECRET:
            auth = DiscogsKeySecretAuth(settings.DISCOGS_CONSUMER_KEY, settings.DISCOGS_CONSUMER_SECRET)
            return cls(auth, **kwargs)
        return cls(None, **kwargs)

    @classmethod
    def for_user(cls, oauth_token, oauth_token_secret, **kwargs):
        """Acting as a user who connected Discogs (allauth SocialToken token / token_secret)."""
        from django.conf import settings

        consumer = (settings.DISCOGS_CONSUMER_KEY, settings.DISCOGS_CONSUMER_SECRET)
        return cls(DiscogsOAuth1(*consumer, oauth_token, oauth_token_secret), **kwargs)

    # database search

    def search_page(self, artist, release_title, *, type="master", format=VINYL, page=1):
        self.require_credentials("database search")
        params = {"artist": artist, "release_title": release_title, "type": type, "format": format}
        data = self.http.get_json("/database/search", params={**params, "per_page": PER_PAGE, "page": page})
        return parse_search_page(data)

    def search(self, artist, release_title, *, type="master", format=VINYL):
        def fetch(page):
            return self.search_page(artist, release_title, type=type, format=format, page=page)

        return list(walk_pages(fetch, 1))

    # masters, versions, releases, artists

    def master(self, master_id):
        return parse_master(self.http.get_json(f"/masters/{int(master_id)}"))

    def master_versions_page(self, master_id, *, page=1, format=VINYL):
        params = {"format": format, "per_page": PER_PAGE, "page": page}
        return parse_versions_page(self.http.get_json(f"/masters/{int(master_id)}/versions", params=params))

    def master_versions(self, master_id, *, vinyl_only=True):
        """Every version of a master, walking all pages; vinyl only by default. The filter is
        asked of Discogs and applied again here, because older answers ignore it."""
        wanted_format = VINYL if vinyl_only else None

        def fetch(page):
            return self.master_versions_page(master_id, page=page, format=wanted_format)

        return [version for version in walk_pages(fetch, 1) if version.is_vinyl or not vinyl_only]

    def release(self, release_id):
        return parse_release(self.http.get_json(f"/releases/{int(release_id)}"))

    def artist(self, artist_id):
        return parse_artist(self.http.get_json(f"/artists/{int(artist_id)}"))

    # marketplace

    def marketplace_stats(self, release_id, *, currency="EUR"):
        data = self.http.get_json(f"/marketplace/stats/{int(release_id)}", params={"curr_abbr": currency})
        return parse_marketplace_stats(data, release_id=int(release_id))

    def price_suggestions(self, release_id):
        """Suggested price per condition. Needs OAuth or a token, and seller settings filled
        in on the account; an empty dict when Discogs has no suggestion."""
        self.require_credentials("price suggestions")
        return parse_price_suggestions(self.http.get_json(f"/marketplace/price_suggestions/{int(release_id)}"))

    # a user's collection and wantlist

    def collection_page(self, username, *, page=1):
        path = f"/users/{path_segment(username)}/collection/folders/0/releases"
        data = self.http.get_json(path, params={"per_page": PER_PAGE, "page": page})
        return parse_collection_page(data)

    def collection(self, username):
        return list(walk_pages(lambda page: self.collection_page(username, page=page), 1))

    def wantlist_page(self, username, *, page=1):
        path = f"/users/{path_segment(username)}/wants"
        data = self.http.get_json(path, params={"per_page": PER_PAGE, "page": page})
        return parse_wantlist_page(data)

    def wantlist(self, username):
        return list(walk_pages(lambda page: self.wantlist_page(username, page=page), 1))

    def collection_value(self, username):
        """Discogs' minimum, median and maximum value of the user's collection: only the
        collection's owner may ask (a client built with `for_user`)."""
        self.require_credentials("collection value")
        return parse_collection_value(self.http.get_json(f"/users/{path_segment(username)}/collection/value"))

    # a seller's inventory

    def inventory_page(self, username, *, page=1):
        """One page of a seller's listings for sale, newest listing first (100 a call)."""
        params = {"status": FOR_SALE, "sort": "listed", "sort_order": "desc", "per_page": PER_PAGE, "page": page}
        return parse_inventory_page(self.http.get_json(f"/users/{path_segment(username)}/inventory", params=params))

    # checks

    def require_credentials(self, what):
        if not self.authenticated:
            raise NotConfigured(f"Discogs {what} needs credentials: set DISCOGS_TOKEN", provider="discogs")

    def ping(self):
        """One cheap call: a one-result search with credentials (it proves they work), else the
        public example release, the most an anonymous client can usefully ask for."""
        if self.authenticated:
            found = self.http.get_json("/database/search", params={"q": "nirvana", "per_page": 1})
            detail = f"{(found.get('pagination') or {}).get('items', '?')} results for 'nirvana'"
        else:
            detail = f"anonymous: release {self.release(PUBLIC_RELEASE_ID).id} read; {NEEDS_CREDENTIALS}"
        return f"{detail}, quota left {self.http.last_headers.get('X-Discogs-Ratelimit-Remaining', '?')}"


def credential_kinds():
    """The one rule for "Discogs has credentials": which the site has, ["personal token",
    "OAuth consumer"] or fewer (a consumer needs its key and its secret); [] when anonymous."""
    from django.conf import settings

    consumer = settings.DISCOGS_CONSUMER_KEY and settings.DISCOGS_CONSUMER_SECRET
    return [kind for kind, ready in (("personal token", settings.DISCOGS_TOKEN), ("OAuth consumer", consumer)) if ready]


def credentials_warning():
    """None when the site has Discogs credentials; else what running anonymously costs."""
    if credential_kinds():
        return None
    return f"Discogs has no credentials (set DISCOGS_TOKEN or DISCOGS_CONSUMER_KEY/SECRET): {NEEDS_CREDENTIALS}"


def default_rate(authenticated):
    from django.conf import settings

    return settings.RATE_LIMITS["discogs" if authenticated else "discogs_anonymous"]


# --- pure parsing ---------------------------------------------------------------------


def parse_release(data):
    community = data.get("community") or {}
    rating = community.get("rating") or {}
    formats = parse_formats(data.get("formats"))
    artists = parse_artist_credits(data.get("artists"))
    return Release(
        id=int(data["id"]),
        title=data.get("title", ""),
        artists=artists,
        artist_credit=credit_string(artists),
        master_id=to_int(data.get("master_id")) or None,
        status=data.get("status", ""),
        country=data.get("country") or "",
        year=to_int(data.get("year")) or None,
        released=data.get("released") or "",
        formats=formats,
        format_summary=format_summary(formats),
        labels=parse_labels(data.get("labels")),
        tracklist=parse_tracklist(data.get("tracklist")),
        headings=parse_headings(data.get("tracklist")),
        rating_average=to_float(rating.get("average")),
        rating_count=to_int(rating.get("count")),
        have=to_int(community.get("have")),
        want=to_int(community.get("want")),
        images=parse_images(data.get("images")),
        genres=tuple(data.get("genres") or ()),
        styles=tuple(data.get("styles") or ()),
        lowest_price=to_decimal(data.get("lowest_price")),
        num_for_sale=to_int(data.get("num_for_sale")),
        credits=parse_credits(data.get("extraartists"), "role"),
        companies=parse_credits(data.get("companies"), "entity_type_name"),
        identifiers=parse_identifiers(data.get("identifiers")),
        notes=data.get("notes") or "",
    )


def parse_credits(entries, role_key):
    return tuple(
        Credit(
            role=entry.get(role_key) or "", name=strip_disambiguation(entry.get("name") or ""), tracks=entry.get("tracks") or ""
        )
        for entry in entries or ()
    )


def parse_identifiers(entries):
    return tuple(
        Identifier(type=entry.get("type") or "", value=entry.get("value") or "", description=entry.get("description") or "")
        for entry in entries or ()
    )


def parse_master(data):
    artists = parse_artist_credits(data.get("artists"))
    return Master(
        id=int(data["id"]),
        title=data.get("title", ""),
        artists=artists,
        artist_credit=credit_string(artists),
        year=to_int(data.get("year")) or None,
        main_release_id=to_int(data.get("main_release")),
        genres=tuple(data.get("genres") or ()),
        styles=tuple(data.get("styles") or ()),
        images=parse_images(data.get("images")),
        tracklist=parse_tracklist(data.get("tracklist")),
        lowest_price=to_decimal(data.get("lowest_price")),
        num_for_sale=to_int(data.get("num_for_sale")),
    )


def parse_version(data):
    community = (data.get("stats") or {}).get("community") or {}
    released = str(data.get("released") or "")
    return Version(
        id=int(data["id"]),
        title=data.get("title", ""),
        format=data.get("format") or "",
        major_formats=tuple(data.get("major_formats") or ()),
        label=data.get("label") or "",
        catno=data.get("catno") or "",
        country=data.get("country") or "",
        released=released,
        year=year_of(released),
        status=data.get("status") or "",
        thumb=absolute_url(data.get("thumb")),
        have=to_int(community.get("in_collection")),
        want=to_int(community.get("in_wantlist")),
    )


def parse_versions_page(data):
    return paginated(data, "versions", parse_version)


def parse_artist(data):
    return Artist(
        id=int(data["id"]),
        name=data.get("name", ""),
        realname=data.get("realname") or "",
        profile=data.get("profile") or "",
        images=parse_images(data.get("images")),
        urls=tuple(data.get("urls") or ()),
    )


def parse_search_result(data):
    community = data.get("community") or {}
    return SearchResult(
        id=int(data["id"]),
        type=data.get("type", ""),
        title=data.get("title", ""),
        year=to_int(data.get("year")) or None,
        country=data.get("country") or "",
        formats=tuple(as_list(data.get("format"))),
        labels=tuple(as_list(data.get("label"))),
        catno=data.get("catno") or "",
        master_id=to_int(data.get("master_id")) or None,
        thumb=absolute_url(data.get("thumb")),
        cover_image=absolute_url(data.get("cover_image")),
        have=to_int(community.get("have")),
        want=to_int(community.get("want")),
    )


def parse_search_page(data):
    return paginated(data, "results", parse_search_result)


def parse_marketplace_stats(data, *, release_id):
    lowest = data.get("lowest_price") or {}
    return MarketplaceStats(
        release_id=release_id,
        lowest_price=Money.parse(lowest.get("value"), lowest.get("currency")),
        num_for_sale=to_int(data.get("num_for_sale")) or 0,
        blocked_from_sale=bool(data.get("blocked_from_sale", False)),
    )


def parse_price_suggestions(data):
    """{condition: Money}; Discogs answers {} when it has no suggestion for a release."""
    suggestions = {}
    for condition, price in (data or {}).items():
        money = Money.parse(price.get("value"), price.get("currency"))
        if money is not None:
            suggestions[condition] = money
    return suggestions


def parse_collection_item(data):
    info = data.get("basic_information") or {}
    formats = parse_formats(info.get("formats"))
    artists = parse_artist_credits(info.get("artists"))
    return CollectionItem(
        release_id=int(info.get("id") or data["id"]),
        instance_id=to_int(data.get("instance_id")),
        folder_id=to_int(data.get("folder_id")),
        rating=to_int(data.get("rating")),
        date_added=parse_datetime(data.get("date_added")),
        title=info.get("title", ""),
        year=to_int(info.get("year")) or None,
        master_id=to_int(info.get("master_id")) or None,
        artists=artists,
        artist_credit=credit_string(artists),
        formats=formats,
        format_summary=format_summary(formats),
        labels=parse_labels(info.get("labels")),
        thumb=absolute_url(info.get("thumb")),
        cover_image=absolute_url(info.get("cover_image")),
    )


def parse_collection_page(data):
    return paginated(data, "releases", parse_collection_item)


def parse_wantlist_page(data):
    return paginated(data, "wants", parse_collection_item)


def parse_listing(data):
    seller, release = data.get("seller") or {}, data.get("release") or {}
    price, shipping = data.get("price") or {}, data.get("shipping_price") or {}
    return Listing(
        id=int(data["id"]),
        status=data.get("status") or "",
        release_id=int(release["id"]),
        release_description=release.get("description") or "",
        condition=data.get("condition") or "",
        sleeve_condition=data.get("sleeve_condition") or "",
        price=Money.parse(price.get("value"), price.get("currency")),
        shipping_price=Money.parse(shipping.get("value"), shipping.get("currency")),
        ships_from=data.get("ships_from") or "",
        posted=parse_datetime(data.get("posted")),
        uri=absolute_url(data.get("uri")),
        seller_username=seller.get("username") or "",
        seller_rating=to_decimal((seller.get("stats") or {}).get("rating")),
        seller_ratings=to_int((seller.get("stats") or {}).get("total")),
        allow_offers=bool(data.get("allow_offers", False)),
        comments=data.get("comments") or "",
    )


def parse_inventory_page(data):
    return paginated(data, "listings", parse_listing)


def paginated(data, key, parse_item):
    """A Page from Discogs' {"pagination": {...}, key: [...]} envelope. The next page comes
    from `pages`, never from urls.next, which some answers point back at page 1."""
    pagination = data.get("pagination") or {}
    page, pages = to_int(pagination.get("page")) or 1, to_int(pagination.get("pages")) or 1
    items = [parse_item(item) for item in data.get(key) or ()]
    return Page(items, total=to_int(pagination.get("items")), next_cursor=page + 1 if page < pages else None)


# --- pieces of a release --------------------------------------------------------------


def parse_duration(text):
    """Seconds from Discogs' "m:ss" or "h:mm:ss"; None when blank or unreadable."""
    parts = (text or "").strip().split(":")
    if len(parts) not in (2, 3) or not all(part.isdigit() for part in parts):
        return None
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds


def parse_tracklist(entries):
    """Playable tracks in order. Headings (side or disc titles) are dropped; an index track
    (a suite with sub-tracks) counts as one track, as it does on the sleeve."""
    tracks = []
    for entry in entries or ():
        kind = entry.get("type_", "track")  # answers from before 2014 have no type_
        if kind == "track":
            tracks.append(plain_track(entry))
        elif kind == "index":
            tracks.append(index_track(entry))
    return tuple(tracks)


def parse_headings(entries):
    """The titles of the tracklist's headings, in order."""
    return tuple(e.get("title", "") for e in entries or () if e.get("type_") == "heading" and e.get("title"))


def plain_track(entry):
    return Track(entry.get("position", ""), entry.get("title", ""), parse_duration(entry.get("duration")))


def index_track(entry):
    subs = entry.get("sub_tracks") or []
    positions = [sub.get("position", "") for sub in subs if sub.get("position")]
    # "C1.1", "C1.2" → "C1": the position the suite occupies on the record.
    position = entry.get("position") or (positions[0].split(".")[0] if positions else "")
    return Track(position, entry.get("title", ""), parse_duration(entry.get("duration")) or total_duration(subs))


def total_duration(sub_tracks):
    durations = [parse_duration(sub.get("duration")) for sub in sub_tracks]
    if not durations or None in durations:
        return None
    return sum(durations)


def parse_formats(entries):
    return tuple(
        Format(
            name=entry.get("name", ""),
            qty=to_int(entry.get("qty")) or 1,
            descriptions=tuple(entry.get("descriptions") or ()),
            text=entry.get("text") or "",
        )
        for entry in entries or ()
    )


def format_summary(formats):
    """Discogs-style summary: '2xLP, Album, RE, RM'; several formats joined by ' + ';
    identical consecutive formats (a box of LPs) merged into one count."""
    groups = []
    for fmt in formats:
        if groups and (groups[-1][0].name, groups[-1][0].descriptions) == (fmt.name, fmt.descriptions):
            groups[-1][1] += fmt.qty
        else:
            groups.append([fmt, fmt.qty])
    return " + ".join(summarise_format(fmt, qty) for fmt, qty in groups)


def summarise_format(fmt, qty):
    descriptions = list(fmt.descriptions)
    carrier = ABBREVIATIONS.get(fmt.name, fmt.name)
    if fmt.name == VINYL:
        size = next((d for d in descriptions if VINYL_SIZE.match(d)), None)
        if size:
            carrier = size
            descriptions.remove(size)
    head = f"{qty}x{carrier}" if qty > 1 else carrier
    return ", ".join([head, *(ABBREVIATIONS.get(d, d) for d in descriptions)])


def format_summary_is_vinyl(summary):
    """Whether a version's format string ('2xLP, Album', '7", Single', 'Cass') is vinyl."""
    for token in (part.strip() for part in summary.split(",")):
        carrier = re.sub(r"^\d+x", "", token)
        if carrier in VINYL_WORDS or VINYL_SIZE.match(carrier):
            return "Shellac" not in summary
    return False


def format_summary_is_official(summary):
    """Whether a version's format string ('LP, Album, Unofficial') names no unofficial release."""
    return UNOFFICIAL_SHORT not in {token.strip() for token in re.split(r"[,+]", summary)}


def parse_labels(entries):
    return tuple(
        Label(
            id=to_int(entry.get("id")),
            name=entry.get("name", ""),
            # Discogs writes "none" for a release without a catalogue number.
            catno="" if (entry.get("catno") or "").lower() == "none" else entry.get("catno") or "",
        )
        for entry in entries or ()
    )


def parse_images(entries):
    images = [
        Image(
            type=entry.get("type", ""),
            uri=absolute_url(entry.get("uri")),
            uri150=absolute_url(entry.get("uri150")),
            width=to_int(entry.get("width")),
            height=to_int(entry.get("height")),
        )
        for entry in entries or ()
    ]
    return tuple(image for image in images if image.uri)


def primary_image_url(images):
    primary = next((image for image in images if image.type == "primary"), None)
    chosen = primary or (images[0] if images else None)
    return chosen.uri if chosen else ""


def parse_artist_credits(entries):
    return tuple(
        ArtistCredit(
            id=to_int(entry.get("id")),
            name=entry.get("name", ""),
            anv=entry.get("anv") or "",
            join=(entry.get("join") or "").strip(),
        )
        for entry in entries or ()
    )


def credit_string(artists):
    """The credit with canonical names: 'Simon & Garfunkel', 'Artist Feat. Guest'."""
    text = ""
    for index, artist in enumerate(artists):
        text += artist.clean_name
        if index < len(artists) - 1:
            text += ", " if artist.join in ("", ",") else f" {artist.join} "
    return text


def strip_disambiguation(name):
    """ "Nirvana (2)" -> "Nirvana"; a name that is only a suffix ("(2)") is kept as it is."""
    name = name or ""
    stripped = DISAMBIGUATION_SUFFIX.sub("", name)
    return stripped if stripped.strip() else name


def absolute_url(url):
    """Only absolute http(s) URLs: answers from 2013 carry relative paths that no longer work."""
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else ""


def year_of(released):
    year = to_int(str(released)[:4])
    return year if year and year > 0 else None


def parse_datetime(value):
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None

"""Stores, price quotes (history kept), ECB exchange rates and the best price per album.

AlbumBestPrice is a table kept per album and destination by pricing.best_price: each price
batch recomputes the albums it touched, a nightly check repairs any drift (migration 0006).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import describe

# An item-only price (no shipping known: Discogs marketplace statistics, an old marketplace
# sample) older than this is history, not a price to act on: it is shown as "last seen N years
# ago at €X" in muted text and is never a from-price (the grid, the album page, the API, the
# wantlist, the explanations). The one rule of that age: `item_only_cutoff` and the QuerySet's
# `fresh_item_only` / `stale_item_only` ask it.
ITEM_ONLY_FRESH_DAYS = 90


def item_only_cutoff(now=None):
    """Item-only prices observed before this are too old to act on."""
    return (now or timezone.now()) - timedelta(days=ITEM_ONLY_FRESH_DAYS)


class Store(models.Model):
    # No `choices`: the price sources registry (pricing.sources) is the list of kinds, and the
    # admin offers it; a model-level list would need a migration for every new source.
    kind = models.CharField(max_length=10, help_text="Name of the price source whose quotes these are")
    name = models.CharField(max_length=200, unique=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    website = models.URLField(blank=True)
    search_url_template = models.CharField(
        max_length=500,
        blank=True,
        help_text="Search link with {query}, {artist} and {title} placeholders (URL-encoded when filled)",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    def search_url(self, artist, title):
        from urllib.parse import quote_plus

        if not self.search_url_template:
            return ""
        return self.search_url_template.format(
            query=quote_plus(f"{artist} {title}"), artist=quote_plus(artist), title=quote_plus(title)
        )


class Seller(models.Model):
    """A marketplace seller whose whole inventory we read (Discogs `GET /users/{username}/inventory`).

    Operators add sellers in the admin (the local shops that sell on Discogs, any EU seller);
    the crawl fields say how far the last walk got so the next one is incremental.
    """

    discogs_username = models.CharField(max_length=100, unique=True)
    store = models.ForeignKey(
        "Store",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sellers",
        help_text="The record shop this seller account belongs to, when it is one of our stores",
    )
    country = models.CharField(max_length=2, blank=True, help_text="Ships-from country, ISO 3166-1 alpha-2")
    rating = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, help_text="Positive feedback, %")
    ratings_count = models.PositiveIntegerField(null=True, blank=True, help_text="How many ratings the percentage is of")
    is_active = models.BooleanField(default=True)
    full_walk_done_at = models.DateTimeField(null=True, blank=True, help_text="When a crawl last read every page")
    newest_listed_at = models.DateTimeField(null=True, blank=True, help_text="Listing date of the newest listing seen")
    last_crawled_at = models.DateTimeField(null=True, blank=True)
    listings_current = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["discogs_username"]

    def __str__(self):
        return self.discogs_username


class ShippingRate(models.Model):
    """What sending records costs from a seller's country to a destination (the shipping table).

    `ships_from` and `ships_to` are ISO country codes or a zone: "EU" (any EU member), "*"
    (anywhere). The most specific row wins (pricing.shipping). Costs are for LPs; heavier
    format classes scale them.
    """

    ships_from = models.CharField(max_length=3, help_text="ISO code, EU or *")
    ships_to = models.CharField(max_length=4, help_text="ISO code, EU or *; SAME = the seller's own country")
    first_item_eur = models.DecimalField(max_digits=8, decimal_places=2)
    additional_item_eur = models.DecimalField(max_digits=8, decimal_places=2)
    source = models.CharField(max_length=300, blank=True, help_text="Where this figure comes from")

    class Meta:
        ordering = ["ships_from", "ships_to"]
        constraints = [
            models.UniqueConstraint(fields=["ships_from", "ships_to"], name="shipping_rate_unique_route"),
            models.CheckConstraint(
                condition=Q(first_item_eur__gte=0) & Q(additional_item_eur__gte=0), name="shipping_rate_non_negative"
            ),
        ]

    def __str__(self):
        return f"{self.ships_from} → {self.ships_to}: {self.first_item_eur} + {self.additional_item_eur}/LP"


class DescribedPrice:
    """What a price row says of itself in a page (pricing.describe): `price_text` ("€24.90 incl.
    shipping from Germany (estimated)" or "from €7.00 + shipping", a sample saying so),
    `seen_text` ("seen 3 days ago"; nothing for a sample) and, for an item-only price too old to
    act on (`is_stale`), `last_seen_text` ("last seen 5 years ago at €218.40"). Shared by quotes
    and best-price rows, whose columns have the same names."""

    @property
    def price_text(self):
        return describe.price(self)

    @property
    def seen_text(self):
        return describe.seen(self.fetched_at, sample=self.sample)

    @property
    def is_stale(self):
        return self.total_eur is None and self.fetched_at < item_only_cutoff()

    @property
    def last_seen_text(self):
        return describe.last_seen(self.item_eur, self.fetched_at)


class PriceQuoteQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def landed(self):
        """Quotes whose shipping to their destination is known (exact or estimated)."""
        return self.exclude(shipping_kind=PriceQuote.ShippingKind.UNKNOWN)

    def shipping_to(self, country):
        """Offers that ship to `country`, plus those whose destination is not known."""
        return self.filter(Q(ships_to=country) | Q(ships_to=""))

    def fresh_item_only(self, now=None):
        """Item-only quotes recent enough to be a price to act on (ITEM_ONLY_FRESH_DAYS)."""
        return self.filter(shipping_kind=PriceQuote.ShippingKind.UNKNOWN, fetched_at__gte=item_only_cutoff(now))

    def stale_item_only(self, now=None):
        """Item-only quotes too old to act on: shown only as "last seen … at €X"."""
        return self.filter(shipping_kind=PriceQuote.ShippingKind.UNKNOWN, fetched_at__lt=item_only_cutoff(now))


class PriceQuote(DescribedPrice, models.Model):
    """One observed offer. A newer observation of the same offer retires the older one.

    A quote says what it includes: the item price in EUR always; the shipping to `ships_to`
    and the landed `total_eur` only when the shipping is known, exactly (the source stated it)
    or estimated (the shipping table). Item-only quotes (Discogs statistics) have
    `shipping_kind` unknown and no total: they are shown as "from €X + shipping", never ranked
    or summed as landed prices. `fetched_at` is when the offer was observed.
    """

    class ShippingKind(models.TextChoices):
        EXACT = "exact", "Exact (stated by the source)"
        ESTIMATED = "estimated", "Estimated (shipping table)"
        UNKNOWN = "unknown", "Unknown (item price only)"

    class Condition(models.TextChoices):
        MINT = "M", "Mint (M)"
        NEAR_MINT = "NM", "Near Mint (NM or M-)"
        VG_PLUS = "VG+", "Very Good Plus (VG+)"
        VG = "VG", "Very Good (VG)"
        G_PLUS = "G+", "Good Plus (G+)"
        G = "G", "Good (G)"
        FAIR = "F", "Fair (F)"
        POOR = "P", "Poor (P)"
        NEW = "new", "New"
        USED = "used", "Used"
        ANY = "", "Not stated"

    class MatchSource(models.TextChoices):
        NONE = "", "Not matched to a pressing"
        LISTING = "listing", "The listing names the release"
        TITLE = "title", "The listing's title"
        ASPECTS = "aspects", "The listing's title and item specifics"

    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="price_quotes")
    release = models.ForeignKey("catalog.Release", on_delete=models.CASCADE, related_name="price_quotes", null=True, blank=True)
    # How the offer was put on its pressing (issue 23): a marketplace listing that names the
    # release is exact (1.0); an eBay listing is matched by what it states (pricing.pressing_match)
    # and keeps `release` only at or above its threshold; below it, the best guess's confidence
    # and evidence stay here for operators, and the offer is shown as "any pressing".
    match_confidence = models.FloatField(
        null=True, blank=True, help_text="How sure the offer is of its pressing, 0-1 (1 = the listing names the release)"
    )
    match_source = models.CharField(max_length=10, choices=MatchSource.choices, blank=True, default="")
    match_evidence = models.JSONField(
        default=list, blank=True, help_text='What the listing stated that matched, e.g. ["catno SHVL804", "year 1973"]'
    )
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="quotes")
    offer_key = models.CharField(
        max_length=200, help_text="Identity of the offer within its store (eBay item id, 'lowest', condition)"
    )
    condition = models.CharField(max_length=5, choices=Condition.choices, blank=True)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=10, decimal_places=2, help_text="Item price in `currency`")
    shipping = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="Stated shipping in `currency`, when stated"
    )
    item_eur = models.DecimalField(max_digits=10, decimal_places=2, help_text="Item price in EUR")
    shipping_eur = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="Shipping to `ships_to` in EUR, when known"
    )
    shipping_kind = models.CharField(max_length=9, choices=ShippingKind.choices, default=ShippingKind.UNKNOWN)
    total_eur = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="Landed total; only when shipping is known"
    )
    sleeve_condition = models.CharField(max_length=20, blank=True)
    seller = models.CharField(max_length=200, blank=True)
    seller_account = models.ForeignKey(
        Seller,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="The crawled seller whose inventory listed this offer",
    )
    seller_rating = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, help_text="Positive feedback, %")
    seller_ratings_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many ratings the seller's percentage is of (eBay: feedback score)"
    )
    item_location = models.CharField(max_length=2, blank=True, help_text="Country the item ships from")
    sample = models.BooleanField(
        default=False, help_text="Built by the offline demo's replay world, not observed: shown as a sample price"
    )
    ships_to = models.CharField(max_length=2, blank=True, help_text="Destination country; blank = not stated")
    weight_class = models.CharField(
        max_length=4, blank=True, help_text="LP, 2xLP or box, as the shipping was estimated; blank = from the pressing's formats"
    )
    num_for_sale = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=500, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    is_current = models.BooleanField(default=True)
    fetched_at = models.DateTimeField()

    objects = PriceQuoteQuerySet.as_manager()

    class Meta:
        ordering = ["-fetched_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(item_eur__gte=0) & (Q(total_eur__isnull=True) | Q(total_eur__gte=0)),
                name="quote_non_negative",
            ),
            models.CheckConstraint(
                condition=(Q(shipping_kind="unknown") & Q(total_eur__isnull=True))
                | (Q(shipping_kind__in=["exact", "estimated"]) & Q(total_eur__isnull=False) & Q(shipping_eur__isnull=False)),
                name="quote_total_only_when_landed",
            ),
            models.UniqueConstraint(
                fields=["store", "offer_key", "ships_to"],
                condition=Q(is_current=True),
                name="quote_one_current_per_offer",
            ),
        ]
        indexes = [
            models.Index(fields=["album", "ships_to", "total_eur"], name="quote_album_country_total"),
            models.Index(fields=["release", "-fetched_at"], name="quote_release_history"),
            # The current quotes in the best-price rule's own order (landed totals first, the
            # item-only ones after them), with what the album page ranks them by beside it:
            # an album's best price and its offers per source are ranked from the index alone
            # (PostgreSQL; SQLite keeps the partial index without the included columns), and
            # only the winners' rows are read. An album's quotes lie all over the table.
            models.Index(
                fields=["album", "ships_to", "total_eur", "-fetched_at", "id"],
                include=["store", "item_eur", "release"],
                condition=Q(is_current=True),
                name="quote_best_price_order",
            ),
        ]

    def __str__(self):
        price = f"{self.total_eur} EUR landed" if self.total_eur is not None else f"{self.item_eur} EUR + shipping"
        return f"{price} · {self.store} · {self.album_id}"

    @property
    def is_landed(self):
        return self.shipping_kind != self.ShippingKind.UNKNOWN


class MarketCheckQuerySet(models.QuerySet):
    def known_empty(self, since):
        """Pressings Discogs said had nothing for sale at or after `since`."""
        return self.filter(num_for_sale=0, checked_at__gte=since)


class MarketCheck(models.Model):
    """What Discogs' marketplace statistics last said of a pressing: how many copies are for sale.

    The cheap filter of the price budget (pricing.schedule): a pressing with nothing for sale is
    not asked again for settings.PRICE_EMPTY_RECHECK_DAYS, and nothing else is asked about it."""

    release = models.OneToOneField("catalog.Release", on_delete=models.CASCADE, related_name="market_check")
    num_for_sale = models.PositiveIntegerField()
    checked_at = models.DateTimeField()

    objects = MarketCheckQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["num_for_sale", "checked_at"], name="marketcheck_empty_since")]

    def __str__(self):
        return f"{self.release_id}: {self.num_for_sale} for sale ({self.checked_at:%Y-%m-%d})"


class PriceSuggestion(models.Model):
    """What Discogs suggests as the item price of a pressing in one condition
    (`GET /marketplace/price_suggestions/{release_id}`, the site's account), in EUR: the deal
    score's second basis when we have too few observations of our own (pricing.deals). An item
    price: it says nothing of shipping."""

    release = models.ForeignKey("catalog.Release", on_delete=models.CASCADE, related_name="price_suggestions")
    condition = models.CharField(max_length=5, choices=PriceQuote.Condition.choices)
    item_eur = models.DecimalField(max_digits=10, decimal_places=2)
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "condition"], name="price_suggestion_one_per_condition"),
            models.CheckConstraint(condition=Q(item_eur__gte=0), name="price_suggestion_non_negative"),
        ]

    def __str__(self):
        return f"{self.release_id} {self.condition}: {self.item_eur} EUR"


class ExchangeRate(models.Model):
    """ECB reference rate: 1 EUR = `rate` units of `currency` on `date`."""

    currency = models.CharField(max_length=3)
    date = models.DateField()
    rate = models.DecimalField(max_digits=14, decimal_places=6)

    class Meta:
        ordering = ["-date", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="rate_unique_currency_date"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="rate_positive"),
        ]

    def __str__(self):
        return f"1 EUR = {self.rate} {self.currency} ({self.date})"


class AlbumBestPriceQuerySet(models.QuerySet):
    def for_country(self, country):
        """The best prices landed in `country` (a landed total needs a stated destination)."""
        return self.filter(ships_to=country).order_by("album_id", "total_eur")


class AlbumBestPrice(DescribedPrice, models.Model):
    """Cheapest current landed total per album and destination country, across pressings and stores.

    Item-only quotes (shipping unknown) are never a best price. A table kept by
    pricing.best_price: each album's rows are recomputed after its quotes change, and a nightly
    check repairs any row that differs from the full recompute. The columns copy the quote's,
    so the grid reads a price without joining the quotes."""

    # No database constraint on the quote and the pressing: a row is written from the quote
    # it copies in the same statement, and checking the two keys at commit locked (and so
    # rewrote) 600 scattered quote and pressing rows per 100 albums, most of an update's cost.
    # Django still cascades a deleted quote and nulls a deleted pressing, and the nightly check
    # (pricing.best_price) removes any row whose quote is gone or no longer the best.
    quote = models.OneToOneField(
        PriceQuote, on_delete=models.CASCADE, primary_key=True, db_column="quote_id", db_constraint=False
    )
    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="best_prices", db_index=False)
    release = models.ForeignKey("catalog.Release", on_delete=models.SET_NULL, null=True, related_name="+", db_constraint=False)
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    ships_to = models.CharField(max_length=2)
    total_eur = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    shipping = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    url = models.URLField(max_length=1000)
    fetched_at = models.DateTimeField()
    item_eur = models.DecimalField(max_digits=10, decimal_places=2)
    shipping_eur = models.DecimalField(max_digits=10, decimal_places=2)
    shipping_kind = models.CharField(max_length=9, choices=PriceQuote.ShippingKind.choices)
    item_location = models.CharField(max_length=2)
    condition = models.CharField(max_length=5, choices=PriceQuote.Condition.choices)
    sample = models.BooleanField()

    objects = AlbumBestPriceQuerySet.as_manager()

    class Meta:
        db_table = "pricing_albumbestprice"
        constraints = [
            # Also the index of the grid's lookup: album_id IN (...) AND ships_to = X.
            models.UniqueConstraint(fields=["album", "ships_to"], name="best_price_one_per_album_country"),
        ]

    def __str__(self):
        return f"{self.album_id} → {self.ships_to or 'any'}: {self.total_eur} EUR"


class CollectionValuePoint(models.Model):
    """A listener's collection value in one week (a point per week, kept from the first week on:
    its history). Written by the weekly task (accounts.collection_value.record_week), rewritten
    within its week. `values` holds each record's value ({collection item id: "12.50"}) so the
    biggest movers between two weeks can be named. Kept here, beside the prices it sums; the
    collection itself is accounts'. Discogs' own estimate (minimum, median, maximum, converted to
    EUR) is stored when the listener's account is connected and answered."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collection_values")
    week = models.DateField(help_text="The Monday of the week")
    total_eur = models.DecimalField(max_digits=12, decimal_places=2)
    records = models.PositiveIntegerField()
    valued = models.PositiveIntegerField(help_text="Records with a usual price")
    sample = models.PositiveIntegerField(default=0, help_text="Records valued from sample prices only")
    values = models.JSONField(default=dict, blank=True)
    discogs_minimum_eur = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    discogs_median_eur = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    discogs_maximum_eur = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    discogs_error = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "week"]
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="collection_value_one_per_week")]

    def __str__(self):
        return f"{self.user_id} · {self.week}: {self.total_eur} EUR"

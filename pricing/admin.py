from django import forms
from django.contrib import admin

from integrations.queue import enqueue

from . import sources
from .models import AlbumBestPrice, ExchangeRate, PriceQuote, Seller, ShippingRate, Store


class StoreForm(forms.ModelForm):
    kind = forms.ChoiceField(choices=lambda: [(s.name, s.label) for s in sources.registered()], label="Price source")
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Store
        fields = ["kind", "name", "city", "country", "website", "search_url_template", "is_active"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    form = StoreForm
    list_display = ["name", "kind", "city", "country", "is_active", "search_url_template"]
    list_filter = ["kind", "is_active", "country"]
    list_editable = ["is_active"]
    search_fields = ["name", "city"]


@admin.register(PriceQuote)
class PriceQuoteAdmin(admin.ModelAdmin):
    list_display = [
        "album",
        "release",
        "store",
        "condition",
        "amount",
        "currency",
        "shipping",
        "total_eur",
        "ships_to",
        "is_current",
        "fetched_at",
    ]
    list_filter = ["store", "is_current", "ships_to", "currency", "condition"]
    search_fields = ["album__title", "album__artist__name", "seller", "=release__discogs_id", "offer_key"]
    list_select_related = ["album", "album__artist", "release", "store"]
    raw_id_fields = ["album", "release"]
    date_hierarchy = "fetched_at"


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "rate", "date"]
    list_filter = ["currency"]
    date_hierarchy = "date"


@admin.register(AlbumBestPrice)
class AlbumBestPriceAdmin(admin.ModelAdmin):
    """Read-only: the rows are kept by pricing.best_price (per album after each batch, checked nightly)."""

    list_display = ["album", "ships_to", "total_eur", "store", "release", "fetched_at"]
    list_filter = ["ships_to", "store"]
    search_fields = ["album__title", "album__artist__name"]
    list_select_related = ["album", "album__artist", "store", "release"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ShippingRate)
class ShippingRateAdmin(admin.ModelAdmin):
    """The shipping table behind every estimated shipping (pricing.shipping): saving or deleting a
    row re-estimates the current quotes and their best prices (pricing.services.reestimate_shipping,
    run by a task once the edit is committed). Each row says where its figure comes from."""

    list_display = ["ships_from", "ships_to", "first_item_eur", "additional_item_eur", "source"]
    list_editable = ["first_item_eur", "additional_item_eur"]
    list_filter = ["ships_from", "ships_to"]
    search_fields = ["ships_from", "ships_to", "source"]
    actions = ["reestimate_quotes"]

    @admin.action(description="Re-estimate the current quotes and best prices with the table now")
    def reestimate_quotes(self, request, queryset):
        enqueue("pricing.reestimate_shipping")
        self.message_user(request, "Re-estimating the current quotes' shipping; best prices follow.")


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    """Sellers whose Discogs inventory we crawl; the crawl state says how far the last walk got."""

    list_display = [
        "discogs_username",
        "store",
        "country",
        "rating",
        "ratings_count",
        "is_active",
        "listings_current",
        "last_crawled_at",
        "full_walk_done_at",
        "newest_listed_at",
        "has_error",
    ]
    list_filter = ["is_active", "country", ("store", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["discogs_username", "store__name"]
    list_select_related = ["store"]
    readonly_fields = [
        "rating",
        "ratings_count",
        "listings_current",
        "last_crawled_at",
        "full_walk_done_at",
        "newest_listed_at",
        "last_error",
    ]
    actions = ["crawl_now", "crawl_everything_again"]

    @admin.display(boolean=True, description="error")
    def has_error(self, seller):
        return bool(seller.last_error)

    @admin.action(description="Crawl the selected sellers' inventories now")
    def crawl_now(self, request, queryset):
        from .tasks import crawl_seller

        ids = list(queryset.filter(is_active=True).values_list("pk", flat=True))
        for seller_id in ids:
            crawl_seller.delay(seller_id)
        self.message_user(request, f"{len(ids)} crawl(s) enqueued on the discogs queue.")

    @admin.action(description="Walk every page again on the next crawl (retires sold listings)")
    def crawl_everything_again(self, request, queryset):
        updated = queryset.update(full_walk_done_at=None)
        self.message_user(request, f"{updated} seller(s) will be walked in full on their next crawl.")

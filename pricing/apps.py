from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "pricing"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from catalog import seo

        from .best_price import on_quotes_changed
        from .models import ShippingRate
        from .queries import landed_offer_summary
        from .services import on_shipping_rate_changed
        from .signals import quotes_changed

        # Connected here, before the apps to our right connect theirs: they read fresh best prices.
        quotes_changed.connect(on_quotes_changed, dispatch_uid="pricing.update_best_prices")
        # An edit of the shipping table re-estimates the quotes it decides (pricing.services).
        post_save.connect(on_shipping_rate_changed, sender=ShippingRate, dispatch_uid="pricing.reestimate_on_save")
        post_delete.connect(on_shipping_rate_changed, sender=ShippingRate, dispatch_uid="pricing.reestimate_on_delete")
        # The public album page states its offers to search engines (catalog.seo); catalog cannot ask pricing itself.
        seo.register_offer_summary(landed_offer_summary)

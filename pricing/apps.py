from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "pricing"

    def ready(self):
        from .best_price import on_quotes_changed
        from .signals import quotes_changed

        # Connected here, before the apps to our right connect theirs: they read fresh best prices.
        quotes_changed.connect(on_quotes_changed, dispatch_uid="pricing.update_best_prices")

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from pricing import destinations

        from . import (
            language,  # noqa: F401  the profile's language is applied on sign-in
            signals,  # every user gets a profile; tokens are encrypted at rest
        )
        from .filters import buying_filters
        from .models import active_countries, user_country

        destinations.register(active_countries=active_countries, user_country=user_country, user_filters=buying_filters)
        signals.connect_encrypted_fields()

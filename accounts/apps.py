from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from pricing import destinations

        from . import signals  # noqa: F401 — every user gets a profile
        from .models import active_countries, user_country

        destinations.register(active_countries=active_countries, user_country=user_country)

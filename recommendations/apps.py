from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"

    def ready(self):
        from . import receivers  # noqa: F401 — connects to the signals of the apps to its left

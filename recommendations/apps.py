from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"

    def ready(self):
        from pricing import priority

        from . import receivers  # noqa: F401 — connects to the signals of the apps to its left

        priority.register(albums_listeners_see)


def albums_listeners_see(among=None):
    """Ids of albums in a live set, locked or wantlisted (here or on Discogs), of the ids `among`
    when given: pricing refreshes their prices daily (pricing.schedule), the others by demand."""
    from accounts.models import CollectionItem

    from .models import Feedback, RecommendationItem, RecommendationSet

    in_sets = RecommendationItem.objects.filter(set__in=RecommendationSet.objects.live()).values_list("album_id", flat=True)
    kept = Feedback.objects.filter(kind__in=[Feedback.Kind.LOCK, Feedback.Kind.WANTLIST]).values_list("album_id", flat=True)
    wanted = CollectionItem.objects.filter(folder=CollectionItem.Folder.WANTLIST, release__album__isnull=False)
    wanted = wanted.values_list("release__album_id", flat=True)
    if among is not None:
        in_sets, kept, wanted = (
            in_sets.filter(album_id__in=among),
            kept.filter(album_id__in=among),
            wanted.filter(release__album_id__in=among),
        )
    return {*in_sets, *kept, *wanted}

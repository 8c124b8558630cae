"""factory-boy factories for recommendation rows."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.factories import UserFactory
from catalog.factories import AlbumFactory

from .models import Feedback, RecommendationItem, RecommendationSet


class RecommendationSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendationSet

    user = factory.SubFactory(UserFactory)
    status = RecommendationSet.Status.READY
    progress = 100
    generated_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=24))


class RecommendationItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendationItem

    set = factory.SubFactory(RecommendationSetFactory)
    position = factory.Sequence(lambda n: n + 1)
    album = factory.SubFactory(AlbumFactory)
    score = 50.0
    breakdown = factory.LazyFunction(lambda: {"taste": 30.0, "rating": 20.0})
    explanation = "You listen to similar artists."


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    user = factory.SubFactory(UserFactory)
    album = factory.SubFactory(AlbumFactory)
    kind = Feedback.Kind.LOCK

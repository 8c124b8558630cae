import pytest
from django.db import IntegrityError, transaction

from recommendations.factories import FeedbackFactory, RecommendationItemFactory
from recommendations.models import Feedback

pytestmark = pytest.mark.django_db


def test_one_feedback_row_per_user_album_and_kind():
    feedback = FeedbackFactory(kind=Feedback.Kind.DISMISS)
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackFactory(user=feedback.user, album=feedback.album, kind=Feedback.Kind.DISMISS)


def test_a_user_may_lock_and_wantlist_the_same_album():
    lock = FeedbackFactory(kind=Feedback.Kind.LOCK)
    FeedbackFactory(user=lock.user, album=lock.album, kind=Feedback.Kind.WANTLIST)
    assert Feedback.objects.filter(user=lock.user, album=lock.album).count() == 2


def test_an_album_appears_once_per_set():
    item = RecommendationItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RecommendationItemFactory(set=item.set, album=item.album)

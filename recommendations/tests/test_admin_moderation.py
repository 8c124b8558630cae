"""Operators moderate feedback in bulk and read a recommendation set's scores component by component."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from catalog.factories import AlbumFactory
from recommendations.factories import FeedbackFactory, RecommendationItemFactory, RecommendationSetFactory
from recommendations.models import Feedback

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:recommendations_feedback_changelist"


def _act(client, action, rows):
    return client.post(reverse(CHANGELIST), {"action": action, "_selected_action": [r.pk for r in rows]}, follow=True)


def _kinds():
    return sorted(Feedback.objects.values_list("user__username", "album__title", "kind"))


def test_clear_selected_feedback_deletes_only_the_selection(admin_client):
    keep, *cleared = FeedbackFactory.create_batch(3)
    response = _act(admin_client, "clear_selected", cleared)
    assert list(Feedback.objects.all()) == [keep]
    assert "Cleared 2 feedback row(s)." in response.content.decode()


def test_converting_feedback_changes_its_kind(admin_client):
    lock = FeedbackFactory(kind=Feedback.Kind.LOCK)
    _act(admin_client, "convert_to_dismiss", [lock])
    lock.refresh_from_db()
    assert lock.kind == Feedback.Kind.DISMISS


def test_converting_onto_a_kind_the_user_already_gave_merges_into_the_existing_row(admin_client):
    user, album = UserFactory(username="ana"), AlbumFactory(title="OK Computer")
    existing = FeedbackFactory(user=user, album=album, kind=Feedback.Kind.WANTLIST, reason="birthday")
    lock = FeedbackFactory(user=user, album=album, kind=Feedback.Kind.LOCK)
    other = FeedbackFactory(user=user, kind=Feedback.Kind.LOCK)
    response = _act(admin_client, "convert_to_wantlist", [lock, existing, other])
    assert _kinds() == sorted([("ana", "OK Computer", "wantlist"), ("ana", other.album.title, "wantlist")])
    assert Feedback.objects.get(pk=existing.pk).reason == "birthday"
    assert "1 converted to wantlist, 1 merged into an existing wantlist." in response.content.decode()


def test_two_selected_rows_landing_on_the_same_kind_keep_one(admin_client):
    user, album = UserFactory(username="ben"), AlbumFactory(title="Dummy")
    rows = [FeedbackFactory(user=user, album=album, kind=k) for k in (Feedback.Kind.LOCK, Feedback.Kind.WANTLIST)]
    _act(admin_client, "convert_to_dismiss", rows)
    assert _kinds() == [("ben", "Dummy", "dismiss")]


def test_feedback_can_be_filtered_by_user_album_and_kind(admin_client):
    mine = FeedbackFactory(user=UserFactory(username="carla"), kind=Feedback.Kind.DISMISS)
    FeedbackFactory(user=UserFactory(username="dan"), kind=Feedback.Kind.DISMISS)
    query = {"user__id__exact": mine.user_id, "album__id__exact": mine.album_id, "kind__exact": "dismiss"}
    response = admin_client.get(reverse(CHANGELIST), query)
    assert [f.pk for f in response.context["cl"].result_list] == [mine.pk]


def test_the_set_inspector_shows_each_items_score_breakdown_as_a_table(admin_client):
    rec_set = RecommendationSetFactory()
    RecommendationItemFactory(
        set=rec_set,
        position=1,
        album=AlbumFactory(title="Homogenic"),
        score=42.5,
        breakdown={"taste": 30.0, "rating": 15.0, "already heard": -2.5},
        explanation="Because you play Björk.",
    )
    page = admin_client.get(reverse("admin:recommendations_recommendationset_change", args=[rec_set.pk])).content.decode()
    taste, rating, penalty = (page.index(s) for s in ("<td>taste</td>", "<td>rating</td>", "<td>already heard</td>"))
    assert taste < rating < penalty
    assert "<td class='num'>+30.0</td>" in page and "<td class='num'>-2.5</td>" in page
    assert "<th class='num'>+42.5</th>" in page
    assert "Homogenic" in page and "Because you play Björk." in page


def test_moderation_pages_are_for_staff_only(client):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))

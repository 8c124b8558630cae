"""A card's pressing count says what we know: "N vinyl pressings" once every version of the
album's master was read (catalog: Album.all_versions_read_at), "known so far" otherwise; the
API says which (`pressings_complete`)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.factories import ReleaseFactory
from catalog.models import Album
from recommendations import services
from recommendations.models import RecommendationSet

from .world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_set(settings, client, django_capture_on_commit_callbacks):
    settings.RECOMMENDATION_SET_SIZE = 6
    world = build_world()
    client.force_login(world.user)
    with django_capture_on_commit_callbacks(execute=True):
        rec_set = services.request_generation(world.user)
    rec_set.refresh_from_db()
    assert rec_set.status == RecommendationSet.Status.READY
    return world, rec_set


def card_of(client, rec_set, album):
    item = rec_set.items.get(album=album)
    html = client.get(reverse("recommendations:page")).content.decode()
    card = html[html.index(f'id="item-{item.pk}"') :]
    return card[: card.index("</article>")]


def test_a_count_of_pressings_known_so_far_says_so(client, ready_set):
    world, rec_set = ready_set
    card = card_of(client, rec_set, world.album("OK Computer"))

    assert "1 vinyl pressing known so far" in card


def test_once_every_version_was_read_the_card_states_the_count(client, ready_set):
    world, rec_set = ready_set
    kid_a = world.album("Kid A")
    ReleaseFactory.create_batch(3, album=kid_a)
    Album.objects.filter(pk=kid_a.pk).update(all_versions_read_at=timezone.now(), versions_total=4)
    RecommendationSet.objects.filter(pk=rec_set.pk).update(shown_version=rec_set.shown_version + 1)  # a new grid

    card = card_of(client, rec_set, kid_a)

    assert "4 vinyl pressings" in card and "known so far" not in card


def test_the_api_says_whether_the_count_is_complete(client, ready_set):
    world, rec_set = ready_set
    Album.objects.filter(pk=world.album("Kid A").pk).update(all_versions_read_at=timezone.now())

    items = {i["album"]["title"]: i for i in client.get(reverse("api:recs")).json()["items"]}

    assert items["Kid A"]["pressings_complete"] is True and items["OK Computer"]["pressings_complete"] is False

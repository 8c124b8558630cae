"""/api/recs and /api/recs/refresh: the current set as JSON, and asking for a new one."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from recommendations import services
from recommendations.factories import RecommendationItemFactory, RecommendationSetFactory
from recommendations.models import RecommendationSet

from .world import build_world

pytestmark = pytest.mark.django_db

SIZE = 6


@pytest.fixture
def world(settings, client, django_capture_on_commit_callbacks):
    settings.RECOMMENDATION_SET_SIZE = SIZE
    world = build_world()
    with django_capture_on_commit_callbacks(execute=True):
        world.set = services.request_generation(world.user)
    client.force_login(world.user)
    return world


def test_api_recs_lists_the_current_sets_items_in_order_with_scores_prices_and_links(client, world):
    data = client.get(reverse("api:recs")).json()
    assert data["set"]["id"] == world.set.pk and data["set"]["status"] == "ready" and data["set"]["progress"] == 100
    assert [item["position"] for item in data["items"]] == list(range(1, SIZE + 1))
    ok = next(item for item in data["items"] if item["album"]["title"] == "OK Computer")
    assert ok["album"]["artist"] == "Radiohead" and ok["album"]["year"] == 2000
    assert ok["album"]["url"].endswith(reverse("catalog:album", args=[world.album("OK Computer").pk]))
    price = ok["best_price"]
    assert {key: price[key] for key in ("total_eur", "store", "url", "ships_to")} == {
        "total_eur": "27.40",
        "store": "Discogs",
        "url": "",
        "ships_to": "ES",
    }
    assert price["shipping"] in ("exact", "estimated") and price["sample"] is False and price["observed_at"]
    assert ok["from_price"] is None
    assert sum(ok["breakdown"].values()) == pytest.approx(ok["score"])
    assert ok["explanation"] and ok["pressings"] == 1 and ok["locked"] is False


def test_every_item_says_its_reason_and_the_listeners_artists_it_comes_via(client, world, settings, generate):
    settings.RECOMMENDATION_SET_SIZE = 24
    generate(world.user, force=True)
    items = {item["album"]["title"]: item for item in client.get(reverse("api:recs")).json()["items"]}
    assert items["OK Computer"]["via"] == ["Radiohead"]
    assert items["OK Computer"]["reason"] == "You played Radiohead 1,204 times"
    assert items["Parklife"]["via"] == ["Radiohead"]
    assert items["Parklife"]["reason"] == "Because you listen to Radiohead, whose listeners also love Blur"
    assert items["Mezzanine"]["via"] == ["Portishead", "Radiohead"]
    assert all(item["reason"] and item["score"] > 0 for item in items.values())


def test_api_recs_of_a_listener_without_a_set_is_empty(client):
    client.force_login(UserFactory())
    assert client.get(reverse("api:recs")).json() == {"set": None, "items": []}


def test_api_recs_shows_only_my_own_set(client, world):
    other = UserFactory(username="other")
    RecommendationItemFactory(set=RecommendationSetFactory(user=other), album__title="Their Album")
    client.force_login(other)
    titles = [item["album"]["title"] for item in client.get(reverse("api:recs")).json()["items"]]
    assert titles == ["Their Album"]


def test_api_recs_answers_401_json_to_anonymous_visitors():
    response = Client().get(reverse("api:recs"))
    assert response.status_code == 401 and response.json() == {"error": "authentication required"}


def test_api_refresh_starts_a_new_generation_and_answers_202_with_its_status(client, world):
    response = client.post(reverse("api:recs_refresh"))  # the task waits for the commit
    data = response.json()
    assert response.status_code == 202
    assert data["id"] != world.set.pk and data["status"] == "pending" and data["progress"] == 0
    assert RecommendationSet.objects.get(pk=data["id"]).user == world.user


def test_api_refresh_is_csrf_protected(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user)
    assert browser.post(reverse("api:recs_refresh")).status_code == 403
    browser.get(reverse("recommendations:page"))  # sets the CSRF cookie, as a page visit does
    token = browser.cookies["csrftoken"].value
    assert browser.post(reverse("api:recs_refresh"), HTTP_X_CSRFTOKEN=token).status_code == 202


def test_api_refresh_answers_401_json_to_anonymous_visitors():
    response = Client().post(reverse("api:recs_refresh"))
    assert response.status_code == 401 and response.json()["error"] == "authentication required"


def test_api_refresh_refuses_get(client, world):
    assert client.get(reverse("api:recs_refresh")).status_code == 405

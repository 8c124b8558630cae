"""The recommendations page: the grid, in-place lock/dismiss/wantlist, the progress banner, reset."""

import re
from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse

from accounts.factories import UserFactory
from catalog.factories import AlbumFactory, ArtistFactory, ReleaseFactory
from recommendations import services
from recommendations.factories import FeedbackFactory, RecommendationItemFactory, RecommendationSetFactory
from recommendations.models import Feedback, RecommendationItem, RecommendationSet

from .world import build_world

pytestmark = pytest.mark.django_db

SIZE = 6
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(settings, client):
    settings.RECOMMENDATION_SET_SIZE = SIZE
    world = build_world()
    client.force_login(world.user)
    return world


@pytest.fixture
def ready_set(world, django_capture_on_commit_callbacks):
    """The listener's set, generated (the eager task runs when the request's transaction commits)."""
    with django_capture_on_commit_callbacks(execute=True):
        rec_set = services.request_generation(world.user)
    rec_set.refresh_from_db()
    assert rec_set.status == RecommendationSet.Status.READY
    return rec_set


def _cards(html):
    return re.findall(r'<article class="rec-card card" id="item-(\d+)"', html)


def _login_redirect(response):
    return response.status_code == 302 and reverse("account_login") in response["Location"]


def _feedback_url(item):
    return reverse("recommendations:feedback", args=[item.pk])


# --- the page ------------------------------------------------------------------------------


def test_recommendations_need_a_signed_in_listener(client):
    assert _login_redirect(client.get(reverse("recommendations:page")))


def test_first_visit_starts_generation_and_shows_a_polling_banner_until_it_is_done(client, world):
    html = client.get(reverse("recommendations:page")).content.decode()  # the task waits for the commit
    rec_set = RecommendationSet.objects.get(user=world.user)
    assert rec_set.status == RecommendationSet.Status.PENDING
    assert f'hx-get="{reverse("recommendations:progress", args=[rec_set.pk])}"' in html
    assert 'hx-trigger="every 1s"' in html and "<progress" in html
    assert '<meta http-equiv="refresh"' in html  # without JavaScript the page reloads itself
    assert _cards(html) == []


def test_first_visit_with_eager_generation_shows_the_full_grid(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("recommendations:page"))
    html = client.get(reverse("recommendations:page")).content.decode()
    assert len(_cards(html)) == SIZE
    assert 'class="banner' not in html


def test_a_full_grid_asks_for_nothing_more(client, ready_set):
    assert "Add more artists or connect a source" not in client.get(reverse("recommendations:page")).content.decode()


def test_when_related_albums_run_out_the_grid_is_shorter_and_asks_for_more_taste(client, world, settings, generate):
    settings.RECOMMENDATION_SET_SIZE = 24
    # An album of a genre nobody here plays, much wanted: it must not pad the grid.
    metal = AlbumFactory(artist=ArtistFactory(name="Cannibal Corpse"), title="Butchered At Birth")
    ReleaseFactory(album=metal, want=90000)
    generate(world.user)
    html = client.get(reverse("recommendations:page")).content.decode()
    # 9 related albums fit the first screen (Radiohead's third would break two per artist).
    assert len(_cards(html)) == 9
    assert "Butchered At Birth" not in html
    assert "Add more artists or connect a source" in html
    assert reverse("accounts:onboarding") in html.split("Add more artists or connect a source")[0].rsplit("<p", 1)[1]


def test_each_card_shows_cover_artist_title_year_price_store_pressings_and_the_score_breakdown(client, ready_set, world):
    ok_computer = world.album("OK Computer")
    item = ready_set.items.get(album=ok_computer)
    html = client.get(reverse("recommendations:page")).content.decode()
    card = html[html.index(f'id="item-{item.pk}"') :]
    card = card[: card.index("</article>")]
    assert "OK Computer" in card and "Radiohead" in card and "2000" in card
    assert "€27.40" in card and "Discogs" in card and "1 vinyl pressing" in card
    assert "<title>OK Computer — Radiohead</title>" in card and 'class="sleeve"' in card  # its own sleeve, no shared icon
    assert "<details" in card and item.explanation[:30] in card
    for component in item.breakdown:
        assert component.capitalize() in card
    assert card.count('aria-pressed="false"') == 2  # Lock and Wantlist toggles
    assert card.count('method="post"') == 1 and card.count("hx-post=") == 1  # one form, a button per action
    for action in ("lock", "wantlist", "dismiss"):
        assert f'name="action" value="{action}"' in card


def test_the_page_reads_the_same_number_of_queries_for_a_small_and_a_big_grid(client, django_assert_num_queries):
    """Pinned: the session and user, the set, the listener's profile with whether they added
    artists (one query), the items with their flags, and (only for cards not cached yet) their best landed and item-only prices. A
    repeat visit reads the whole grid from the cache, keyed on the set's shown_version: no
    item, flag or price at all."""
    for count in (2, 12):
        user = UserFactory()
        rec_set = RecommendationSetFactory(user=user)
        RecommendationItemFactory.create_batch(count, set=rec_set)
        client.force_login(user)
        with django_assert_num_queries(10):  # 3 of them the suggested pressings (pricing.guide.suggestions)
            assert client.get(reverse("recommendations:page")).status_code == 200
        with django_assert_num_queries(4):
            assert client.get(reverse("recommendations:page")).status_code == 200


def test_a_cached_card_shows_a_new_price_as_soon_as_the_albums_quotes_change(client, ready_set):
    """The card cache keys on Album.prices_changed_at, which the best-price update stamps."""
    from pricing.best_price import update_best_prices
    from pricing.models import PriceQuote

    ok_computer = ready_set.items.get(album__title="OK Computer").album
    item = ready_set.items.get(album=ok_computer)
    client.force_login(ready_set.user)

    def price_on_card():
        html = client.get(reverse("recommendations:page")).content.decode()
        card = html[html.index(f'id="item-{item.pk}"') :]
        return card[card.index('class="rec-price"') : card.index("</p>", card.index('class="rec-price"'))]

    assert "€27.40" in price_on_card()
    PriceQuote.objects.filter(album=ok_computer, total_eur=Decimal("27.40")).update(
        total_eur=Decimal("25.10"), item_eur=Decimal("25.10") - F("shipping_eur")
    )
    assert "€27.40" in price_on_card()  # nobody told pricing yet: the best-price table still says so
    update_best_prices([ok_computer.pk])
    assert "€25.10" in price_on_card()


def test_an_expired_set_is_regenerated_on_the_next_visit(client, ready_set, django_capture_on_commit_callbacks):
    RecommendationSet.objects.filter(pk=ready_set.pk).update(expires_at=ready_set.created_at)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("recommendations:page"))
    assert services.current_set(ready_set.user).pk != ready_set.pk


def test_a_listener_without_any_taste_is_sent_to_onboarding(client):
    client.force_login(UserFactory())
    html = client.get(reverse("recommendations:page")).content.decode()
    assert reverse("accounts:onboarding") in html and "We don't know your taste yet" in html


# --- progress banner and grid partials -------------------------------------------------------


def test_progress_partial_shows_the_percentage_while_running(client, world):
    rec_set = RecommendationSetFactory(user=world.user, status=RecommendationSet.Status.RUNNING, progress=42)
    html = client.get(reverse("recommendations:progress", args=[rec_set.pk]), **HTMX).content.decode()
    assert "42%" in html and 'hx-trigger="every 1s"' in html
    assert "hx-swap-oob" not in html


def test_progress_partial_stops_polling_and_swaps_the_grid_in_once_ready(client, ready_set):
    html = client.get(reverse("recommendations:progress", args=[ready_set.pk]), **HTMX).content.decode()
    assert "every 1s" not in html and "ready" in html
    assert 'id="rec-grid"' in html and 'hx-swap-oob="true"' in html
    assert len(_cards(html)) == SIZE


def test_progress_partial_of_a_failed_set_offers_to_try_again(client, world):
    rec_set = RecommendationSetFactory(user=world.user, status=RecommendationSet.Status.FAILED, progress=30)
    html = client.get(reverse("recommendations:progress", args=[rec_set.pk]), **HTMX).content.decode()
    assert "Generation failed" in html and reverse("recommendations:refresh") in html


@pytest.mark.parametrize("name", ["progress", "grid"])
def test_set_partials_of_another_listeners_set_are_404(client, world, name):
    theirs = RecommendationSetFactory(user=UserFactory(username="them"))
    assert client.get(reverse(f"recommendations:{name}", args=[theirs.pk]), **HTMX).status_code == 404


@pytest.mark.parametrize("name", ["progress", "grid"])
def test_set_partials_need_a_signed_in_listener(client, name):
    rec_set = RecommendationSetFactory()
    assert _login_redirect(client.get(reverse(f"recommendations:{name}", args=[rec_set.pk]), **HTMX))


def test_grid_partial_renders_the_owners_cards(client, ready_set):
    html = client.get(reverse("recommendations:grid", args=[ready_set.pk]), **HTMX).content.decode()
    assert len(_cards(html)) == SIZE and "<html" not in html


def test_set_partials_without_htmx_go_back_to_the_page(client, ready_set):
    response = client.get(reverse("recommendations:progress", args=[ready_set.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("recommendations:page")


# --- lock, wantlist, dismiss -------------------------------------------------------------------


def test_locking_a_card_answers_the_same_card_pressed_and_a_second_press_unlocks_it(client, ready_set):
    item = ready_set.items.get(position=2)
    html = client.post(_feedback_url(item), {"action": "lock"}, **HTMX).content.decode()
    assert _cards(html) == [str(item.pk)]
    assert 'value="unlock"' in html and 'aria-pressed="true" title="Keep' in html
    assert Feedback.objects.filter(user=ready_set.user, album=item.album, kind="lock").exists()
    html = client.post(_feedback_url(item), {"action": "unlock"}, **HTMX).content.decode()
    assert 'value="lock"' in html and 'aria-pressed="false" title="Keep' in html
    assert not Feedback.objects.filter(user=ready_set.user, album=item.album, kind="lock").exists()


def test_wantlisting_a_card_presses_its_wantlist_button(client, ready_set):
    item = ready_set.items.get(position=1)
    html = client.post(_feedback_url(item), {"action": "wantlist"}, **HTMX).content.decode()
    assert 'value="unwantlist"' in html and 'aria-pressed="true" title="Add to your wantlist"' in html
    assert Feedback.objects.filter(user=ready_set.user, album=item.album, kind="wantlist").exists()


def test_dismissing_a_card_answers_the_replacement_card_and_the_grid_keeps_its_size(client, ready_set):
    item = ready_set.items.get(position=3)
    before = set(ready_set.items.values_list("album_id", flat=True))
    html = client.post(_feedback_url(item), {"action": "dismiss"}, **HTMX).content.decode()
    (replacement_id,) = _cards(html)
    replacement = RecommendationItem.objects.get(pk=replacement_id)
    assert replacement.position == 3 and replacement.album_id not in before
    assert replacement.album.title in html and "autofocus" in html  # keyboard users carry on from it
    assert ready_set.items.count() == SIZE
    assert Feedback.objects.filter(user=ready_set.user, album_id=item.album_id, kind="dismiss").exists()


def test_dismissing_when_nothing_is_left_to_backfill_removes_the_card(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.RECOMMENDATION_SET_SIZE = 50
    with django_capture_on_commit_callbacks(execute=True):
        rec_set = services.request_generation(world.user)
    # Not a Radiohead card: that would let their third album, the one candidate left, in.
    item = rec_set.items.exclude(album__artist=world.artists["Radiohead"]).first()
    response = client.post(_feedback_url(item), {"action": "dismiss"}, **HTMX)
    assert response.status_code == 200 and response.content == b""


def test_feedback_without_javascript_redirects_back_to_the_card_with_a_message(client, ready_set):
    item = ready_set.items.get(position=2)
    response = client.post(_feedback_url(item), {"action": "lock"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("recommendations:page") + f"#item-{item.pk}"
    assert f"Locked {item.album.title}." in response.content.decode()


def test_feedback_on_another_listeners_card_is_404_and_records_nothing(client, world):
    theirs = RecommendationItemFactory(set__user=UserFactory(username="them"))
    for action in ("lock", "dismiss", "wantlist"):
        assert client.post(_feedback_url(theirs), {"action": action}, **HTMX).status_code == 404
    assert not Feedback.objects.exists()
    assert RecommendationItem.objects.filter(pk=theirs.pk).exists()


def test_feedback_needs_a_signed_in_listener(client):
    item = RecommendationItemFactory()
    for action in ("lock", "dismiss", "wantlist"):
        assert _login_redirect(client.post(_feedback_url(item), {"action": action}))
    assert not Feedback.objects.exists()


def test_feedback_refuses_get_and_unknown_actions(client, ready_set):
    item = ready_set.items.first()
    assert client.get(_feedback_url(item)).status_code == 405
    assert client.post(_feedback_url(item), {"action": "love"}, **HTMX).status_code == 400
    assert not Feedback.objects.exists()


# --- reset dismissals and refresh -----------------------------------------------------------------


def test_reset_dismissals_asks_for_confirmation_first(client, world):
    FeedbackFactory.create_batch(2, user=world.user, kind=Feedback.Kind.DISMISS)
    html = client.get(reverse("recommendations:reset_dismissals")).content.decode()
    assert "You dismissed 2 albums" in html and 'method="post"' in html
    assert Feedback.objects.filter(user=world.user, kind="dismiss").count() == 2


def test_confirming_reset_dismissals_brings_only_my_dismissed_albums_back(client, world):
    FeedbackFactory.create_batch(2, user=world.user, kind=Feedback.Kind.DISMISS)
    FeedbackFactory(user=world.user, kind=Feedback.Kind.LOCK)
    theirs = FeedbackFactory(kind=Feedback.Kind.DISMISS)
    response = client.post(reverse("recommendations:reset_dismissals"), follow=True)
    assert "2 dismissed albums can be recommended again." in response.content.decode()
    assert not Feedback.objects.filter(user=world.user, kind="dismiss").exists()
    assert Feedback.objects.filter(user=world.user, kind="lock").exists()
    assert Feedback.objects.filter(pk=theirs.pk).exists()


def test_reset_dismissals_with_htmx_confirms_in_the_browser_and_reloads_the_page(client, world):
    html = client.get(reverse("recommendations:page")).content.decode()
    assert 'hx-confirm="Bring back every album you dismissed?"' in html
    response = client.post(reverse("recommendations:reset_dismissals"), **HTMX)
    assert response["HX-Redirect"] == reverse("recommendations:page")


def test_reset_dismissals_needs_a_signed_in_listener(client):
    dismissed = FeedbackFactory(kind=Feedback.Kind.DISMISS)
    assert _login_redirect(client.post(reverse("recommendations:reset_dismissals")))
    assert Feedback.objects.filter(pk=dismissed.pk).exists()


def test_refresh_starts_a_new_generation(client, ready_set, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("recommendations:refresh"))
    assert response["Location"] == reverse("recommendations:page")
    assert services.current_set(ready_set.user).pk != ready_set.pk


def test_cards_are_rendered_once_and_again_only_when_what_they_show_changes(client, ready_set, world, monkeypatch, settings):
    from recommendations import views

    # A cache of this test's own: on Redis, other xdist workers' tests clear the shared one.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cards-test"}}

    from django.core.cache import cache

    user, rec_set = world.user, ready_set
    client.get("/recommendations/")  # the session's CSRF cookie is set by its first page
    cache.clear()
    rendered = []
    real = views.render_to_string
    monkeypatch.setattr(views, "render_to_string", lambda *a, **k: rendered.append(a[0]) or real(*a, **k))
    first = client.get("/recommendations/").content.decode()
    assert rendered.count(views.CARD_TEMPLATE) == rec_set.items.count()
    rendered.clear()
    assert _cards(client.get("/recommendations/").content.decode()) == _cards(first)
    assert rendered == []
    item = rec_set.items.order_by("position").first()
    FeedbackFactory(user=user, album=item.album, kind="lock")
    page = client.get("/recommendations/").content.decode()
    assert rendered == [views.CARD_TEMPLATE, views.GRID_TEMPLATE]  # the grid moved on; only the locked card's key changed
    assert re.search(rf'id="lock-{item.pk}" class="toggle"\s+aria-pressed="true"', page)


def test_a_cached_card_lives_until_its_price_would_read_older():
    """ "seen today" must not outlive the day: the card expires when its price's age wording changes."""
    from datetime import timedelta
    from types import SimpleNamespace

    from django.utils import timezone

    from recommendations.views import CARD_TTL, _card_ttl

    now = timezone.now()
    seen = lambda hours: SimpleNamespace(fetched_at=now - timedelta(hours=hours))  # noqa: E731
    assert 3500 < _card_ttl(SimpleNamespace(best_price=seen(23), from_price=None)) <= 3600
    assert 7100 < _card_ttl(SimpleNamespace(best_price=None, from_price=seen(46))) <= 7200
    assert _card_ttl(SimpleNamespace(best_price=None, from_price=None)) == CARD_TTL

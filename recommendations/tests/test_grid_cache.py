"""The whole grid is cached under the set's shown_version: every change to what it shows must
move the version (recommendations.shown), or a listener sees a state or a price that is no
longer true. Each test views the grid once (so it is cached), changes one thing the way its
real writer does, and checks the next view shows it."""

import re
from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import translation

from accounts.factories import CollectionItemFactory
from accounts.models import CollectionItem
from catalog.factories import ReleaseFactory
from catalog.models import Album
from catalog.signals import pressings_added
from pricing.best_price import refresh_best_prices
from pricing.models import PriceQuote
from recommendations import services, shown, views
from recommendations.admin import convert_feedback
from recommendations.factories import FeedbackFactory
from recommendations.models import Feedback, RecommendationSet

from .world import build_world

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def grid(settings, client, django_capture_on_commit_callbacks):
    """A ready set of 6 and a function returning the page's grid, each call a fresh view."""
    settings.RECOMMENDATION_SET_SIZE = 6
    # A cache of this test's own: on Redis, other xdist workers' tests clear the shared one.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "grid-test"}}
    world = build_world()
    client.force_login(world.user)
    with django_capture_on_commit_callbacks(execute=True):
        rec_set = services.request_generation(world.user)
    rec_set.refresh_from_db()
    assert rec_set.status == RecommendationSet.Status.READY

    def view():
        html = client.get(reverse("recommendations:page")).content.decode()
        return html[
            html.index('<div id="rec-grid"') : html.index("</main>")
        ]  # not the footer's forms, whose CSRF token is new each time

    view()  # the session's CSRF cookie and the cached grid
    return world, rec_set, view


def _card(html, item):
    card = html[html.index(f'id="item-{item.pk}"') :]
    return card[: card.index("</article>")]


def _pressed(html, item, button):
    return bool(re.search(rf'id="{button}-{item.pk}" class="toggle"\s+aria-pressed="true"', _card(html, item)))


def _first(rec_set):
    return rec_set.items.select_related("album").order_by("position").first()


def test_a_repeat_view_reads_the_grid_from_the_cache(grid, monkeypatch):
    _, _, view = grid
    rendered = []
    real = views.render_to_string
    monkeypatch.setattr(views, "render_to_string", lambda *a, **k: rendered.append(a[0]) or real(*a, **k))
    first = view()
    assert view() == first and rendered == []


def test_a_reader_in_another_language_gets_cards_rendered_in_it_not_the_cached_ones(grid, client, monkeypatch):
    _, _, view = grid  # the grid and its cards are cached in English
    rendered = []
    real = views.render_to_string
    monkeypatch.setattr(views, "render_to_string", lambda *a, **k: rendered.append(a[0]) or real(*a, **k))
    with translation.override("es"):
        client.get(reverse("recommendations:page"), HTTP_ACCEPT_LANGUAGE="es")
    assert views.CARD_TEMPLATE in rendered


def test_a_lock_from_the_card_shows_on_the_next_view(grid, client):
    _, rec_set, view = grid
    item = _first(rec_set)
    client.post(reverse("recommendations:feedback", args=[item.pk]), {"action": "lock"}, **HTMX)
    assert _pressed(view(), item, "lock")
    client.post(reverse("recommendations:feedback", args=[item.pk]), {"action": "unlock"}, **HTMX)
    assert not _pressed(view(), item, "lock")


def test_feedback_written_anywhere_else_shows_too(grid):
    """The receivers of Feedback saves and deletes move the version, whoever writes the row."""
    world, rec_set, view = grid
    item = _first(rec_set)
    feedback = FeedbackFactory(user=world.user, album=item.album, kind=Feedback.Kind.WANTLIST)
    assert _pressed(view(), item, "wantlist")
    feedback.delete()
    assert not _pressed(view(), item, "wantlist")


def test_the_admins_re_kinding_shows_though_it_saves_no_instance(grid):
    world, rec_set, view = grid
    item = _first(rec_set)
    FeedbackFactory(user=world.user, album=item.album, kind=Feedback.Kind.WANTLIST)
    assert _pressed(view(), item, "wantlist") and not _pressed(view(), item, "lock")
    convert_feedback(Feedback.objects.filter(user=world.user, album=item.album), Feedback.Kind.LOCK)
    html = view()
    assert _pressed(html, item, "lock") and not _pressed(html, item, "wantlist")


def test_the_discogs_wantlist_shows_as_it_syncs(grid):
    world, rec_set, view = grid
    item = _first(rec_set)
    release = ReleaseFactory(album=item.album)
    wanted = CollectionItemFactory(user=world.user, release=release, folder=CollectionItem.Folder.WANTLIST)
    assert _pressed(view(), item, "wantlist")
    CollectionItem.objects.filter(pk=wanted.pk).delete()  # the sync's removal of what left the wantlist
    assert not _pressed(view(), item, "wantlist")


def test_a_dismissal_shows_its_replacement(grid, client):
    _, rec_set, view = grid
    item = _first(rec_set)
    client.post(reverse("recommendations:feedback", args=[item.pk]), {"action": "dismiss"}, **HTMX)
    html = view()
    assert f'id="item-{item.pk}"' not in html
    assert {f'id="item-{other.pk}"' in html for other in rec_set.items.all()} == {True}


def test_a_new_price_shows_after_the_batch_and_after_the_nightly_repair(grid):
    """After a batch, quotes_changed recomputes the best price, which moves the grids showing
    the album; a quote edited without the signal is repaired by the nightly check, which does too."""
    from pricing.signals import quotes_changed

    world, rec_set, view = grid
    album = world.album("OK Computer")
    item = rec_set.items.get(album=album)
    assert "€27.40" in _card(view(), item)
    quotes = PriceQuote.objects.filter(album=album, total_eur=Decimal("27.40"))
    quotes.update(total_eur=Decimal("25.10"), item_eur=Decimal("25.10") - F("shipping_eur"))
    quotes_changed.send(sender=None, album_ids={album.pk})
    assert "€25.10" in _card(view(), item)
    PriceQuote.objects.filter(album=album, total_eur=Decimal("25.10")).update(
        total_eur=Decimal("23.90"), item_eur=Decimal("23.90") - F("shipping_eur")
    )
    assert "€25.10" in _card(view(), item)  # an edit nobody signalled: the best-price table still says so
    assert refresh_best_prices() == 1
    assert "€23.90" in _card(view(), item)


def test_a_new_pressing_shows_in_the_count(grid):
    _, rec_set, view = grid
    item = _first(rec_set)
    count = item.album.releases.count()
    assert f"{count} vinyl pressing" in _card(view(), item)
    release = ReleaseFactory(album=item.album)
    pressings_added.send(Album, album_id=item.album_id, release_ids=[release.pk], backfill=False)  # as the sync does
    assert f"{count + 1} vinyl pressings" in _card(view(), item)


def test_a_price_change_moves_only_the_sets_showing_the_album(grid):
    world, rec_set, _ = grid
    shown_in_set = set(rec_set.items.values_list("album_id", flat=True))
    elsewhere = Album.objects.exclude(pk__in=shown_in_set).values_list("pk", flat=True).first()
    before = RecommendationSet.objects.get(pk=rec_set.pk).shown_version
    assert shown.albums_changed([elsewhere]) == 0
    assert shown.albums_changed(sorted(shown_in_set)[:2]) == 1
    assert RecommendationSet.objects.get(pk=rec_set.pk).shown_version == before + 1


def test_saving_a_set_loaded_before_a_bump_does_not_undo_it(grid):
    _, rec_set, _ = grid
    stale = RecommendationSet.objects.get(pk=rec_set.pk)
    shown.set_changed(rec_set.pk)
    stale.error = "edited"
    stale.save()
    fresh = RecommendationSet.objects.get(pk=rec_set.pk)
    assert fresh.shown_version == stale.shown_version + 1 and fresh.error == "edited"


def test_the_grid_lives_until_its_first_price_would_read_older_and_ten_minutes_at_most(grid, monkeypatch):
    """ "seen today" must not outlive the day on a cached grid either; a catalog correction no
    signal reports reaches it within GRID_TTL."""
    _, rec_set, view = grid
    timeouts = {}

    class Spy:
        def __getattr__(self, name):
            return getattr(real, name)

        def set(self, key, value, timeout=None):
            timeouts[key.split(":")[0]] = timeout
            return real.set(key, value, timeout)

    real = views.cache
    monkeypatch.setattr(views, "cache", Spy())
    shown.set_changed(rec_set.pk)
    view()
    assert 0 < timeouts["grid"] <= views.GRID_TTL
    # A card whose price turns "seen yesterday" in 90 seconds takes the grid with it.
    monkeypatch.setattr(views, "_card_ttl", lambda item: 90)
    real.clear()
    shown.set_changed(rec_set.pk)
    view()
    assert 85 <= timeouts["grid"] <= 90

"""Generating recommendation sets: what appears, what never does, freshness, progress, failure."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.factories import ListeningSnapshotFactory, SeedArtistFactory, UserFactory
from catalog.factories import AlbumFactory, ArtistFactory, ReleaseFactory
from pricing.best_price import refresh_best_prices
from pricing.factories import PriceQuoteFactory, StoreFactory
from pricing.filters import BuyingFilters
from recommendations import services
from recommendations.factories import FeedbackFactory
from recommendations.models import RecommendationSet
from recommendations.tasks import generate_set

from .world import EXCLUDED, build_world

pytestmark = pytest.mark.django_db

SIZE = 8


@pytest.fixture
def world(settings):
    settings.RECOMMENDATION_SET_SIZE = SIZE
    return build_world()


def titles(rec_set):
    return [item.album.title for item in rec_set.items.select_related("album").order_by("position")]


def test_a_generated_set_is_ready_full_and_reports_100_percent(world, generate):
    rec_set = generate(world.user)
    assert rec_set.status == RecommendationSet.Status.READY
    assert rec_set.progress == 100
    assert rec_set.error == ""
    assert rec_set.items.count() == SIZE
    assert rec_set.expires_at > timezone.now()
    assert [item.position for item in rec_set.items.order_by("position")] == list(range(1, SIZE + 1))


def test_progress_is_reported_in_steps_up_to_100(world):
    reported = []
    services.rank_albums(services.load_listener(world.user), progress=reported.append)
    assert reported == sorted(reported) and reported[0] > 0 and reported[-1] < 100
    rec_set = services.generate_set(RecommendationSet.objects.create(user=world.user, size=SIZE).pk)
    assert (rec_set.status, rec_set.progress) == (RecommendationSet.Status.READY, 100)


def test_owned_live_short_and_non_vinyl_albums_never_appear(world, generate):
    assert not EXCLUDED & set(titles(generate(world.user)))


def test_blocked_artists_never_appear_even_when_very_similar(world, generate):
    rec_set = generate(world.user)
    assert "Muse" not in {item.album.artist.name for item in rec_set.items.select_related("album__artist")}


def test_an_album_owned_through_an_unlinked_pressing_of_its_master_never_appears(world, generate):
    dummy = world.album("Dummy")
    unlinked = ReleaseFactory(album=None, discogs_master_id=dummy.discogs_master_id)
    world.user.collection_items.create(release=unlinked, folder="collection")
    assert "Dummy" not in titles(generate(world.user))


def test_dismissed_albums_never_appear(world, generate):
    FeedbackFactory(user=world.user, album=world.album("OK Computer"), kind="dismiss")
    assert "OK Computer" not in titles(generate(world.user))


def test_each_breakdown_sums_to_its_score(world, generate):
    for item in generate(world.user).items.all():
        assert sum(item.breakdown.values()) == pytest.approx(item.score, abs=1e-9)


def test_explanations_name_the_real_artists_and_prices(world, generate):
    items = {item.album.title: item for item in generate(world.user).items.select_related("album")}
    assert items["OK Computer"].explanation.startswith("You played Radiohead 1,204 times")
    assert "costs €27.40 incl. shipping to Spain (exact)" in items["OK Computer"].explanation
    assert "Because you listen to Portishead and Radiohead, whose listeners also love Massive Attack" in (
        items["Mezzanine"].explanation
    )
    assert "no offer shipping to Spain has been found yet" in items["Blue Lines"].explanation
    assert items["Blue Lines"].breakdown["price"] == 0


def test_no_artist_takes_more_than_two_of_the_first_twelve(world, generate):
    artists = Counter(item.album.artist_id for item in generate(world.user).items.select_related("album"))
    assert max(artists.values()) <= 2


def test_favourite_artists_albums_are_candidates_too(world, generate):
    assert {"OK Computer", "Kid A", "Dummy"} <= set(titles(generate(world.user)))


def test_suggested_release_is_the_best_priced_pressing_else_the_most_wanted(world, generate):
    cheap = ReleaseFactory(album=world.album("Kid A"), want=1)
    PriceQuoteFactory(release=cheap, album=cheap.album, store=StoreFactory(name="Discogs"), amount=Decimal("12"), ships_to="ES")
    popular = ReleaseFactory(album=world.album("Blue Lines"), want=99999)
    refresh_best_prices()
    items = {item.album.title: item for item in generate(world.user).items.select_related("album")}
    assert items["Kid A"].suggested_release == cheap
    assert items["Blue Lines"].suggested_release == popular


def test_a_fresh_set_is_returned_again_without_recomputing(world, generate):
    first = generate(world.user)
    assert generate(world.user).pk == first.pk
    assert RecommendationSet.objects.filter(user=world.user).count() == 1


def test_forcing_computes_a_new_set(world, generate):
    first = generate(world.user)
    assert generate(world.user, force=True).pk != first.pk


def test_changed_inputs_make_a_new_set(world, generate):
    first = generate(world.user)
    SeedArtistFactory(user=world.user, artist=world.artists["Tricky"], source="manual", weight=8.0)
    second = generate(world.user)
    assert second.pk != first.pk
    assert second.input_hash != first.input_hash


def test_an_expired_set_is_recomputed(world, generate):
    first = generate(world.user)
    RecommendationSet.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert generate(world.user).pk != first.pk


def test_a_set_being_generated_is_not_started_twice(world):
    pending = services.request_generation(world.user)  # inside the test transaction: not run yet
    assert pending.status == RecommendationSet.Status.PENDING
    assert services.request_generation(world.user, force=True).pk == pending.pk


def test_generating_a_set_twice_does_the_work_once(world, generate):
    rec_set = generate(world.user)
    items = list(rec_set.items.values_list("pk", flat=True))
    services.generate_set(rec_set.pk)
    assert list(rec_set.items.values_list("pk", flat=True)) == items


def test_a_failure_marks_the_set_failed_with_the_error(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("similarity graph unavailable")

    monkeypatch.setattr(services, "rank_albums", broken)
    rec_set = RecommendationSet.objects.create(user=world.user, size=SIZE)
    result = services.generate_set(rec_set.pk)
    assert result.status == RecommendationSet.Status.FAILED
    assert result.error == "RuntimeError: similarity graph unavailable"
    assert result.items.count() == 0


def test_a_failed_set_is_retried_on_the_next_request(world, generate, monkeypatch):
    failed = RecommendationSet.objects.create(
        user=world.user, size=SIZE, status="failed", input_hash=services.inputs_hash(world.user)
    )
    assert generate(world.user).pk != failed.pk


def test_current_set_is_the_latest_whatever_its_status(world, generate):
    assert services.current_set(world.user) is None
    generate(world.user)
    latest = RecommendationSet.objects.create(user=world.user, status="failed")
    assert services.current_set(world.user) == latest


def test_a_listener_without_taste_gets_an_empty_ready_set(generate):
    rec_set = generate(UserFactory())
    assert rec_set.status == RecommendationSet.Status.READY
    assert rec_set.items.count() == 0


def test_min_tracks_per_album_is_the_listeners_choice(world, generate):
    world.user.profile.min_tracks_per_album = 12
    world.user.profile.save()
    ReleaseFactory(album=AlbumFactory(artist=world.artists["Radiohead"], title="In Rainbows", track_count=None))
    rec_set = generate(world.user)
    # Factory albums have 10 tracks: only the one with an unknown count is still allowed.
    assert titles(rec_set) == ["In Rainbows"]


def test_album_plays_from_listening_snapshots_are_explained(world, generate):
    payload = {"artists": [], "albums": [{"artist": "Radiohead", "title": "Kid A (Remastered)", "playcount": 312}]}
    ListeningSnapshotFactory(user=world.user, source="lastfm", period="overall", payload=payload)
    items = {item.album.title: item for item in generate(world.user).items.select_related("album")}
    assert "(this album 312 times)" in items["Kid A"].explanation


def test_the_price_is_for_the_listeners_country(settings, generate):
    settings.RECOMMENDATION_SET_SIZE = SIZE
    world = build_world(country="DE")
    items = {item.album.title: item for item in generate(world.user).items.select_related("album")}
    assert items["OK Computer"].breakdown["price"] == 0
    assert "no offer shipping to Germany has been found yet" in items["OK Computer"].explanation


def test_an_item_price_with_no_stated_destination_is_said_as_such_and_not_ranked(settings, generate):
    settings.RECOMMENDATION_SET_SIZE = SIZE
    world = build_world(country="DE")
    release = world.releases["Parklife"]
    PriceQuoteFactory(release=release, album=release.album, amount=Decimal("18"), shipping=None, ships_to="")
    refresh_best_prices()
    items = {item.album.title: item for item in generate(world.user).items.select_related("album")}
    assert "listed from €18.00 + shipping" in items["Parklife"].explanation
    assert "Germany" not in items["Parklife"].explanation and items["Parklife"].breakdown["price"] == 0


def test_a_new_artist_reached_only_through_colistening_is_recommended(world, generate, settings):
    settings.RECOMMENDATION_SET_SIZE = 20
    newcomer = ArtistFactory(name="Beak>")
    ReleaseFactory(album=AlbumFactory(artist=newcomer, title=">>"), want=100)
    world.artists["Portishead"].similar_to.create(to_artist=newcomer, score=0.99, source="colisten")
    assert ">>" in titles(generate(world.user))


def test_the_grid_shows_price_pressings_and_flags_in_three_queries(world, generate, django_assert_num_queries):
    rec_set = generate(world.user)
    ReleaseFactory(album=world.album("OK Computer"))
    services.apply_feedback(world.user, world.album("OK Computer").pk, "lock")
    services.apply_feedback(world.user, world.album("Kid A").pk, "wantlist")
    world.user.collection_items.create(release=world.releases["Dummy"], folder="wantlist")
    # the items, their best landed prices, their item-only prices, and the suggested pressings
    # (pricing.guide.suggestions: each pressing's cheapest offer, the priced pressings and
    # originals, the picks' offers, the most wanted of the albums with neither)
    with django_assert_num_queries(7):
        items = services.items_for_grid(rec_set, BuyingFilters("ES"))
        shown = {
            i.album.title: (i.album.artist.name, i.suggested_release_id, i.best_price and i.best_price.store.name) for i in items
        }
    grid = {item.album.title: item for item in items}
    assert [item.position for item in items] == sorted(item.position for item in items)
    assert shown["OK Computer"][0] == "Radiohead"
    assert grid["OK Computer"].pressing_count == 2
    assert grid["OK Computer"].best_price.total_eur == Decimal("27.40")
    assert grid["OK Computer"].is_locked and not grid["OK Computer"].is_wantlisted
    assert grid["Kid A"].is_wantlisted and grid["Dummy"].is_wantlisted
    assert grid["Blue Lines"].best_price is None


def test_the_grid_price_follows_the_country_asked_for(world, generate):
    rec_set = generate(world.user)
    assert all(item.best_price is None for item in services.items_for_grid(rec_set, BuyingFilters("FR")))


def test_the_celery_task_generates_the_set_it_is_given(world):
    rec_set = RecommendationSet.objects.create(user=world.user, size=SIZE)
    assert generate_set.delay(rec_set.pk).get() == "ready"
    assert generate_set.delay(rec_set.pk).get() == "ready"  # a second delivery does nothing


def test_the_command_generates_sets_for_users_with_seed_artists(world):
    UserFactory(username="no-taste-yet")
    out = StringIO()
    call_command("generate_recommendations", stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    assert lines[0] == f"{world.user.username}: set {services.current_set(world.user).pk} ready, {SIZE} album(s)"
    assert lines[-1] == "1 user(s): 1 ready, 0 failed"
    call_command("generate_recommendations", world.user.username, stdout=StringIO(), stderr=StringIO())
    assert RecommendationSet.objects.filter(user=world.user).count() == 1
    call_command("generate_recommendations", world.user.username, "--force", stdout=StringIO(), stderr=StringIO())
    assert RecommendationSet.objects.filter(user=world.user).count() == 2


def test_the_command_refuses_unknown_users(world):
    with pytest.raises(CommandError, match="no user named ghost"):
        call_command("generate_recommendations", "ghost")

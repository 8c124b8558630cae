"""Lock, dismiss and wantlist: what each does to the current set and to the next one."""

from collections import Counter

import pytest

from catalog.factories import AlbumFactory, ArtistFactory, ArtistTagFactory, ReleaseFactory
from catalog.models import Album
from pricing.filters import BuyingFilters
from recommendations import services
from recommendations.models import Feedback, RecommendationSet

from .world import build_world

pytestmark = pytest.mark.django_db

SIZE = 6


@pytest.fixture
def world(settings):
    settings.RECOMMENDATION_SET_SIZE = SIZE
    return build_world()


def test_dismissing_refills_the_set_to_its_size_at_the_same_position(world, generate):
    rec_set = generate(world.user)
    third = rec_set.items.get(position=3)
    result = services.apply_feedback(world.user, third.album_id, "dismiss")
    assert rec_set.items.count() == SIZE
    assert result["replacement"].position == 3
    assert result["replacement"].album_id not in {third.album_id}
    assert result["item"].album_id == third.album_id
    assert not rec_set.items.filter(album_id=third.album_id).exists()
    assert sum(result["replacement"].breakdown.values()) == pytest.approx(result["replacement"].score)


def test_the_replacement_is_an_album_that_was_not_in_the_set(world, generate):
    rec_set = generate(world.user)
    before = set(rec_set.items.values_list("album_id", flat=True))
    replacement = services.apply_feedback(world.user, rec_set.items.get(position=1).album_id, "dismiss")["replacement"]
    assert replacement.album_id not in before


def test_a_dismissed_album_stays_out_of_later_sets(world, generate):
    rec_set = generate(world.user)
    album_id = rec_set.items.get(position=1).album_id
    services.apply_feedback(world.user, album_id, "dismiss")
    assert not generate(world.user, force=True).items.filter(album_id=album_id).exists()


def test_dismissing_keeps_the_set_fresh(world, generate):
    rec_set = generate(world.user)
    services.apply_feedback(world.user, rec_set.items.get(position=2).album_id, "dismiss")
    assert generate(world.user).pk == rec_set.pk


def test_dismissing_when_nothing_the_artist_rule_allows_is_left_removes_the_card(world, generate, settings):
    # Every candidate is in the set but Radiohead's third album, which the first screen cannot take.
    settings.RECOMMENDATION_SET_SIZE = 50
    rec_set = generate(world.user)
    count = rec_set.items.count()
    other = rec_set.items.exclude(album__artist=world.artists["Radiohead"]).order_by("position").first()
    result = services.apply_feedback(world.user, other.album_id, "dismiss")
    assert result["replacement"] is None
    assert list(rec_set.items.order_by("position").values_list("position", flat=True)) == list(range(1, count))


def first_screen(rec_set):
    items = rec_set.items.select_related("album").order_by("position")
    return Counter(item.album.artist_id for item in items[:12])


def test_the_artist_rule_holds_after_locks_dismissals_and_backfills(world, generate, settings):
    settings.RECOMMENDATION_SET_SIZE = 24
    radiohead = world.artists["Radiohead"]
    for title in ("Pablo Honey", "In Rainbows", "The King of Limbs"):
        ReleaseFactory(album=AlbumFactory(artist=radiohead, title=title), want=100)
    for n in range(4):  # trip-hop albums by artists no path leads to: the backfill
        artist = ArtistFactory(name=f"Trip-hop band {n}")
        ArtistTagFactory(artist=artist, tag__name="trip-hop")
        ReleaseFactory(album=AlbumFactory(artist=artist, title=f"Backfill {n}"), want=50 + n)
    rec_set = generate(world.user)
    assert max(first_screen(rec_set).values()) <= 2
    # Three Radiohead locks: two keep their slots, the third cannot be among the first twelve.
    locked = list(Album.objects.filter(artist=radiohead, title__in=("OK Computer", "Kid A", "Pablo Honey")))
    for album in locked:
        services.apply_feedback(world.user, album.pk, "lock")
    rec_set = generate(world.user, force=True)
    assert max(first_screen(rec_set).values()) <= 2
    assert {album.pk for album in locked} <= set(rec_set.items.values_list("album_id", flat=True))
    for _ in range(4):
        item = rec_set.items.exclude(album__artist=radiohead).order_by("position").first()
        services.apply_feedback(world.user, item.album_id, "dismiss")
        assert max(first_screen(rec_set).values()) <= 2
        positions = list(rec_set.items.order_by("position").values_list("position", flat=True))
        assert positions == list(range(1, len(positions) + 1))


def test_feedback_is_idempotent(world, generate):
    rec_set = generate(world.user)
    album_id = rec_set.items.get(position=1).album_id
    services.apply_feedback(world.user, album_id, "lock")
    services.apply_feedback(world.user, album_id, "lock", reason="a gift idea")
    feedback = Feedback.objects.get(user=world.user, album_id=album_id, kind="lock")
    assert feedback.reason == "a gift idea"


def test_locked_items_survive_recomputation_at_their_position(world, generate):
    rec_set = generate(world.user)
    last = rec_set.items.get(position=SIZE)
    services.apply_feedback(world.user, last.album_id, "lock")
    # A new favourite changes the inputs, so the set is recomputed.
    services.apply_feedback(world.user, world.album("Maxinquaye").pk, "wantlist")
    new_set = generate(world.user)
    assert new_set.pk != rec_set.pk
    assert new_set.items.get(album_id=last.album_id).position == SIZE


def test_a_locked_album_survives_even_when_it_is_no_longer_a_candidate(world, generate):
    outsider = AlbumFactory(title="Unrelated")
    services.apply_feedback(world.user, outsider.pk, "lock")
    assert generate(world.user).items.filter(album=outsider).exists()


def test_locking_keeps_the_set_fresh_and_marks_the_item(world, generate):
    rec_set = generate(world.user)
    item = rec_set.items.get(position=1)
    result = services.apply_feedback(world.user, item.album_id, "lock")
    assert result["item"] == item and result["replacement"] is None
    assert generate(world.user).pk == rec_set.pk
    grid = {i.pk: i for i in services.items_for_grid(rec_set, BuyingFilters("ES"))}
    assert grid[item.pk].is_locked


def test_unlocking_removes_the_lock(world, generate):
    rec_set = generate(world.user)
    album_id = rec_set.items.get(position=1).album_id
    services.apply_feedback(world.user, album_id, "lock")
    services.undo_feedback(world.user, album_id, "lock")
    assert not Feedback.objects.filter(user=world.user, kind="lock").exists()
    assert generate(world.user).pk == rec_set.pk


def test_wantlisting_boosts_the_album_next_time(world, generate):
    album = world.album("Maxinquaye")
    services.apply_feedback(world.user, album.pk, "wantlist")
    item = generate(world.user).items.get(album=album)
    assert item.breakdown["wantlist"] > 0
    assert "it is on your wantlist" in item.explanation


def test_an_album_on_the_discogs_wantlist_is_boosted(world, generate):
    world.user.collection_items.create(release=world.releases["Maxinquaye"], folder="wantlist")
    item = generate(world.user).items.get(album=world.album("Maxinquaye"))
    assert item.breakdown["wantlist"] > 0


def test_resetting_dismissals_brings_albums_back(world, generate):
    rec_set = generate(world.user)
    album_id = rec_set.items.get(position=1).album_id
    services.apply_feedback(world.user, album_id, "dismiss")
    assert services.reset_dismissals(world.user) == 1
    assert services.reset_dismissals(world.user) == 0
    assert generate(world.user).items.filter(album_id=album_id).exists()


def test_feedback_on_an_album_not_in_the_catalog_raises_does_not_exist(world):
    with pytest.raises(Album.DoesNotExist):
        services.apply_feedback(world.user, 987654321, "lock")


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(ValueError):
        services.apply_feedback(world.user, world.album("Kid A").pk, "love")


def test_feedback_without_a_set_only_records_it(world):
    result = services.apply_feedback(world.user, world.album("Kid A").pk, "dismiss")
    assert result["item"] is None and result["replacement"] is None
    assert not RecommendationSet.objects.exists()


def test_one_users_feedback_does_not_touch_another_users_set(world, generate):
    other = build_world()
    other_set = generate(other.user)
    album_id = other_set.items.get(position=1).album_id
    services.apply_feedback(world.user, album_id, "dismiss")
    assert other_set.items.filter(album_id=album_id).exists()

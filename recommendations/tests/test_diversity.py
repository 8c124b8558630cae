"""Diversity re-rank: artist shares in the first screen, genre spread, pinned (locked) slots."""

from collections import Counter

from recommendations.diversity import Ranked, diversify, pick_for_slot


def albums(artist, count, score=100.0, genre="rock"):
    return [Ranked(f"{artist}-{n}", artist, score - n, frozenset({genre})) for n in range(count)]


def test_no_artist_has_more_than_two_albums_in_the_first_twelve():
    pool = albums("a", 6, 100) + albums("b", 6, 90) + [Ranked(f"x{n}", f"x{n}", 50 - n) for n in range(12)]
    ordered = diversify(pool, 20)
    counts = Counter(item.artist for item in ordered[:12])
    assert max(counts.values()) <= 2
    assert len(ordered) == 20


def test_the_best_record_still_comes_first():
    pool = albums("a", 3, 100) + albums("b", 3, 50)
    assert diversify(pool, 6)[0].key == "a-0"


def test_when_only_a_crowded_artist_is_left_the_list_ends_rather_than_break_the_rule():
    ordered = diversify(albums("a", 5) + albums("b", 1), 5)
    assert sorted(item.key for item in ordered) == ["a-0", "a-1", "b-0"]


def test_past_the_first_screen_a_crowded_artist_may_come_back():
    ordered = diversify(albums("a", 3, 100) + [Ranked(f"x{n}", f"x{n}", 50 - n) for n in range(10)], 13)
    assert [item.key for item in ordered].index("a-2") == 12


def test_a_pinned_item_moves_up_when_nothing_may_fill_the_slots_before_it():
    locked = Ranked("locked", "z", 1.0)
    ordered = diversify(albums("a", 4), 10, pinned={8: locked})
    assert [item.key for item in ordered] == ["a-0", "a-1", "locked"]


def test_a_third_pinned_album_of_one_artist_waits_until_after_the_first_screen():
    pinned = {n: Ranked(f"a-locked{n}", "a", 1.0) for n in (1, 2, 3)}
    others = [Ranked(f"x{n}", f"x{n}", 50 - n) for n in range(12)]
    ordered = diversify(others, 15, pinned=pinned)
    assert Counter(item.artist for item in ordered[:12])["a"] == 2
    assert "a-locked3" in [item.key for item in ordered[12:]]


def test_fewer_items_than_slots_gives_a_shorter_list():
    assert len(diversify(albums("a", 2), 10)) == 2


def test_genres_are_spread_when_scores_are_close():
    pool = [
        Ranked("r1", "r1", 90, frozenset({"rock"})),
        Ranked("r2", "r2", 89, frozenset({"rock"})),
        Ranked("j1", "j1", 85, frozenset({"jazz"})),
    ]
    assert [item.key for item in diversify(pool, 3)] == ["r1", "j1", "r2"]


def test_a_much_better_record_of_the_same_genre_still_wins():
    pool = [
        Ranked("r1", "r1", 90, frozenset({"rock"})),
        Ranked("r2", "r2", 88, frozenset({"rock"})),
        Ranked("j1", "j1", 20, frozenset({"jazz"})),
    ]
    assert [item.key for item in diversify(pool, 3)] == ["r1", "r2", "j1"]


def test_pinned_items_keep_their_positions():
    locked = Ranked("locked", "z", 1.0)
    ordered = diversify(albums("a", 2) + albums("b", 3, 80), 5, pinned={3: locked})
    assert ordered[2] == locked
    assert len(ordered) == 5


def test_pinned_positions_past_the_size_move_into_the_set():
    locked = Ranked("locked", "z", 1.0)
    ordered = diversify(albums("a", 5), 3, pinned={9: locked})
    assert ordered[-1] == locked
    assert len(ordered) == 3


def test_colliding_pinned_positions_both_survive():
    one, two = Ranked("l1", "y", 1.0), Ranked("l2", "z", 1.0)
    ordered = diversify([], 3, pinned={1: one, 5: two})
    assert ordered == [one, two]


def test_pinned_items_count_towards_the_artist_share():
    pinned = {5: Ranked("a-locked", "a", 1.0), 6: Ranked("a-locked2", "a", 1.0)}
    others = albums("b", 2, 10) + albums("c", 2, 10) + albums("d", 2, 10)
    ordered = diversify(albums("a", 3, 100) + others, 8, pinned=pinned)
    assert Counter(item.artist for item in ordered[:8])["a"] == 2


def test_pick_for_slot_prefers_an_artist_not_already_crowded():
    placed = albums("a", 2)
    pool = [Ranked("a-9", "a", 99), Ranked("b-0", "b", 50)]
    assert pick_for_slot(pool, placed, position=3).key == "b-0"
    assert pick_for_slot(pool, placed, position=30).key == "a-9"
    assert pick_for_slot([], placed, position=3) is None
    assert pick_for_slot([Ranked("a-9", "a", 99)], placed, position=3) is None


def test_a_pool_ordered_best_first_gets_the_same_pick_from_a_short_scan():
    """pick_for_slot(best_first=True) stops once no candidate can win; the pick must be the one
    the full scan makes, negative scores, genre repeats, crowded artists and ties included."""
    import random

    rng = random.Random(7)
    genres = ["rock", "jazz", "soul", "folk", "pop"]
    for _ in range(300):
        pool = [
            Ranked(
                f"k{n}",
                f"artist{rng.randrange(12)}",
                round(rng.uniform(-5, 100), 0),
                frozenset(rng.sample(genres, rng.randrange(1, 3))),
            )
            for n in range(rng.randrange(1, 80))
        ]
        pool.sort(key=lambda item: (-item.score, item.key))
        placed = rng.sample(pool, min(len(pool), rng.randrange(0, 8)))
        rest = [item for item in pool if item not in placed]
        position = len(placed) + 1
        assert pick_for_slot(rest, placed, position, best_first=True) == pick_for_slot(rest, placed, position)

"""The cheapest basket as a pure problem: exact is optimal (brute force), greedy never loses to
buying separately, albums without offers are listed as unpriced, a parcel of mixed weights
ships its heaviest item first."""

import itertools
import random

import pytest

from recommendations.basket_solver import EXACT, GREEDY, Offer, Shipping, parcel_shipping_cents, single_parcel, solve, total_cents


def random_instance(rng, albums, sellers, alone=2):
    """Albums offered by a few sellers (combined shipping, a weight class per offer: LP, 2xLP or
    box scale the seller's rates) and a few single-shipping offers."""
    rates = {f"s{i}": (rng.randint(300, 1500), rng.randint(0, 800)) for i in range(sellers)}
    offers = []
    for album in range(albums):
        for seller in rng.sample(sorted(rates), rng.randint(0, sellers)):
            weight = rng.choice([1, 1.3, 2])
            shipping = Shipping(*(round(cents * weight) for cents in rates[seller]))
            offers.append(Offer(album, f"{seller}-{album}", seller, rng.randint(500, 4000), shipping))
        for n in range(rng.randint(0, alone)):
            shipping = Shipping(rng.randint(0, 1200), rng.randint(0, 1200))
            offers.append(Offer(album, f"alone-{album}-{n}", f"alone-{album}-{n}", rng.randint(500, 4000), shipping))
    return list(range(albums)), offers


def brute_force(albums, offers):
    choices = [[o for o in offers if o.album == album] for album in albums]
    choices = [found for found in choices if found]
    return min(total_cents({o.album: o for o in combo}) for combo in itertools.product(*choices))


@pytest.mark.parametrize("seed", range(40))
def test_the_exact_basket_is_as_cheap_as_every_other_choice(seed):
    albums, offers = random_instance(random.Random(seed), albums=5, sellers=3)
    basket = solve(albums, offers)
    assert basket.method == EXACT
    assert basket.total_cents == brute_force(albums, offers)
    assert basket.total_cents <= basket.separate_cents


@pytest.mark.parametrize("seed", range(20))
def test_the_greedy_basket_is_never_worse_than_buying_each_separately(seed):
    albums, offers = random_instance(random.Random(seed), albums=40, sellers=6)
    basket = solve(albums, offers, exact_limit=10)
    assert basket.method == GREEDY
    assert basket.total_cents <= basket.separate_cents
    assert set(basket.chosen) == {o.album for o in offers}
    assert all(offer.album == album for album, offer in basket.chosen.items())


@pytest.mark.parametrize("seed", range(10))
def test_greedy_is_close_to_exact_on_the_same_instance(seed):
    albums, offers = random_instance(random.Random(seed), albums=12, sellers=4)
    exact, greedy = solve(albums, offers), solve(albums, offers, exact_limit=0)
    assert exact.total_cents <= greedy.total_cents <= greedy.separate_cents


@pytest.mark.parametrize("seed", range(30))
def test_the_greedy_answer_states_a_bound_that_holds_against_brute_force(seed):
    albums, offers = random_instance(random.Random(seed), albums=5, sellers=3)
    greedy, best = solve(albums, offers, exact_limit=0), brute_force(albums, offers)
    assert greedy.lower_bound_cents <= best <= greedy.total_cents
    assert greedy.total_cents <= greedy.lower_bound_cents * (1 + greedy.gap_bound) + 1e-6
    assert solve(albums, offers).gap_bound == 0.0  # the exact answer is its own bound


def test_a_hundred_and_more_wanted_albums_are_solved_exactly():
    albums, offers = random_instance(random.Random(7), albums=120, sellers=30)
    basket = solve(albums, offers)
    assert basket.method == EXACT and basket.lower_bound_cents == basket.total_cents
    assert basket.total_cents <= solve(albums, offers, exact_limit=0).total_cents


def test_past_the_time_cap_the_greedy_answer_stands_in():
    albums, offers = random_instance(random.Random(3), albums=60, sellers=12)
    basket = solve(albums, offers, seconds=1e-9)
    assert basket.method == GREEDY and basket.total_cents <= basket.separate_cents


@pytest.mark.parametrize("seed", range(30))
def test_one_sellers_cheapest_parcel_is_exact(seed):
    rng = random.Random(seed)  # one seller, up to three copies of each album in different weights
    offers = [
        Offer(album, f"{album}-{n}", "s", rng.randint(500, 4000), Shipping(round(900 * w), round(200 * w)))
        for album in range(5)
        for n, w in enumerate(rng.sample([1, 1.3, 2, 3], rng.randint(0, 3)))
    ]
    held = sorted({o.album for o in offers})
    chosen = single_parcel(offers)
    assert sorted(chosen) == held
    assert total_cents(chosen) == (brute_force(held, offers) if held else 0)


def test_one_parcel_from_a_seller_beats_two_cheaper_items_from_two_sellers():
    lp = Shipping(900, 100)
    offers = [Offer(1, "a1", "a", 1000, lp), Offer(2, "a2", "a", 1100, lp), Offer(2, "b2", "b", 1000, lp)]
    basket = solve([1, 2], offers)
    assert {album: o.key for album, o in basket.chosen.items()} == {1: "a1", 2: "a2"}
    assert basket.total_cents == 1000 + 1100 + 900 + 100
    assert basket.separate_cents == 1900 + 1900 and basket.saving_cents == 700


def test_albums_without_offers_are_listed_as_unpriced_not_dropped():
    basket = solve([1, 2, 3], [Offer(2, "a2", "a", 1000, Shipping(500, 200))])
    assert basket.unpriced == [1, 3] and list(basket.chosen) == [2]
    assert solve([7], []).unpriced == [7]


def test_an_additional_item_never_costs_more_than_its_own_parcel():
    shipping = Shipping(300, 900)
    basket = solve([1, 2], [Offer(1, "x", "a", 1000, shipping), Offer(2, "y", "a", 1000, shipping)])
    assert basket.total_cents == basket.separate_cents == 2600


def test_a_parcel_of_mixed_weights_ships_the_heaviest_first_and_the_rest_as_additional_items():
    box, lp = Shipping(2400, 600), Shipping(1200, 300)  # a seller's rates, the box's at twice an LP's
    assert parcel_shipping_cents([Offer(1, "b", "a", 0, box), Offer(2, "l", "a", 0, lp)]) == 2400 + 300
    assert parcel_shipping_cents([Offer(1, "b", "a", 0, box)]) == 2400
    basket = solve([1], [Offer(1, "b", "a", 5000, box)])
    assert basket.total_cents == basket.separate_cents == 5000 + 2400

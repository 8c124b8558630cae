"""The cheapest basket as a pure problem: exact is optimal (brute force), greedy never loses to
buying separately, albums without offers are listed as unpriced."""
import itertools
import random

import pytest

from recommendations.basket_solver import EXACT, GREEDY, Offer, Parcel, solve, total_cents


def random_instance(rng, albums, sellers, alone=2):
    """Albums offered by a few sellers (combined shipping) and a few single-shipping offers."""
    parcels = {f"s{i}": Parcel(rng.randint(300, 1500), rng.randint(0, 800)) for i in range(sellers)}
    offers = []
    for album in range(albums):
        for seller in rng.sample(sorted(parcels), rng.randint(0, sellers)):
            offers.append(Offer(album, f"{seller}-{album}", seller, rng.randint(500, 4000)))
        for n in range(rng.randint(0, alone)):
            parcels[f"alone-{album}-{n}"] = Parcel(rng.randint(0, 1200), rng.randint(0, 1200))
            offers.append(Offer(album, f"alone-{album}-{n}", f"alone-{album}-{n}", rng.randint(500, 4000)))
    return list(range(albums)), offers, parcels


def brute_force(albums, offers, parcels):
    choices = [[o for o in offers if o.album == album] for album in albums]
    choices = [found for found in choices if found]
    return min(total_cents({o.album: o for o in combo}, parcels) for combo in itertools.product(*choices))


@pytest.mark.parametrize("seed", range(40))
def test_the_exact_basket_is_as_cheap_as_every_other_choice(seed):
    albums, offers, parcels = random_instance(random.Random(seed), albums=5, sellers=3)
    basket = solve(albums, offers, parcels)
    assert basket.method == EXACT
    assert basket.total_cents == brute_force(albums, offers, parcels)
    assert basket.total_cents <= basket.separate_cents


@pytest.mark.parametrize("seed", range(20))
def test_the_greedy_basket_is_never_worse_than_buying_each_separately(seed):
    albums, offers, parcels = random_instance(random.Random(seed), albums=40, sellers=6)
    basket = solve(albums, offers, parcels)
    assert basket.method == GREEDY
    assert basket.total_cents <= basket.separate_cents
    assert set(basket.chosen) == {o.album for o in offers}
    assert all(offer.album == album for album, offer in basket.chosen.items())


@pytest.mark.parametrize("seed", range(10))
def test_greedy_is_close_to_exact_on_the_same_instance(seed):
    albums, offers, parcels = random_instance(random.Random(seed), albums=12, sellers=4)
    exact, greedy = solve(albums, offers, parcels), solve(albums, offers, parcels, exact_limit=0)
    assert exact.total_cents <= greedy.total_cents <= greedy.separate_cents


def test_one_parcel_from_a_seller_beats_two_cheaper_items_from_two_sellers():
    parcels = {"a": Parcel(900, 100), "b": Parcel(900, 100)}
    offers = [Offer(1, "a1", "a", 1000), Offer(2, "a2", "a", 1100), Offer(2, "b2", "b", 1000)]
    basket = solve([1, 2], offers, parcels)
    assert {album: o.key for album, o in basket.chosen.items()} == {1: "a1", 2: "a2"}
    assert basket.total_cents == 1000 + 1100 + 900 + 100
    assert basket.separate_cents == 1900 + 1900 and basket.saving_cents == 700


def test_albums_without_offers_are_listed_as_unpriced_not_dropped():
    parcels = {"a": Parcel(500, 200)}
    basket = solve([1, 2, 3], [Offer(2, "a2", "a", 1000)], parcels)
    assert basket.unpriced == [1, 3] and list(basket.chosen) == [2]
    assert solve([7], [], parcels).unpriced == [7]


def test_an_additional_item_never_costs_more_than_its_own_parcel():
    parcels = {"a": Parcel(300, 900)}
    basket = solve([1, 2], [Offer(1, "x", "a", 1000), Offer(2, "y", "a", 1000)], parcels)
    assert basket.total_cents == basket.separate_cents == 2600

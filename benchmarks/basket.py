"""The cheapest basket on a whole Discogs wantlist: the exact integer program against the greedy
search, time and total, with the greedy answer's bound (its LP relaxation) and its true gap.

    .venv/bin/python benchmarks/basket.py [--sizes 100,250,500,1000] [--seeds 3]

No database: seeded instances of the shape recommendations.basket builds (each album offered by
a random share of the crawled sellers, each seller's shipping scaled per weight class, plus up to
two listings that ship alone, as eBay's do), solved by recommendations.basket_solver as the page
solves them. Sellers grow with the wantlist (one per 12 albums, at least 30). Times are wall
clock on this machine, best of one run per seed; the exact limit and time cap in the solver come
from these figures.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recommendations import basket_solver  # noqa: E402  (pure module: no Django setup needed)
from recommendations.tests.test_basket_solver import random_instance  # noqa: E402


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def run(size, seed):
    albums, offers = random_instance(random.Random(seed), albums=size, sellers=max(30, size // 12))
    exact, exact_s = timed(basket_solver.solve, albums, offers, exact_limit=10**9, seconds=120)
    greedy, greedy_s = timed(basket_solver.solve, albums, offers, exact_limit=0)
    return {
        "offers": len(offers),
        "exact_s": exact_s,
        "exact_method": exact.method,
        "greedy_s": greedy_s,
        "exact": exact.total_cents,
        "greedy": greedy.total_cents,
        "bound": greedy.gap_bound,
        "gap": (greedy.total_cents - exact.total_cents) / exact.total_cents,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,250,500,1000")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    print(f"exact limit {basket_solver.EXACT_LIMIT} albums, time cap {basket_solver.EXACT_SECONDS} s")
    print("albums  offers  exact s (max)   greedy+LP s (max)  greedy gap: true mean/max   stated bound mean/max")
    for size in (int(s) for s in args.sizes.split(",")):
        rows = [run(size, seed) for seed in range(args.seeds)]
        assert all(row["exact_method"] == basket_solver.EXACT for row in rows), "HiGHS did not prove an optimum"
        assert all(row["gap"] <= row["bound"] + 1e-9 for row in rows), "a stated bound below the true gap"
        mean = lambda key, rows=rows: statistics.mean(row[key] for row in rows)  # noqa: E731
        most = lambda key, rows=rows: max(row[key] for row in rows)  # noqa: E731
        print(
            f"{size:6d}  {int(mean('offers')):6d}  {mean('exact_s'):6.2f} ({most('exact_s'):5.2f})   "
            f"{mean('greedy_s'):6.2f} ({most('greedy_s'):5.2f})      {mean('gap'):6.2%} / {most('gap'):6.2%}"
            f"          {mean('bound'):6.2%} / {most('bound'):6.2%}",
            flush=True,
        )


if __name__ == "__main__":
    main()

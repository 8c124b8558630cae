"""The pressing guide's cost on the album page (issue 23), on a catalog that benchmarks/scale.py
built (its big album: 2,236 pressings, ~6.7k quotes):

    .venv/bin/python benchmarks/pressing_guide.py postgres://postgres@127.0.0.1:5432/vinilogy_scale [--album 1]

The guide is its own fragment (pricing.views.album_guide), loaded beside the pressings table, so
the table's time is what it was before the guide. Times, in-process with Django's test Client as
scale.py does (median of REPEATS after a warm-up, queries counted once): the album page shell,
the pressings fragment, the guide fragment on a first view (the cache cleared each time, as the
first reader after the album's prices or pressings changed) and on a repeat view (from the
cache), then the guide alone (pricing.guide.build_guide) and a 24-card grid's suggested
pressings (pricing.guide.suggestions) for the 24 albums with the most pressings. Prints one
figure a line and a JSON line.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import REPEATS, counting, model_dir_for, setup_django, timed  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--album", type=int, default=1, help="the album whose page is timed (scale.py's big album is 1)")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args(argv)
    setup_django(args.database_url, str(model_dir_for(args.database_url)))
    from django.core.cache import cache
    from django.db.models import Count
    from django.test import Client

    from catalog.editions import classify_albums
    from catalog.models import Album
    from pricing import guide
    from pricing.filters import BuyingFilters

    classify_albums([args.album])  # a catalog built before the rule ran has no editions yet
    pressings = Album.objects.get(pk=args.album).releases.count()
    client = Client()
    headers = {"HTTP_HX_REQUEST": "true"}
    figures = {"album": args.album, "pressings": pressings}

    def get(url, **extra):
        def view():
            response = client.get(url, **extra)
            assert response.status_code == 200, response.status_code
            return response

        return view

    def measure(name, function):
        ms, _ = timed(function, repeats=args.repeats)
        _, queries = counting(function)
        figures[name] = {"ms": round(ms, 2), "queries": queries}
        print(f"{name:<28} {ms:>9.2f} ms  {queries:>3} queries", file=sys.stderr)

    guide_fragment = get(f"/albums/{args.album}/guide/", **headers)

    def guide_first_view():
        cache.clear()  # as the first reader after a price or pressing changed
        return guide_fragment()

    measure("album_page", get(f"/albums/{args.album}/"))
    measure("pressings_fragment", get(f"/albums/{args.album}/pressings/", **headers))
    measure("guide_first_view", guide_first_view)
    measure("guide_repeat_view", guide_fragment)
    measure("guide_alone", lambda: guide.build_guide(args.album, BuyingFilters("ES")))
    grid = list(Album.objects.annotate(n=Count("releases")).order_by("-n").values_list("pk", flat=True)[:24])
    classify_albums(grid)
    measure("suggestions_24_cards", lambda: guide.suggestions(grid, BuyingFilters("ES")))
    picks = guide.build_guide(args.album, BuyingFilters("ES")).picks
    figures["picks"] = [pick.kind for pick in picks]
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

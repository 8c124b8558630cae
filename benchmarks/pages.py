"""Server time of the recommendations page against a trivial page (the landing page).

    .venv/bin/python benchmarks/pages.py [--requests 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vinilogy .venv/bin/python benchmarks/pages.py

Loads the real offline demo catalog (manage.py load_demo: recorded data only, vinilogy/demo.py)
into a throwaway database (a SQLite file in a temp dir by default, a test database beside
DATABASE_URL's on PostgreSQL), generates the demo listener's set as `manage.py
generate_recommendations demo` does (24 albums), signs them in with Django's test Client, then
times each page `--requests` times after a warm-up and prints the median (and 90th percentile)
server time, the query count, and the ratio to the landing page. The album pages are those of
a demo album with a tracklist, pressings and a price. Celery runs eagerly here whatever
REDIS_URL says.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 5


def setup_django(tmp):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinilogy.settings")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"  # the set is generated in-process, once, before timing
    os.environ.setdefault("CONN_MAX_AGE", "60")  # persistent connections, as in production
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # DEBUG keeps every query in memory and renders slower error pages
    from django.db import connection

    if connection.vendor == "sqlite":  # a file, as in production use; Django's default is in-memory
        connection.settings_dict["TEST"]["NAME"] = str(tmp / "bench.sqlite3")
    return connection, connection.creation.create_test_db(verbosity=0, autoclobber=True)


def signed_in_client():
    """A Client signed in as the demo listener, whose set is generated; and the set."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from vinilogy.demo import DEMO_USERNAME

    call_command("load_demo", "--no-progress", stdout=io.StringIO())
    call_command("generate_recommendations", DEMO_USERNAME, stdout=io.StringIO())
    listener = get_user_model().objects.get(username=DEMO_USERNAME)
    client = Client()
    client.force_login(listener)
    rec_set = listener.recommendation_sets.get()
    assert rec_set.status == "ready", rec_set
    return client, rec_set


def measure(client, url, requests):
    """(median ms, p90 ms, queries per request) of GET url."""
    for _ in range(WARM_UP):
        assert client.get(url).status_code == 200, url
    timings = []
    with counting_queries() as queries:
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url
    return statistics.median(timings), statistics.quantiles(timings, n=10)[-1], queries[0] / requests


@contextmanager
def counting_queries():
    """Counts every query (Django clears its own query log at each request start)."""
    from django.db import connection

    count = [0]

    def count_one(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_one):
        yield count


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        connection, test_name = setup_django(Path(tmp))
        try:
            run(connection, args.requests)
        finally:
            connection.close()
            connection.creation.destroy_test_db(test_name, verbosity=0)


def run(connection, requests):
    from catalog.models import Album
    from tests.browser.demo_catalog import album_with_tracks_pressings_and_price

    client, rec_set = signed_in_client()
    album = album_with_tracks_pressings_and_price()
    pages = {
        "landing page (base)": "/",
        "recommendations": "/recommendations/",
        "album page": f"/albums/{album.pk}/",
        "album tracklist fragment": f"/albums/{album.pk}/tracklist/",
        "album pressings fragment": f"/albums/{album.pk}/pressings/",
        "album prices fragment": f"/albums/{album.pk}/prices/",
    }
    print(
        f"{connection.vendor}: demo catalog, {Album.objects.count()} albums, a set of {rec_set.items.count()} recommendations, "
        f"album pages of {album}; median of {requests} requests after {WARM_UP} warm-up, signed in"
    )
    results = {name: measure(client, url, requests) for name, url in pages.items()}
    base = results["landing page (base)"][0]
    for name, (median, p90, queries) in results.items():
        print(
            f"  {name:<26} median {median:6.2f} ms  p90 {p90:6.2f} ms  {queries:4.1f} queries  ×{median / base:5.2f} of the landing page"
        )


if __name__ == "__main__":
    main()

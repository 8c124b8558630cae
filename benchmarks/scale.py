"""The target catalog, built synthetically, and every figure of issue 13's table on it.

    .venv/bin/python benchmarks/scale.py postgres://postgres@127.0.0.1:5432/vinilogy_scale [--scale 0.1] [--reset]

Builds into that PostgreSQL database (created if missing; refused if it already holds a
catalog, unless --reset drops and recreates it) with COPY: 10k artists, 200k Last.fm
similarities, 50k albums, 500k pressings (one album with 2,236 of them), 2M price quotes (that
album's ~6.7k among them), all named "Synthetic …" and every quote flagged `sample`; then 200
listeners with 50 seed artists each (drawn from a few clusters of related artists, so that
co-listening has something to find). `--scale` multiplies every count (0.05 runs in a few
minutes on 2 cores). Then it fits the co-listening model (in a child process, for its peak
RSS), generates every listener's set, and times, in-process with Django's test Client as
benchmarks/pages.py does:

    the landing page (the in-run reference every time is divided by), one set (generate_now),
    the ranking stage (candidate_artists), engine.rank_artists, /recommendations/, the album
    pressings and prices fragments of the big album, the best-price refresh, the co-listening job.

It prints ONE JSON line: the counts built, then each figure with its ms (median), its ratio
to the landing page ("x_ref"), and its queries or bytes where the table has them. The load
figures (gunicorn, 10 concurrent) come from benchmarks/load.py against the same database.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TARGET = {"artists": 10_000, "similarities": 200_000, "albums": 50_000, "pressings": 500_000, "quotes": 2_000_000}
LISTENERS, SEEDS_PER_LISTENER = 200, 50
BIG_ALBUM_PRESSINGS, BIG_ALBUM_QUOTES_EACH = 2_236, 3
CLUSTER = 50  # artists per cluster of related artists (their Last.fm edges stay mostly inside)
STORES = 12
COUNTRIES = ["ES", "DE", "FR", "IT", "NL", ""]
PASSWORD = "synthetic-listener"
REPEATS = 30


def setup_django(database_url: str, model_dir: str):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ.setdefault("CONN_MAX_AGE", "60")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ["MODEL_DIR"] = model_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinilogy.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]


def model_dir_for(database_url: str) -> Path:
    """Where this database's model versions live (var/, ignored by git); load.py reads it too."""
    return ROOT / "var" / "data" / f"models-{database_url.rsplit('/', 1)[-1]}"


def ensure_database(url: str, reset: bool) -> None:
    """Create the database (or drop and recreate it with --reset) through the maintenance db."""
    import psycopg
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or reset:
            conn.execute(f'CREATE DATABASE "{name}"')


# --- COPY -------------------------------------------------------------------------------------


def column_defaults(model) -> dict:
    """Column → the value a row gets when the builder does not say (Django's defaults are not
    the database's, so COPY must spell every NOT NULL column)."""
    from django.utils import timezone

    now, defaults = timezone.now(), {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.column] = now
        elif field.has_default():
            value = field.get_default()
            defaults[field.column] = json.dumps(value) if field.get_internal_type() == "JSONField" else value
        else:
            defaults[field.column] = None if field.null else ""
    return defaults


def copy_rows(model, rows) -> int:
    """COPY `rows` (dicts by column name, each with its "id") into the model's table."""
    from django.db import connection

    defaults = column_defaults(model)
    columns = ["id", *defaults]
    count = 0
    with connection.cursor() as cursor:
        sql = f'COPY {model._meta.db_table} ({", ".join(columns)}) FROM STDIN'
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([row.get(column, defaults.get(column)) for column in columns])
                count += 1
    return count


def reset_sequences(models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


# --- the synthetic catalog --------------------------------------------------------------------


def counts_for(scale: float) -> dict:
    counts = {name: max(int(round(n * scale)), 1) for name, n in TARGET.items()}
    counts["artists"] = max(counts["artists"], 2 * CLUSTER)
    return counts


def build_catalog(counts: dict, rng) -> dict:
    from django.utils import timezone

    from catalog.models import Album, Artist, ArtistSimilarity, ArtistTag, Release, Tag
    from pricing.models import PriceQuote, Store

    now = timezone.now()
    fetched = now - timedelta(days=1)  # before the fit: the saved Last.fm edges are current
    n_artists, n_albums = counts["artists"], counts["albums"]
    listeners = (1e6 / np.arange(1, n_artists + 1) ** 0.8).astype(np.int64)
    copy_rows(Artist, (
        {"id": a, "name": f"Synthetic artist {a:05d}", "normalized_name": f"synthetic artist {a:05d}",
         "listeners": int(listeners[a - 1]), "source": "manual", "refreshed_at": fetched,
         "similars_refreshed_at": fetched, "albums_refreshed_at": fetched}
        for a in range(1, n_artists + 1)
    ))
    genres = [f"synthetic-genre-{g}" for g in range(max(n_artists // CLUSTER, 1))]
    copy_rows(Tag, ({"id": g + 1, "name": name} for g, name in enumerate(genres)))
    copy_rows(ArtistTag, (
        {"id": a, "artist_id": a, "tag_id": (a - 1) // CLUSTER % len(genres) + 1, "weight": 100}
        for a in range(1, n_artists + 1)
    ))
    copy_rows(ArtistSimilarity, similarity_rows(n_artists, counts["similarities"], rng, fetched))
    copy_rows(Album, (
        {"id": b, "artist_id": (b - 1) % n_artists + 1, "title": f"Synthetic album {b:06d}",
         "normalized_title": f"synthetic album {b:06d}", "first_release_year": 1960 + b % 60,
         "is_studio": b % 10 != 0, "track_count": 10, "genre": genres[((b - 1) % n_artists) // CLUSTER % len(genres)],
         "source": "manual", "refreshed_at": fetched, "releases_refreshed_at": fetched}
        for b in range(1, n_albums + 1)
    ))
    album_of = pressing_albums(counts["pressings"], n_albums, rng)
    copy_rows(Release, (
        {"id": p, "album_id": int(album_of[p - 1]), "discogs_id": 900_000_000 + p, "title": f"Synthetic pressing {p}",
         "country": COUNTRIES[p % 5], "year": 1960 + p % 64, "formats": "[]", "format_summary": "Vinyl, LP",
         "is_official": True, "want": int(rng.integers(0, 2000)), "have": int(rng.integers(0, 4000)),
         "rating_average": 4.0, "rating_count": int(rng.integers(0, 50)), "source": "discogs", "refreshed_at": fetched}
        for p in range(1, counts["pressings"] + 1)
    ))
    first_store = (Store.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1  # migrations add some
    copy_rows(Store, (
        {"id": s, "kind": "discogs", "name": f"Synthetic store {s}", "country": "ES", "is_active": True}
        for s in range(first_store, first_store + STORES)
    ))
    copy_rows(PriceQuote, quote_rows(counts["quotes"], album_of, rng, now, first_store))
    reset_sequences([Artist, Tag, ArtistTag, ArtistSimilarity, Album, Release, Store, PriceQuote])
    return {"big_album_id": 1}


def similarity_rows(n_artists, total, rng, fetched):
    """Last.fm edges: each artist's mostly to its own cluster, the rest anywhere."""
    per_artist = max(total // n_artists, 1)
    next_id = 1
    for a in range(1, n_artists + 1):
        base = (a - 1) // CLUSTER * CLUSTER
        inside = base + 1 + rng.choice(min(CLUSTER, n_artists - base), min(per_artist, CLUSTER - 1), replace=False)
        targets = set(int(t) for t in inside[: int(per_artist * 0.75)])
        while len(targets) < per_artist:
            targets.add(int(rng.integers(1, n_artists + 1)))
        targets.discard(a)
        for t in targets:
            yield {"id": next_id, "from_artist_id": a, "to_artist_id": t, "score": round(float(rng.random()), 4),
                   "source": "lastfm", "updated_at": fetched}
            next_id += 1


def pressing_albums(n_pressings, n_albums, rng) -> np.ndarray:
    """Album of each pressing: album 1 has the big album's pressings, the rest spread at random."""
    big = min(BIG_ALBUM_PRESSINGS, n_pressings // 10)
    return np.concatenate([np.ones(big, dtype=np.int64), rng.integers(2, n_albums + 1, n_pressings - big)])


def quote_rows(n_quotes, album_of, rng, now, first_store):
    big = int((album_of == 1).sum())
    pressings = np.concatenate([
        np.repeat(np.arange(1, big + 1), BIG_ALBUM_QUOTES_EACH),
        rng.integers(big + 1, len(album_of) + 1, max(n_quotes - big * BIG_ALBUM_QUOTES_EACH, 0)),
    ])[:n_quotes]
    for q, pressing in enumerate(pressings.tolist(), start=1):
        item = Decimal(int(rng.integers(1500, 6000))) / 100
        kind = ("exact", "exact", "exact", "estimated", "unknown")[q % 5]
        shipping = None if kind == "unknown" else Decimal(int(rng.integers(300, 1500))) / 100
        yield {
            "id": q, "album_id": int(album_of[pressing - 1]), "release_id": pressing, "store_id": first_store + q % STORES,
            "offer_key": f"synthetic-{q}", "condition": "NM", "currency": "EUR", "amount": item, "item_eur": item,
            "shipping": shipping, "shipping_eur": shipping, "shipping_kind": kind,
            "total_eur": None if shipping is None else item + shipping, "sample": True, "ships_to": COUNTRIES[q % 6],
            "is_current": q % 7 != 0, "fetched_at": now - timedelta(hours=int(rng.integers(1, 72))),
            "seller": f"synthetic-seller-{q % 500}",
        }


def build_listeners(n_artists, rng) -> list[int]:
    """LISTENERS users (profile ES) with SEEDS_PER_LISTENER seed artists from three clusters each."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from accounts.models import Profile, SeedArtist

    user_model = get_user_model()
    password = make_password(PASSWORD)
    users = list(range(1, LISTENERS + 1))
    copy_rows(user_model, (
        {"id": u, "username": f"synthetic{u:03d}", "email": f"synthetic{u:03d}@example.invalid", "password": password,
         "is_active": True, "is_staff": False, "is_superuser": False}
        for u in users
    ))
    copy_rows(Profile, ({"id": u, "user_id": u, "country": "ES", "min_tracks_per_album": 7, "min_playcount": 0} for u in users))
    copy_rows(SeedArtist, seed_rows(users, n_artists, rng))
    reset_sequences([user_model, Profile, SeedArtist])
    return users


def seed_rows(users, n_artists, rng):
    clusters = max(n_artists // CLUSTER, 1)
    next_id = 1
    for u in users:
        chosen = rng.choice(clusters, min(3, clusters), replace=False)
        pool = np.concatenate([np.arange(c * CLUSTER + 1, min((c + 1) * CLUSTER, n_artists) + 1) for c in chosen])
        for rank, artist in enumerate(rng.choice(pool, min(SEEDS_PER_LISTENER, len(pool)), replace=False), start=1):
            yield {"id": next_id, "user_id": u, "artist_id": int(artist), "source": "lastfm",
                   "weight": round(100.0 / rank, 3), "playcount": int(5000 / rank)}
            next_id += 1


def analyze() -> None:
    """Table statistics and visibility maps, as autovacuum keeps them on a live database:
    right after COPY there are none, and PostgreSQL then picks plans (a store's whole partial
    index for 100 albums' quotes) and heap checks (no index-only scan) that no running site
    would see."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def existing_listeners() -> list[int]:
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(username__startswith="synthetic").order_by("pk").values_list("pk", flat=True))


def existing_counts() -> dict:
    from catalog.models import Album, Artist, ArtistSimilarity, Release
    from pricing.models import PriceQuote

    return {"artists": Artist.objects.count(), "similarities": ArtistSimilarity.objects.filter(source="lastfm").count(),
            "albums": Album.objects.count(), "pressings": Release.objects.count(), "quotes": PriceQuote.objects.count()}


# --- figures ----------------------------------------------------------------------------------


def timed(function, repeats=REPEATS) -> tuple[float, object]:
    """(median ms, last result) of `repeats` calls after one warm-up."""
    result = function()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times), result


def counting(function):
    """(result, queries) of one call."""
    from django.db import connection

    count = [0]

    def one(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(one):
        result = function()
    return result, count[0]


def fit_in_child() -> dict:
    """The co-listening job in a forked child: its seconds and peak RSS, as a worker runs it."""
    from django.db import connection

    connection.close()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        from django.db import connections

        for conn in connections.all():
            conn.close()
        from recommendations.colisten import rebuild_colisten_similarities

        rebuild_colisten_similarities()
        os._exit(0)
    _, status, usage = os.wait4(pid, 0)
    assert status == 0, f"the fit failed in its child process ({status})"
    return {"s": round(time.perf_counter() - started, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def incremental_best_prices(batches=10, per_batch=100) -> dict:
    """What one price batch costs the best-price table: 100 albums' quotes change (their
    cheapest current quote gets dearer, as a refresh that saw a price go up would write), then
    update_best_prices recomputes those albums. The median of `batches` batches, and whether
    the table then equals the full recompute."""
    from django.db.models import F

    from pricing.best_price import mismatched_album_ids, update_best_prices
    from pricing.models import AlbumBestPrice, PriceQuote

    rng = np.random.default_rng(7)
    albums = list(AlbumBestPrice.objects.values_list("album_id", flat=True).distinct().order_by("album_id"))
    times = []
    for _ in range(batches):
        touched = [int(a) for a in rng.choice(albums, min(per_batch, len(albums)), replace=False)]
        cheapest = AlbumBestPrice.objects.filter(album_id__in=touched).values_list("quote_id", flat=True)
        PriceQuote.objects.filter(pk__in=list(cheapest)).update(item_eur=F("item_eur") + 5, total_eur=F("total_eur") + 5)
        started = time.perf_counter()
        update_best_prices(touched)
        times.append(1000 * (time.perf_counter() - started))
    return {"ms": round(statistics.median(times), 1), "albums": per_batch, "batches": batches,
            "equals_full_recompute": not mismatched_album_ids()}


def measure(build: dict, users: list[int]) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from catalog.models import ArtistSimilarity, ENGINE_SOURCES
    from pricing.best_price import refresh_best_prices
    from recommendations import artifact, engine, services
    from recommendations.candidates import candidate_artists
    from recommendations.models import ModelVersion
    from recommendations.tasks import generate_set, refresh_colisten

    figures = {}
    started = time.perf_counter()
    refresh_best_prices()
    figures["best_price_refresh_full"] = {"ms": round(1000 * (time.perf_counter() - started), 1)}
    figures["best_price_incremental"] = incremental_best_prices()
    figures["colisten_job"] = fit_in_child()
    version = ModelVersion.objects.latest()
    figures["colisten_job"].update(
        rows_written=ArtistSimilarity.objects.filter(source__in=ENGINE_SOURCES).count(), model_mb=round(version.size_bytes / 1e6, 1),
        fit_s=version.fit_seconds, ndcg_at_20=version.ndcg_at_20, model_edges=version.edges,
    )
    from django.conf import settings

    queues = {name: getattr(task, "queue", None) or settings.CELERY_TASK_DEFAULT_QUEUE for name, task in
              (("fit", refresh_colisten), ("generation", generate_set))}
    figures["queues"] = {**queues, "generation_waits_behind_fit": queues["fit"] == queues["generation"]}
    listeners = get_user_model().objects.filter(pk__in=users).select_related("profile").order_by("pk")
    generation = []
    for user in listeners:  # every listener gets their set; each is timed
        started = time.perf_counter()
        rec_set, queries = counting(lambda: services.generate_now(user, force=True))
        generation.append((1000 * (time.perf_counter() - started), queries, rec_set.items.count()))
    figures["generate_now"] = {"ms": round(statistics.median(g[0] for g in generation), 1),
                               "p90_ms": round(statistics.quantiles([g[0] for g in generation], n=10)[-1], 1),
                               "queries": int(statistics.median(g[1] for g in generation)),
                               "items": int(statistics.median(g[2] for g in generation))}
    profiles = [services.load_listener(user).profile for user in listeners[:50]]
    cycle = iter(range(10**9))
    ms, _ = timed(lambda: candidate_artists(profiles[next(cycle) % len(profiles)], k=services.CANDIDATE_ARTISTS))
    figures["candidate_artists"] = {"ms": round(ms, 2)}
    model = artifact.current().model
    weights = [{s: t.weight for s, t in p.artists.items()} for p in profiles]
    ms, _ = timed(lambda: engine.rank_artists(weights[next(cycle) % len(weights)], model, k=200, external=model.external))
    figures["rank_artists"] = {"ms": round(ms, 2), "model_artists": model.n_artists}
    client = Client()
    client.force_login(listeners[0])
    pages = {"landing": "/", "recommendations": "/recommendations/",
             "pressings_fragment": f"/albums/{build['big_album_id']}/pressings/",
             "prices_fragment": f"/albums/{build['big_album_id']}/prices/"}
    for name, url in pages.items():
        ms, response = timed(lambda: client.get(url), repeats=REPEATS if name != "pressings_fragment" else 5)
        assert response.status_code == 200, (url, response.status_code)
        _, queries = counting(lambda: client.get(url))
        figures[name] = {"ms": round(ms, 2), "queries": queries, "bytes": len(response.content)}
    reference = figures["landing"]["ms"]
    for figure in figures.values():
        if "ms" in figure and reference:
            figure["x_ref"] = round(figure["ms"] / reference, 2)
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url", help="postgres://… (its database is created if missing)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the target counts (e.g. 0.05)")
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--reuse", action="store_true",
                        help="measure a catalog an earlier run built in this database instead of refusing it")
    args = parser.parse_args(argv)
    ensure_database(args.database_url, args.reset)
    # The model versions outlive the run: benchmarks/load.py's gunicorn reads them.
    setup_django(args.database_url, str(model_dir_for(args.database_url)))
    from django.core.management import call_command

    from catalog.models import Artist

    call_command("migrate", verbosity=0)
    counts, rng = counts_for(args.scale), np.random.default_rng(args.seed)
    if Artist.objects.exists() and not args.reuse:
        sys.exit("the database already holds a catalog: pass --reset to rebuild it, or --reuse to measure it")
    started = time.perf_counter()
    if Artist.objects.exists():
        build, users = {"big_album_id": 1}, existing_listeners()
        counts = existing_counts()
    else:
        build = build_catalog(counts, rng)
        users = build_listeners(counts["artists"], rng)
    build_s = round(time.perf_counter() - started, 1)
    analyze()
    figures = measure(build, users)
    rss = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    counts = {**counts, "listeners": len(users), "seeds_each": SEEDS_PER_LISTENER}
    print(json.dumps({"scale": args.scale, "counts": counts, "build_s": build_s, "reference": "landing",
                      "figures": figures, "benchmark_peak_rss_mb": rss}))

if __name__ == "__main__":
    main()

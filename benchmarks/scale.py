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
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

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
        sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
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


def insert_series(model, n: int, exprs: dict, source: str | None = None) -> int:
    """INSERT … SELECT `n` rows generated in PostgreSQL: `exprs` maps a column to its SQL
    expression over the series `g` (or over the columns of `source`, a FROM clause of its own);
    every other column gets its default, cast to its type. Nothing crosses the wire per row."""
    from django.db import connection

    defaults = column_defaults(model)
    columns, values, params = ["id"], [exprs.get("id", "g")], []
    fields = {field.column: field for field in model._meta.concrete_fields}
    for column, default in defaults.items():
        columns.append(column)
        if column in exprs:
            values.append(exprs[column])
        else:
            values.append(f"%s::{fields[column].db_type(connection)}")
            params.append(default)
    source = (source or f"generate_series(1, {int(n)}) AS g").replace("%", "%%")
    values = [value if value.startswith("%s::") else value.replace("%", "%%") for value in values]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source}", params
        )
        return cursor.rowcount


class bulk_load:
    """While in it, the tables' secondary indexes are dropped (rebuilt once at the end, far
    faster than 20M index insertions) and foreign keys are not checked row by row (the builder
    writes only ids it made). Constraint indexes (primary keys, unique) stay."""

    def __init__(self, *models):
        self.tables = [model._meta.db_table for model in models]

    def __enter__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) AND NOT EXISTS ("
                " SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)",
                [self.tables],
            )
            self.indexes = cursor.fetchall()
            for name, _ in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _, definition in self.indexes:
                cursor.execute(definition)
        return False


# --- the synthetic catalog --------------------------------------------------------------------


def counts_for(scale: float) -> dict:
    counts = {name: max(int(round(n * scale)), 1) for name, n in TARGET.items()}
    counts["artists"] = max(counts["artists"], 2 * CLUSTER)
    return counts


def build_catalog(counts: dict, rng) -> dict:
    from django.db import connection
    from django.utils import timezone

    from catalog.models import Album, Artist, ArtistSimilarity, ArtistTag, Release, Tag
    from pricing.models import PriceQuote, Store

    now = timezone.now()
    fetched = now - timedelta(days=1)  # before the fit: the saved Last.fm edges are current
    n_artists, n_albums, n_pressings = counts["artists"], counts["albums"], counts["pressings"]
    listeners = (1e6 / np.arange(1, n_artists + 1) ** 0.8).astype(np.int64)
    copy_rows(
        Artist,
        (
            {
                "id": a,
                "name": f"Synthetic artist {a:06d}",
                "normalized_name": f"synthetic artist {a:06d}",
                "listeners": int(listeners[a - 1]),
                "source": "manual",
                "refreshed_at": fetched,
                "similars_refreshed_at": fetched,
                "albums_refreshed_at": fetched,
            }
            for a in range(1, n_artists + 1)
        ),
    )
    genres = [f"synthetic-genre-{g}" for g in range(max(n_artists // CLUSTER, 1))]
    copy_rows(Tag, ({"id": g + 1, "name": name} for g, name in enumerate(genres)))
    copy_rows(
        ArtistTag,
        (
            {"id": a, "artist_id": a, "tag_id": (a - 1) // CLUSTER % len(genres) + 1, "weight": 100}
            for a in range(1, n_artists + 1)
        ),
    )
    copy_rows(
        Album,
        (
            {
                "id": b,
                "artist_id": (b - 1) % n_artists + 1,
                "title": f"Synthetic album {b:07d}",
                "normalized_title": f"synthetic album {b:07d}",
                "first_release_year": 1960 + b % 60,
                "is_studio": b % 10 != 0,
                "track_count": 10,
                "genre": genres[((b - 1) % n_artists) // CLUSTER % len(genres)],
                "source": "manual",
                "refreshed_at": fetched,
                "releases_refreshed_at": fetched,
            }
            for b in range(1, n_albums + 1)
        ),
    )
    first_store = (Store.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1  # migrations add some
    copy_rows(
        Store,
        (
            {"id": s, "kind": "discogs", "name": f"Synthetic store {s}", "country": "ES", "is_active": True}
            for s in range(first_store, first_store + STORES)
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(int(rng.integers(0, 2**20)) / 2**20) * 2 - 1])
    big = big_album_pressings(counts)
    with bulk_load(ArtistSimilarity, Release, PriceQuote):
        build_similarities(n_artists, counts["similarities"], fetched)
        build_pressings(n_pressings, n_albums, big, fetched)
        build_quotes(counts["quotes"], n_pressings, big, now, first_store)
    reset_sequences([Artist, Tag, ArtistTag, ArtistSimilarity, Album, Release, Store, PriceQuote])
    return {"big_album_id": 1, "big_album_pressings": big}


def big_album_pressings(counts) -> int:
    """Album 1's pressings: 2,236 at the target, scaled with the catalog (22,360 at 10x)."""
    scale = counts["pressings"] / TARGET["pressings"]
    return min(int(round(BIG_ALBUM_PRESSINGS * max(scale, 1.0))), counts["pressings"] // 10)


def build_similarities(n_artists, total, fetched):
    """Last.fm edges, generated in SQL: each artist's three quarters to its own cluster (a
    stride through it, so never itself nor twice), the rest anywhere (a multiplicative hash)."""
    from catalog.models import ArtistSimilarity

    per_artist = max(total // n_artists, 1)
    inside = min(int(per_artist * 0.75), CLUSTER - 1)
    source = f"""(
        SELECT row_number() OVER () AS g, a, t FROM (
          SELECT DISTINCT ON (a, t) a, t FROM (
            SELECT a, ((a - 1) / {CLUSTER}) * {CLUSTER} + ((a - 1) % {CLUSTER} + k * 3) % LEAST({CLUSTER}, {n_artists} - ((a - 1) / {CLUSTER}) * {CLUSTER}) + 1 AS t
              FROM generate_series(1, {n_artists}) a, generate_series(1, {inside}) k
            UNION ALL
            SELECT a, 1 + ((a::bigint * 7919 + k * 104729) % {n_artists})::int AS t
              FROM generate_series(1, {n_artists}) a, generate_series(1, {per_artist - inside}) k
          ) edges WHERE a <> t ORDER BY a, t
        ) distinct_edges
    ) s"""
    return insert_series(
        ArtistSimilarity,
        0,
        {
            "from_artist_id": "a",
            "to_artist_id": "t",
            "score": "round(random()::numeric, 4)::float8",
            "source": "'lastfm'",
            "updated_at": _literal(fetched),
        },
        source,
    )


def _literal(value) -> str:
    """A timestamp as a SQL literal (insert_series' expressions take no parameters)."""
    return f"'{value.isoformat()}'::timestamptz"


def build_pressings(n_pressings, n_albums, big, fetched):
    """Album 1 has the big album's pressings; the rest are spread at random over the others."""
    from catalog.models import Release

    countries = "ARRAY[" + ", ".join(f"'{c}'" for c in COUNTRIES[:5]) + "]"
    source = f"""(SELECT g, CASE WHEN g <= {big} THEN 1 ELSE 2 + floor(random() * {n_albums - 1})::int END AS album,
                         floor(random() * 2000)::int AS want, floor(random() * 4000)::int AS have,
                         floor(random() * 50)::int AS rating_count
                    FROM generate_series(1, {n_pressings}) g) s"""
    return insert_series(
        Release,
        0,
        {
            "album_id": "album",
            "discogs_id": f"{900_000_000} + g",
            "title": "'Synthetic pressing ' || g",
            "country": f"({countries})[g % 5 + 1]",
            "year": "1960 + g % 64",
            "formats": "'[]'::jsonb",
            "format_summary": "'Vinyl, LP'",
            "is_official": "true",
            "want": "want",
            "have": "have",
            "rating_average": "4.0",
            "rating_count": "rating_count",
            "source": "'discogs'",
            "refreshed_at": _literal(fetched),
        },
        source,
    )


def build_quotes(n_quotes, n_pressings, big, now, first_store):
    """The big album's pressings have BIG_ALBUM_QUOTES_EACH quotes each; the rest of the quotes
    fall on random pressings of other albums. The album is the pressing's (a join on its id)."""
    from pricing.models import PriceQuote

    countries = "ARRAY[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
    each = BIG_ALBUM_QUOTES_EACH
    source = f"""(SELECT q.g, r.album_id AS album, q.pressing, q.item,
                         CASE WHEN q.g % 5 = 4 THEN NULL ELSE q.ship END AS ship,
                         (ARRAY['exact', 'exact', 'exact', 'estimated', 'unknown'])[q.g % 5 + 1] AS kind, q.hours
                    FROM (SELECT g, CASE WHEN g <= {big * each} THEN (g - 1) / {each} + 1
                                         ELSE {big + 1} + floor(random() * {max(n_pressings - big, 1)})::int END AS pressing,
                                 (1500 + floor(random() * 4500)) / 100 AS item, (300 + floor(random() * 1200)) / 100 AS ship,
                                 1 + floor(random() * 71)::int AS hours
                            FROM generate_series(1, {n_quotes}) g) q
                    JOIN catalog_release r ON r.id = q.pressing) s"""
    return insert_series(
        PriceQuote,
        0,
        {
            "album_id": "album",
            "release_id": "pressing",
            "store_id": f"{first_store} + g % {STORES}",
            "offer_key": "'synthetic-' || g",
            "condition": "'NM'",
            "currency": "'EUR'",
            "amount": "item",
            "item_eur": "item",
            "shipping": "ship",
            "shipping_eur": "ship",
            "shipping_kind": "kind",
            "total_eur": "item + ship",
            "sample": "true",
            "ships_to": f"({countries})[g % 6 + 1]",
            "is_current": "g % 7 <> 0",
            "fetched_at": f"{_literal(now)} - hours * interval '1 hour'",
            "seller": "'synthetic-seller-' || g % 500",
        },
        source,
    )


def build_listeners(n_artists, rng, n_listeners=LISTENERS) -> list[int]:
    """`n_listeners` users (profile ES) with SEEDS_PER_LISTENER seed artists from three clusters each."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from accounts.models import Profile, SeedArtist

    user_model = get_user_model()
    password = make_password(PASSWORD)
    users = list(range(1, n_listeners + 1))
    copy_rows(
        user_model,
        (
            {
                "id": u,
                "username": f"synthetic{u:03d}",
                "email": f"synthetic{u:03d}@example.invalid",
                "password": password,
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
            }
            for u in users
        ),
    )
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
            yield {
                "id": next_id,
                "user_id": u,
                "artist_id": int(artist),
                "source": "lastfm",
                "weight": round(100.0 / rank, 3),
                "playcount": int(5000 / rank),
            }
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

    return {
        "artists": Artist.objects.count(),
        "similarities": ArtistSimilarity.objects.filter(source="lastfm").count(),
        "albums": Album.objects.count(),
        "pressings": Release.objects.count(),
        "quotes": PriceQuote.objects.count(),
    }


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
    return {
        "ms": round(statistics.median(times), 1),
        "albums": per_batch,
        "batches": batches,
        "equals_full_recompute": not mismatched_album_ids(),
    }


def measure(build: dict, users: list[int], timed_sets: int = 300, skip_fit: bool = False) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from catalog.models import ENGINE_SOURCES, ArtistSimilarity
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
    started = time.perf_counter()
    repaired = refresh_best_prices()  # the nightly consistency check: a full recompute compared, repairs written
    figures["consistency_check"] = {"ms": round(1000 * (time.perf_counter() - started), 1), "repaired": repaired}
    if skip_fit and ModelVersion.objects.exists():  # --reuse --skip-fit: rank from the version an earlier run fitted
        figures["colisten_job"] = {"skipped": "reused the model version an earlier run fitted"}
    else:
        figures["colisten_job"] = fit_in_child()
    version = ModelVersion.objects.latest()
    figures["colisten_job"].update(
        rows_written=ArtistSimilarity.objects.filter(source__in=ENGINE_SOURCES).count(),
        model_mb=round(version.size_bytes / 1e6, 1),
        fit_s=version.fit_seconds,
        ndcg_at_20=version.ndcg_at_20,
        model_edges=version.edges,
    )
    from django.conf import settings

    queues = {
        name: getattr(task, "queue", None) or settings.CELERY_TASK_DEFAULT_QUEUE
        for name, task in (("fit", refresh_colisten), ("generation", generate_set))
    }
    figures["queues"] = {**queues, "generation_waits_behind_fit": queues["fit"] == queues["generation"]}
    listeners = get_user_model().objects.filter(pk__in=users).select_related("profile").order_by("pk")
    generation = []
    step = max(len(users) // timed_sets, 1)  # at 10k listeners, an even sample: every listener would take ~40 min
    for user in listeners[::step][:timed_sets]:  # each sampled listener gets their set; each is timed
        started = time.perf_counter()
        rec_set, queries = counting(lambda user=user: services.generate_now(user, force=True))
        generation.append((1000 * (time.perf_counter() - started), queries, rec_set.items.count()))
    figures["generate_now"] = {
        "ms": round(statistics.median(g[0] for g in generation), 1),
        "p90_ms": round(statistics.quantiles([g[0] for g in generation], n=10)[-1], 1),
        "queries": int(statistics.median(g[1] for g in generation)),
        "items": int(statistics.median(g[2] for g in generation)),
        "listeners_timed": len(generation),
    }
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
    pages = {
        "landing": "/",
        "recommendations": "/recommendations/",
        "album_page": f"/albums/{build['big_album_id']}/",
        "pressings_fragment": f"/albums/{build['big_album_id']}/pressings/",
        "prices_fragment": f"/albums/{build['big_album_id']}/prices/",
    }
    for name, url in pages.items():
        ms, response = timed(lambda url=url: client.get(url), repeats=REPEATS if name != "pressings_fragment" else 10)
        assert response.status_code == 200, (url, response.status_code)
        _, queries = counting(lambda url=url: client.get(url))
        figures[name] = {"ms": round(ms, 2), "queries": queries, "bytes": len(response.content)}
    reference = figures["landing"]["ms"]
    for figure in figures.values():
        if "ms" in figure and reference:
            figure["x_ref"] = round(figure["ms"] / reference, 2)
    return figures


def database_sizes() -> dict:
    """Bytes on disk per table (heap + TOAST, and its indexes apart) for every table over 1 MB, and the whole database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid) FROM pg_class c
                          JOIN pg_namespace n ON n.oid = c.relnamespace
                          WHERE c.relkind = 'r' AND n.nspname = 'public' AND pg_total_relation_size(c.oid) > 1048576
                          ORDER BY pg_total_relation_size(c.oid) DESC""")
        tables = {
            name: {"table_mb": round(table / 2**20, 1), "indexes_mb": round(indexes / 2**20, 1)}
            for name, table, indexes in cursor
        }
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
    return {"total_mb": round(total / 2**20, 1), "tables": tables}


def compare(url: str, scale: float, seed: int) -> dict:
    """The same benchmark at another scale in a database of its own (built there once, reused
    after), run in a child process after this one's figures so the two never share the cores."""
    import subprocess

    base, name = url.rsplit("/", 1)  # only the database's name changes, never the host's dots
    compare_url = f"{base}/{name}_x{format(scale, 'g').replace('.', '_')}"
    command = [
        sys.executable,
        __file__,
        compare_url,
        "--scale",
        str(scale),
        "--listeners",
        str(max(int(LISTENERS * scale), 1)),
        "--seed",
        str(seed),
        "--reuse",
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"the {scale:g}x comparison failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


TARGETS_10X = {  # issue 27's targets at 10x: (figure, key, limit, unit)
    "generate_now": ("ms", 150, "ms median"),
    "recommendations": ("x_ref", 1.5, "x landing"),
    "album_page": ("ms", 30, "ms"),
    "pressings_fragment": ("ms", 30, "ms"),
    "prices_fragment": ("ms", 30, "ms"),
    "best_price_incremental": ("ms", 100, "ms per 100 albums"),
    "consistency_check": ("ms", 300_000, "ms"),
}


def side_by_side(here: dict, there: dict) -> list[str]:
    """Lines: each figure at both scales, its ratio to the landing page, queries, and the target."""
    lines = [f"{'figure':<24} {'x' + format(there['scale'], 'g'):>22} {'x' + format(here['scale'], 'g'):>22}  target at 10x"]
    for name, figure in here["figures"].items():
        other = there["figures"].get(name, {})

        def cell(f):
            if "ms" not in f:
                return "-"
            extra = f" q{f['queries']}" if "queries" in f else ""
            return f"{f['ms']:.1f} ms x{f.get('x_ref', 0):.2f}{extra}"

        target = ""
        if name in TARGETS_10X:
            key, limit, unit = TARGETS_10X[name]
            value = figure.get(key)
            target = f"<= {limit:g} {unit}: {'met' if value is not None and value <= limit else 'MISSED'}"
        lines.append(f"{name:<24} {cell(other):>22} {cell(figure):>22}  {target}")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url", help="postgres://… (its database is created if missing)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the target counts (e.g. 0.05)")
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--listeners", type=int, default=LISTENERS, help="listeners built (50 seed artists each)")
    parser.add_argument("--timed-sets", type=int, default=300, help="listeners whose set generation is timed (an even sample)")
    parser.add_argument("--compare", type=float, help="also run this scale (e.g. 1) in <database>_x<scale> and print both")
    parser.add_argument(
        "--reuse", action="store_true", help="measure a catalog an earlier run built in this database instead of refusing it"
    )
    parser.add_argument(
        "--skip-fit",
        action="store_true",
        help="with --reuse: rank from the model version an earlier run fitted instead of fitting again (the fit's figure is left out)",
    )
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
        users = build_listeners(counts["artists"], rng, args.listeners)
    build_s = round(time.perf_counter() - started, 1)
    analyze()
    print(f"built in {build_s} s: {counts}", file=sys.stderr, flush=True)
    figures = measure(build, users, args.timed_sets, skip_fit=args.reuse and args.skip_fit)
    figures["database"] = database_sizes()
    rss = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    counts = {**counts, "listeners": len(users), "seeds_each": SEEDS_PER_LISTENER}
    result = {
        "scale": args.scale,
        "counts": counts,
        "build_s": build_s,
        "reference": "landing",
        "figures": figures,
        "benchmark_peak_rss_mb": rss,
    }
    if args.compare:
        from django.db import connections

        print(json.dumps(result), flush=True)  # this scale's figures first: a failing comparison never loses them
        connections.close_all()
        other = compare(args.database_url, args.compare, args.seed)
        result["compare"] = other
        print("\n".join(side_by_side(result, other)), file=sys.stderr)
        pressings = counts["pressings"] - other["counts"]["pressings"]
        here_db, there_db = figures["database"], other["figures"]["database"]
        result["growth_mb_per_1m_pressings"] = (
            {
                name: round(
                    (
                        size["table_mb"]
                        + size["indexes_mb"]
                        - there_db["tables"].get(name, {"table_mb": 0, "indexes_mb": 0})["table_mb"]
                        - there_db["tables"].get(name, {"indexes_mb": 0})["indexes_mb"]
                    )
                    * 1e6
                    / pressings,
                    1,
                )
                for name, size in here_db["tables"].items()
            }
            if pressings > 0
            else {}
        )
        result["growth_mb_per_1m_pressings"]["(database)"] = (
            round((here_db["total_mb"] - there_db["total_mb"]) * 1e6 / pressings, 1) if pressings > 0 else None
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""API calls per album and cache-hit ratio of the ingestion chain, first run against second.

    .venv/bin/python benchmarks/ingest.py [--failure-rate 0.2] [--dump-copies 10]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vinilogy .venv/bin/python benchmarks/ingest.py

Runs the demo's recorded chain (vinilogy/demo_data/chain.json: the catalog services over
the replay folder, nothing reaches the network) twice in a throwaway database (a SQLite file
in a temp dir by default, a test database beside DATABASE_URL's on PostgreSQL), and prints
for each run: API calls per provider and per album, lookups answered by fresh rows (cache
hits) against lookups that asked a provider, and wall time (replayed calls are instant, so
the time is our own overhead). `--failure-rate` makes the replay adapter fail that share of
calls (429/503/timeouts) to show what retries cost. Then, when present, it runs
benchmarks/dump_import.py for the dump importer's releases per minute.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DUMP_BENCHMARK = ROOT / "benchmarks" / "dump_import.py"


def setup_django(tmp):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinilogy.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # DEBUG keeps every query in memory
    from django.db import connection

    if connection.vendor == "sqlite":  # a file, as in production use; Django's default is in-memory
        connection.settings_dict["TEST"]["NAME"] = str(tmp / "bench.sqlite3")
    return connection, connection.creation.create_test_db(verbosity=0, autoclobber=True)


def run_chain(failure_rate):
    """One pass of the recorded chain; returns (RunStats, seconds)."""
    from integrations import runs
    from vinilogy import demo

    manifest = demo.load_chain_manifest()
    started = time.monotonic()
    with (
        runs.collecting_stats() as stats,
        demo.replaying(VINILOGY_REPLAY_FAILURE_RATE=failure_rate, VINILOGY_REPLAY_SEED="bench"),
    ):
        demo.load_exchange_rates()
        demo.run_recorded_chain(manifest)
    return stats, time.monotonic() - started


def report(label, stats, seconds, albums):
    from integrations.models import ApiCall

    calls = stats.api_calls()
    total = sum(calls.values())
    failed = ApiCall.objects.filter(pk__gt=stats.api_call_floor).exclude(error_kind="").count()
    per_provider = ", ".join(f"{provider} {n}" for provider, n in calls.items()) or "none"
    print(
        f"{label}: {total} API calls ({per_provider}; {failed} failed and retried) for {albums} albums = "
        f"{total / albums:.2f} calls per album; cache hits {stats.cache_hits} of "
        f"{stats.cache_hits + stats.api_lookups} lookups = {stats.cache_hit_ratio:.0%}; "
        f"created {stats.created}, updated {stats.updated}; {seconds:.2f} s"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--failure-rate", type=float, default=0.0, help="share of replayed calls that fail first")
    parser.add_argument("--dump-copies", type=int, default=10, help="passed to benchmarks/dump_import.py (0: skip it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        connection, test_name = setup_django(Path(tmp))
        try:
            run(connection, args)
        finally:
            connection.creation.destroy_test_db(test_name, verbosity=0)
    if args.dump_copies and DUMP_BENCHMARK.exists():
        print("dump import (benchmarks/dump_import.py):", flush=True)
        subprocess.run([sys.executable, str(DUMP_BENCHMARK), "--copies", str(args.dump_copies)], check=True)


def run(connection, args):
    from catalog.models import Album, Release

    print(f"{connection.vendor}: recorded demo chain, failure rate {args.failure_rate:.0%}")
    first, seconds = run_chain(args.failure_rate)
    albums = Album.objects.count()
    print(f"catalog: {albums} albums, {Release.objects.count()} vinyl pressings")
    report("first run", first, seconds, albums)
    report("second run", *run_chain(args.failure_rate), albums)


if __name__ == "__main__":
    main()

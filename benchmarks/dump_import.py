"""Releases per minute of a Discogs dump import, and peak memory to show that it streams.

    .venv/bin/python benchmarks/dump_import.py [--copies 50] [--batch-size 2000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vinilogy .venv/bin/python benchmarks/dump_import.py

For timing only, a larger releases dump is synthesised in a temp dir from the real
1,000-release sample by renumbering release and master ids once per copy. An album is made
for every master the copies reference, so linking and main-release facts (track counts,
tracks) are exercised as in a catalog that already holds its masters. The import runs
against a throwaway database: a SQLite file in the temp dir by default, a test database
of its own on the server DATABASE_URL names when that is PostgreSQL. Nothing touches the real database.
"""
import argparse
import gzip
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "vinilogy" / "demo_data" / "discogs-dumps"
RELEASES_SAMPLE = SAMPLES / "discogs_20200806_releases.sample.xml.gz"
ID_STEP = 100_000_000  # above every real release and master id, so copies never collide
RELEASE_ID = re.compile(rb'<release id="(\d+)"')
MASTER_ID = re.compile(rb'(<master_id is_main_release="\w+">)(\d+)(</master_id>)')


def synthesise_releases_dump(path, copies):
    """Write `copies` renumbered copies of the sample's releases.

    Returns (master ids referenced, bytes of XML written)."""
    body = gzip.decompress(RELEASES_SAMPLE.read_bytes()).split(b"\n", 1)[1].rsplit(b"</releases>", 1)[0]
    sample_masters = {int(match[1]) for match in MASTER_ID.findall(body)}
    masters, written = set(), 0
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(b"<releases>\n")
        for copy in range(copies):
            offset = copy * ID_STEP
            written += out.write(renumber(body, offset))
            masters.update(m + offset for m in sample_masters)
        out.write(b"</releases>\n")
    return masters, written


def renumber(body, offset):
    body = RELEASE_ID.sub(lambda m: b'<release id="%d"' % (int(m[1]) + offset), body)
    return MASTER_ID.sub(lambda m: m[1] + b"%d" % (int(m[2]) + offset) + m[3], body)


def setup_django(tmp):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinilogy.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # DEBUG keeps every query in memory: it would ruin both figures
    from django.db import connection

    # SQLite: a file, as in production use (Django's default test database is in memory).
    # PostgreSQL: a name of our own, never the test_* database a concurrent pytest run is using.
    name = str(tmp / "bench.sqlite3") if connection.vendor == "sqlite" else f"bench_dump_import_{os.getpid()}"
    connection.settings_dict["TEST"]["NAME"] = name
    return connection, connection.creation.create_test_db(verbosity=0, autoclobber=True)


def make_albums(master_ids):
    from catalog.models import Album, Artist

    artist = Artist.objects.create(name="Benchmark Artist", normalized_name="benchmark artist")
    master_ids = sorted(master_ids)
    for start in range(0, len(master_ids), 2000):  # in slices, so this setup does not set the peak RSS
        Album.objects.bulk_create(
            Album(artist=artist, title=f"M {m}", normalized_title=f"m {m}", discogs_master_id=m, source="discogs_dump")
            for m in master_ids[start : start + 2000]
        )


def timed_import(path, batch_size):
    from catalog.dump_import import import_dump_files

    started, cpu = time.monotonic(), time.process_time()
    job = import_dump_files([path], batch_size=batch_size)
    return job, time.monotonic() - started, time.process_time() - cpu


def report(label, job, seconds, cpu_seconds):
    read, kept = job.stats["releases.read"], job.stats["releases.vinyl_kept"]
    print(
        f"{label}: {read:,} releases read in {seconds:.1f} s = {read * 60 / seconds:,.0f} releases/min "
        f"({kept * 60 / seconds:,.0f} vinyl pressings/min); this process used {cpu_seconds:.1f} s of CPU "
        f"({read * 60 / cpu_seconds:,.0f} releases per CPU-minute); "
        f"created {job.created:,}, updated {job.updated:,}, unchanged {job.unchanged:,}, status {job.status}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=50, help="copies of the 1,000-release sample")
    parser.add_argument("--batch-size", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        connection, test_name = setup_django(tmp)
        try:
            run(tmp, connection, args)
        finally:
            connection.creation.destroy_test_db(test_name, verbosity=0)


def run(tmp, connection, args):
    dump = tmp / "discogs_synthetic_releases.xml.gz"
    masters, xml_bytes = synthesise_releases_dump(dump, args.copies)
    make_albums(masters)
    print(f"{connection.vendor}: {args.copies:,} copies of the sample, {dump.stat().st_size / 1e6:.0f} MB gzip, "
          f"{xml_bytes / 1e6:.0f} MB of XML, {len(masters):,} albums waiting, batch size {args.batch_size:,}")
    rss_before = peak_rss_mb()
    report("first import", *timed_import(dump, args.batch_size))
    report("re-import (nothing changes)", *timed_import(dump, args.batch_size))
    print(f"peak RSS {peak_rss_mb():.0f} MB (was {rss_before:.0f} MB before reading {xml_bytes / 1e6:.0f} MB of XML)")


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


if __name__ == "__main__":
    main()

"""Releases per minute of a Discogs dump import, and peak memory to show that it streams.

    .venv/bin/python benchmarks/dump_import.py [--copies 50] [--batch-size 2000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vinilogy .venv/bin/python benchmarks/dump_import.py

    # At the real dump's size and mix: 2M SYNTHETIC releases (benchmarks/synthetic_discogs_dump.py,
    # written once into --dump-dir and reused), albums for --tracked-share of their masters,
    # only those masters' vinyl pressings kept (--tracked-only) or every vinyl pressing.
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/dump_import.py --synthetic 2000000 \
        --dump-dir var/dump-2m --tracked-share 0.3 --tracked-only --no-reimport

The import runs in a forked child, so the peak RSS printed is the import's, not the set-up's.

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


def timed_import(path, batch_size, tracked_only=False):
    """(job, seconds, CPU seconds, peak RSS MB) of one import, run in a forked child (as a
    worker would run it) so its peak RSS is its own."""
    from django.db import connections

    from catalog.models import IngestionJob

    connections.close_all()
    before = IngestionJob.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    connections.close_all()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            from catalog.dump_import import import_dump_files

            import_dump_files([path], batch_size=batch_size, tracked_only=tracked_only)
            code = 0
        finally:
            connections.close_all()
            os._exit(code)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.monotonic() - started
    assert status == 0, f"the import failed in its child process ({status})"
    job = IngestionJob.objects.filter(pk__gt=before).latest("pk")
    return job, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def report(label, job, seconds, cpu_seconds, peak_mb):
    read, kept = job.stats["releases.read"], job.stats.get("releases.vinyl_kept", 0)
    print(
        f"{label}: {read:,} releases read in {seconds:.1f} s = {read * 60 / seconds:,.0f} releases/min "
        f"({kept * 60 / seconds:,.0f} vinyl pressings/min); this process used {cpu_seconds:.1f} s of CPU "
        f"({read * 60 / cpu_seconds:,.0f} releases per CPU-minute); "
        f"created {job.created:,}, updated {job.updated:,}, unchanged {job.unchanged:,}, status {job.status}; "
        f"peak RSS of the import {peak_mb:.0f} MB"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=50, help="copies of the 1,000-release sample")
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument(
        "--synthetic",
        type=int,
        metavar="RELEASES",
        help="time a synthetic dump of this many releases (real shape and format mix) instead of sample copies",
    )
    parser.add_argument("--dump-dir", help="where the synthetic dump files are written once and reused")
    parser.add_argument("--tracked-share", type=float, default=1.0, help="share of the masters the catalog has an album for")
    parser.add_argument("--tracked-only", action="store_true", help="import with tracked_only (only those masters' pressings)")
    parser.add_argument("--no-reimport", action="store_true", help="skip the second, unchanged import")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        connection, test_name = setup_django(tmp)
        try:
            run(tmp, connection, args)
        finally:
            connection.creation.destroy_test_db(test_name, verbosity=0)


def run(tmp, connection, args):
    if args.synthetic:
        dump, masters, described = synthetic_dump(Path(args.dump_dir or tmp), args.synthetic, args.tracked_share)
    else:
        dump = tmp / "discogs_synthetic_releases.xml.gz"
        masters, xml_bytes = synthesise_releases_dump(dump, args.copies)
        described = f"{args.copies:,} copies of the sample, {xml_bytes / 1e6:.0f} MB of XML"
    make_albums(masters)
    print(
        f"{connection.vendor}: {described}, {dump.stat().st_size / 1e6:.0f} MB gzip, {len(masters):,} albums waiting, "
        f"batch size {args.batch_size:,}, {'only tracked masters kept' if args.tracked_only else 'every vinyl pressing kept'}",
        flush=True,
    )
    del masters
    report("first import", *timed_import(dump, args.batch_size, args.tracked_only))
    if not args.no_reimport:
        report("re-import (nothing changes)", *timed_import(dump, args.batch_size, args.tracked_only))


def synthetic_dump(out_dir, releases, share):
    """The releases file of a synthetic dump (generated once, in a child process, so that its
    memory is not this one's), and the master ids the catalog tracks: every 1/share-th one."""
    import subprocess

    releases_file = out_dir / "discogs_29991231_releases.synthetic.xml.gz"
    masters_file = out_dir / "discogs_29991231_masters.synthetic.xml.gz"
    if not masters_file.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "synthetic_discogs_dump.py"), str(out_dir), "--releases", str(releases)],
            check=True,
        )
    ids = []
    with gzip.open(masters_file, "rb") as masters:
        for line in masters:
            if match := MASTER_OF_FILE.match(line):
                ids.append(int(match[1]))
    step = max(int(round(1 / share)), 1) if share > 0 else len(ids) + 1
    tracked = set(ids[::step])
    return releases_file, tracked, f"{releases:,} SYNTHETIC releases, {len(ids):,} masters of which {len(tracked):,} tracked"


MASTER_OF_FILE = re.compile(rb'<master id="(\d+)"')


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


if __name__ == "__main__":
    main()

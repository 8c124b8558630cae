"""SYNTHETIC Discogs monthly dump files (releases, masters, artists) of any size, for timing.

    .venv/bin/python benchmarks/synthetic_discogs_dump.py OUT_DIR --releases 2000000 [--seed 27]

Nothing in them is real: every release, master and artist is numbered and named "Synthetic …".
Their *shape* is the real dump's: each release is one of the 1,000 real records of
vinilogy/demo_data/discogs-dumps/discogs_20200806_releases.sample.xml.gz (its labels,
credits, notes, tracklist, identifiers, videos: about 4.5 KB, as the real dump's ~75 GB of XML
for ~16M releases), renumbered and retitled, with its formats block and its master replaced so
that the whole file has the real dump's mix rather than the 1990s electronic sample's
(two thirds vinyl). The mix below is an ESTIMATE from Discogs' public format counts (the
database's "Explore" facets, 2024: vinyl and CD about a third each, then files, cassettes,
CD-Rs, the rest): at 35% vinyl, "most not vinyl". About 55% of releases belong to a master
(also an estimate: Discogs lists ~2.3M masters for ~17M releases, ~3.5 versions each), the first
release met of a master being its main release. A master's main artist is its releases' first
artist. Files are written as gzip (level 1), as Discogs ships them.
"""

import argparse
import gzip
import re
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "vinilogy" / "demo_data" / "discogs-dumps" / "discogs_20200806_releases.sample.xml.gz"
DATE = "29991231"  # in the file names: never mistaken for a real month's dump

# (share of releases, formats block). ESTIMATED shares; the blocks are the real dump's markup.
FORMATS = [
    (
        0.35,
        b'<formats><format name="Vinyl" qty="1" text=""><descriptions><description>LP</description>'
        b"<description>Album</description></descriptions></format></formats>",
    ),
    (
        0.33,
        b'<formats><format name="CD" qty="1" text=""><descriptions><description>Album</description>'
        b"</descriptions></format></formats>",
    ),
    (
        0.17,
        b'<formats><format name="File" qty="10" text=""><descriptions><description>MP3</description>'
        b"<description>Album</description></descriptions></format></formats>",
    ),
    (
        0.08,
        b'<formats><format name="Cassette" qty="1" text=""><descriptions><description>Album</description>'
        b"</descriptions></format></formats>",
    ),
    (
        0.04,
        b'<formats><format name="CDr" qty="1" text=""><descriptions><description>Album</description>'
        b"</descriptions></format></formats>",
    ),
    (
        0.03,
        b'<formats><format name="DVD" qty="1" text=""><descriptions><description>PAL</description>'
        b"</descriptions></format></formats>",
    ),
]
WITH_MASTER = 0.55
VERSIONS_PER_MASTER = 3.5
ARTISTS_PER_MASTER = 0.5  # an artist has two masters on average

RECORD = re.compile(rb"<release id=.*?</release>", re.S)
HEAD = re.compile(rb'<release id="\d+"')
TITLE = re.compile(rb"<title>.*?</title>", re.S)
FIRST_ARTIST = re.compile(rb"<artists><artist><id>\d+</id><name>.*?</name>", re.S)
FORMATS_BLOCK = re.compile(rb"<formats>.*?</formats>|<formats/>", re.S)
MASTER = re.compile(rb"<master_id[^>]*>\d*</master_id>")


def templates():
    """The sample's releases, each without its master (placed again per synthetic release)."""
    body = gzip.decompress(SAMPLE.read_bytes())
    records = []
    for raw in RECORD.findall(body):
        record = MASTER.sub(b"", raw)
        if not FORMATS_BLOCK.search(record) or not FIRST_ARTIST.search(record) or b"<tracklist" not in record:
            continue
        records.append(record)
    return records


def write_releases(path, n_releases, rng):
    """Returns (masters: master id -> (main release id, artist id), vinyl releases written)."""
    records = templates()
    shares = np.array([share for share, _ in FORMATS])
    kinds = rng.choice(len(FORMATS), size=n_releases, p=shares / shares.sum())
    n_masters = max(int(n_releases * WITH_MASTER / VERSIONS_PER_MASTER), 1)
    n_artists = max(int(n_masters * ARTISTS_PER_MASTER), 1)
    has_master = rng.random(n_releases) < WITH_MASTER
    # A master's versions are spread through the file (a reissue comes years after), some have many.
    master_of = (n_masters * rng.random(n_releases) ** 1.5).astype(np.int64) + 1
    no_master_artist = rng.integers(1, n_artists + 1, n_releases)
    masters = {}
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(b"<releases>\n")
        for i in range(n_releases):
            release_id = i + 1
            record = records[i % len(records)]
            if has_master[i]:
                master = int(master_of[i])
                main = master not in masters
                if main:
                    masters[master] = (release_id, 1 + master % n_artists)
                artist = masters[master][1]
                master_xml = b'<master_id is_main_release="%s">%d</master_id>' % (b"true" if main else b"false", master)
            else:
                artist, master_xml = int(no_master_artist[i]), b""
            record = HEAD.sub(b'<release id="%d"' % release_id, record, count=1)
            record = TITLE.sub(b"<title>Synthetic release %d</title>" % release_id, record, count=1)
            record = FIRST_ARTIST.sub(
                b"<artists><artist><id>%d</id><name>Synthetic artist %d</name>" % (artist, artist), record, count=1
            )
            record = FORMATS_BLOCK.sub(lambda _, block=FORMATS[kinds[i]][1]: block, record, count=1)
            if master_xml:
                record = record.replace(b"<tracklist", master_xml + b"<tracklist", 1)
            out.write(record)
            out.write(b"\n")
        out.write(b"</releases>\n")
    return masters, int((kinds == 0).sum()), n_artists


def write_masters(path, masters):
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(b"<masters>\n")
        for master, (main, artist) in sorted(masters.items()):
            out.write(
                b'<master id="%d"><main_release>%d</main_release><artists><artist><id>%d</id>'
                b"<name>Synthetic artist %d</name><anv/><join/><role/><tracks/></artist></artists>"
                b"<genres><genre>Rock</genre></genres><styles><style>Indie Rock</style></styles>"
                b"<year>%d</year><title>Synthetic master %d</title><data_quality>Correct</data_quality></master>\n"
                % (master, main, artist, artist, 1960 + master % 64, master)
            )
        out.write(b"</masters>\n")


def write_artists(path, n_artists):
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(b"<artists>\n")
        for artist in range(1, n_artists + 1):
            out.write(
                b"<artist><id>%d</id><name>Synthetic artist %d</name><profile/>"
                b"<data_quality>Needs Vote</data_quality></artist>\n" % (artist, artist)
            )
        out.write(b"</artists>\n")


def paths(out_dir):
    out_dir = Path(out_dir)
    return {kind: out_dir / f"discogs_{DATE}_{kind}.synthetic.xml.gz" for kind in ("artists", "masters", "releases")}


def generate(out_dir, n_releases, seed=27):
    """Write the three files; returns their paths and what they hold."""
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    files, rng = paths(out_dir), np.random.default_rng(seed)
    masters, vinyl, n_artists = write_releases(files["releases"], n_releases, rng)
    write_masters(files["masters"], masters)
    write_artists(files["artists"], n_artists)
    return files, {"releases": n_releases, "vinyl": vinyl, "masters": len(masters), "artists": n_artists}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--releases", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=27)
    args = parser.parse_args()
    started = time.monotonic()
    files, counts = generate(args.out_dir, args.releases, args.seed)
    sizes = {kind: round(path.stat().st_size / 1e6, 1) for kind, path in files.items()}
    print(f"{counts} in {time.monotonic() - started:.0f} s; gzip MB {sizes}")


if __name__ == "__main__":
    main()

"""A dump import that keeps only what the catalog needs: the vinyl pressings of the masters it
tracks (albums it has, or that the same run's masters file brings), skipping the rest of the
dump before a full parse; and the synthetic dump generator the size benchmark reads.

Expected sets come from a plain ElementTree scan of the sample, not from the code under test.
"""

import gzip
import importlib.util
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from catalog.discogs_dump import BadRecord, DumpReader, SkippedRelease
from catalog.dump_import import import_dump_files
from catalog.factories import AlbumFactory
from catalog.models import IngestionJob, Release

from .test_discogs_dump_import import masters_dump
from .test_discogs_dump_parser import RELEASES_SAMPLE

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def vinyl_masters():
    """{release id: master id} of each vinyl release of the sample that has a master."""
    found = {}
    for _, element in ET.iterparse(gzip.open(RELEASES_SAMPLE)):
        if element.tag == "release":
            master = element.findtext("master_id")
            if master and any(fmt.get("name") == "Vinyl" for fmt in element.iterfind("formats/format")):
                found[int(element.get("id"))] = int(master)
            element.clear()
    return found


def test_tracked_only_keeps_the_vinyl_pressings_of_masters_we_have(vinyl_masters):
    tracked = sorted(set(vinyl_masters.values()))[::3]
    albums = {m: AlbumFactory(discogs_master_id=m) for m in tracked}
    job = import_dump_files([RELEASES_SAMPLE], tracked_only=True)
    assert job.status == IngestionJob.Status.DONE
    expected = {r: m for r, m in vinyl_masters.items() if m in albums}
    stored = dict(Release.objects.values_list("discogs_id", "album_id"))
    assert stored == {r: albums[m].pk for r, m in expected.items()} != {}
    assert job.stats["keep"] == "tracked"  # what a resumed run reads back
    assert job.stats["releases.read"] == 1000
    again = import_dump_files([RELEASES_SAMPLE], tracked_only=True)
    assert (again.created, again.updated) == (0, 0)


def test_tracked_only_follows_the_masters_file_of_the_same_run(tmp_path, vinyl_masters):
    brought = sorted(set(vinyl_masters.values()))[::4]
    masters = masters_dump(tmp_path, *((m, f"Master {m}", 100 + i, f"Artist {i}") for i, m in enumerate(brought)))
    job = import_dump_files([RELEASES_SAMPLE, masters], tracked_only=True)
    assert job.status == IngestionJob.Status.DONE
    expected = {r for r, m in vinyl_masters.items() if m in brought}
    assert set(Release.objects.values_list("discogs_id", flat=True)) == expected != set()
    assert not Release.objects.filter(album__isnull=True).exists()


def test_every_vinyl_pressing_is_still_the_default(vinyl_masters):
    job = import_dump_files([RELEASES_SAMPLE])
    assert "keep" not in job.stats
    assert set(vinyl_masters) <= set(Release.objects.values_list("discogs_id", flat=True))


def test_the_synthetic_dump_has_the_shape_and_mix_it_claims(tmp_path):
    spec = importlib.util.spec_from_file_location("synthetic_discogs_dump", ROOT / "benchmarks" / "synthetic_discogs_dump.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    files, counts = generator.generate(tmp_path, 3000, seed=1)
    assert all("synthetic" in path.name for path in files.values())
    records = list(DumpReader(files["releases"]))
    assert len(records) == 3000 and not any(isinstance(r, (BadRecord, SkippedRelease)) for r in records)
    formats = Counter(r.formats[0].name for r in records)
    assert formats["Vinyl"] == counts["vinyl"]
    assert 0.30 < formats["Vinyl"] / 3000 < 0.40  # most not vinyl, as in the real dump
    assert all(r.title.startswith("Synthetic release") for r in records)
    with_master = [r for r in records if r.master_id]
    assert 0.5 < len(with_master) / 3000 < 0.6
    mains = Counter(r.master_id for r in with_master if r.is_main_release)
    assert set(mains) == {r.master_id for r in with_master} and set(mains.values()) == {1}
    masters = list(DumpReader(files["masters"]))
    assert len(masters) == counts["masters"] == len(mains)
    assert {m.main_artist.id for m in masters} <= {a.id for a in DumpReader(files["artists"])}

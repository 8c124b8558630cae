"""manage.py import_discogs_dump: one summary line, a recorded job, clear failures."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog.models import IngestionJob, Release

from .test_discogs_dump_parser import FIXTURES, RELEASES_SAMPLE, SAMPLES as SAMPLES_DIR

pytestmark = pytest.mark.django_db

SAMPLES = [SAMPLES_DIR / f"discogs_20200806_{kind}.sample.xml.gz" for kind in ("releases", "artists", "masters")]


def run(*files):
    out = StringIO()
    call_command("import_discogs_dump", *map(str, files), "--no-progress", stdout=out)
    return out.getvalue()


def test_prints_one_summary_line_with_counts_per_kind_and_the_rate():
    output = run(*SAMPLES)
    assert output.count("\n") == 1
    assert "artists 1,761 created" in output and "albums 1,000 created" in output
    assert "releases 507 created" in output and "vinyl kept 507, skipped 493 not vinyl" in output
    assert "linked 0, unlinked 507" in output and "releases/min" in output
    assert IngestionJob.objects.get().status == IngestionJob.Status.DONE


def test_a_second_run_reports_nothing_created_or_updated():
    run(*SAMPLES)
    output = run(*SAMPLES)
    for kind in ("artists", "albums", "releases"):
        assert f"{kind} 0 created, 0 updated" in output


def test_a_labels_dump_is_accepted_and_skipped():
    run(FIXTURES / "single_label.xml", FIXTURES / "single_release.xml")
    job = IngestionJob.objects.get()
    assert job.stats["labels.files_skipped"] == 1 and job.status == IngestionJob.Status.DONE


def test_a_missing_file_is_refused_before_anything_starts(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nothing.xml.gz")
    assert not IngestionJob.objects.exists()


def test_a_truncated_dump_ends_in_an_error_naming_the_file(tmp_path):
    cut = tmp_path / "discogs_releases.xml.gz"
    cut.write_bytes(RELEASES_SAMPLE.read_bytes()[:200_000])
    with pytest.raises(CommandError, match="discogs_releases.xml.gz is damaged or truncated"):
        call_command("import_discogs_dump", str(cut), "--no-progress", "--batch-size", "20", stdout=StringIO())
    assert IngestionJob.objects.get().status == IngestionJob.Status.FAILED
    assert Release.objects.exists()

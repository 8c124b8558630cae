"""manage.py import_discogs_dump FILE... — load Discogs monthly dumps (CC0) into the catalog.

    manage.py import_discogs_dump discogs_20240101_releases.xml.gz discogs_20240101_masters.xml.gz

Files may come in any order: artists are imported first, then masters, then releases, each
recognised by its root element (or its name). Labels dumps are accepted and skipped. Running
it again on the same files changes nothing. The run is an IngestionJob the admin shows.
It keeps every vinyl pressing; with --tracked-only, only those of masters the catalog has (or
that the masters file of the same run brings), and skips the rest before a full parse.

    manage.py import_discogs_dump --resume JOB_ID

resumes a run whose process died (its job still says running): once its lease has run out,
after the last batch it committed, so every record is written once.
"""

from pathlib import Path

from django.core.management import BaseCommand, CommandError
from tqdm import tqdm

from catalog import job_lease
from catalog.dump_import import BATCH_SIZE, import_dump_files, run_dump_job
from catalog.models import IngestionJob


class Command(BaseCommand):
    help = "Import Discogs monthly data dumps (artists, masters, releases; .xml or .xml.gz) into the catalog."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="dump files, in any order")
        parser.add_argument("--resume", type=int, metavar="JOB_ID", help="resume a dump import left running")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="records per transaction")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--tracked-only",
            action="store_true",
            help="keep only the vinyl pressings of masters the catalog has (or this run's masters file brings)",
        )

    def handle(self, *args, files, batch_size, no_progress, resume=None, tracked_only=False, **options):
        if resume:
            return self._resume(resume, batch_size)
        if not files:
            raise CommandError("give the dump files, or --resume JOB_ID")
        paths = [Path(name) for name in files]
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        # disable=None hides the bar when stderr is not a terminal (cron, CI, tests).
        with tqdm(
            total=sum(p.stat().st_size for p in paths),
            unit="B",
            unit_scale=True,
            desc="discogs dump",
            disable=True if no_progress else None,
        ) as bar:
            job = self._import(paths, batch_size, bar.update, tracked_only)
        if job.status == IngestionJob.Status.FAILED:
            raise CommandError(job.message)
        self.stdout.write(job.message)

    def _import(self, paths, batch_size, on_progress, tracked_only=False):
        try:
            return import_dump_files(paths, batch_size=batch_size, on_progress=on_progress, tracked_only=tracked_only)
        except ValueError as exc:  # a file that is not a Discogs dump
            raise CommandError(str(exc)) from exc

    def _resume(self, job_id, batch_size):
        if not IngestionJob.objects.filter(pk=job_id, kind=IngestionJob.Kind.DISCOGS_DUMP).exists():
            raise CommandError(f"no Discogs dump import {job_id}")
        try:
            run_dump_job(job_id, batch_size=batch_size)
        except job_lease.LeaseHeld as held:
            raise CommandError(str(held)) from held
        job = IngestionJob.objects.get(pk=job_id)
        if job.status == IngestionJob.Status.FAILED:
            raise CommandError(job.message)
        self.stdout.write(f"{job.get_status_display()}: {job.message}")

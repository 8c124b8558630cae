"""manage.py link_orphans — albums for the vinyl pressings whose master the catalog lacks.

    manage.py link_orphans [--batch-size 500] [--no-progress]

First an album we hold for the same artist and title takes the master and its pressings,
then each master left becomes an album made from its pressings (catalog.orphans). The dump
import runs the same passes after a run with a masters file; this command is for pressings
that came another way, or a catalog loaded before. A second run changes nothing.
"""

from django.core.management import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from catalog.models import IngestionJob
from catalog.orphans import BATCH_SIZE, OrphanRun, albums_from_orphan_masters, link_orphans_by_title, orphan_master_count

PASSES = (("albums found by title", link_orphans_by_title), ("albums made from masters", albums_from_orphan_masters))


class Command(BaseCommand):
    help = "Give the vinyl pressings without an album one: found by artist and title, else made from their master."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="masters per transaction")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, batch_size, no_progress, **options):
        job = IngestionJob.objects.create(
            kind=IngestionJob.Kind.COMMAND,
            name="manage.py link_orphans",
            status=IngestionJob.Status.RUNNING,
            started_at=timezone.now(),
        )
        try:
            run = OrphanRun(*(self._pass(step, desc, batch_size, no_progress) for desc, step in PASSES))
        except Exception as error:
            self._finish(job, IngestionJob.Status.FAILED, f"Stopped: {error}")
            raise
        self._finish(job, IngestionJob.Status.DONE, run.summary(), run.dump_counts())
        self.stdout.write(run.summary())

    def _pass(self, step, desc, batch_size, no_progress):
        # disable=None hides the bar when stderr is not a terminal (cron, CI, tests).
        with tqdm(
            total=orphan_master_count(), unit="master", desc=desc, file=self.stderr, disable=True if no_progress else None
        ) as bar:
            return step(batch_size, on_progress=bar.update)

    def _finish(self, job, status, message, stats=None):
        stats = stats or {}
        IngestionJob.objects.filter(pk=job.pk).update(
            status=status,
            message=message[:2000],
            finished_at=timezone.now(),
            stats=stats,
            created=stats.get("orphans.created", 0),
            updated=stats.get("orphans.updated", 0),
        )

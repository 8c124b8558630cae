"""What the ingestion commands share (a leading underscore keeps Django from listing it).

Each command is a thin loop over catalog/pricing services: a tqdm progress bar, one
IngestionJob row the admin shows, and one summary line (rows created/updated, API calls
per provider counted from ApiCall, cache hits, errors). Commands are resumable because the
services are database first: a rerun skips what is fresh and picks up what is not.
"""

import logging

from django.core.management import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from catalog.models import IngestionJob
from catalog.upsert import fit
from integrations.errors import ApiError
from integrations.runs import collecting_stats, note_error

logger = logging.getLogger(__name__)
# BaseCommand's own options: not worth showing on the job.
DJANGO_OPTIONS = {"verbosity", "settings", "pythonpath", "traceback", "no_color", "force_color", "skip_checks", "no_progress"}


class IngestionCommand(BaseCommand):
    """Subclasses implement `ingest(**options)` and call `self.each(items, step, desc)`."""

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    @staticmethod
    def add_selection(parser, name, what):
        """`--<name> ID` (repeatable) to pick rows, and `--limit N` to cap how many."""
        parser.add_argument(f"--{name}", type=int, action="append", help=f"only this {what} id (repeatable)")
        parser.add_argument("--limit", type=int, help=f"at most this many {what}s")

    @staticmethod
    def selected(rows, limit):
        return rows[:limit] if limit else rows

    def handle(self, *args, **options):
        self.show_progress = not options.get("no_progress")
        job = self.start_job(options)
        with collecting_stats() as stats:
            try:
                self.ingest(*args, **options)
            except Exception as error:
                self.finish_job(job, stats, IngestionJob.Status.FAILED, f"Stopped: {error}")
                raise
            summary = " | ".join(part for part in (stats.summary(), self.outcome()) if part)
            self.finish_job(job, stats, IngestionJob.Status.DONE, summary)
        self.stdout.write(summary)

    def ingest(self, *args, **options):
        raise NotImplementedError

    def outcome(self):
        """What the run leaves in the catalog, appended to the summary line ("" for nothing)."""
        return ""

    def each(self, items, step, desc):
        """Run `step(item)` for every item with a progress bar. An API error that survived the
        HTTP layer's retries is counted and the loop goes on: a rerun resumes there."""
        items = list(items)
        for item in tqdm(items, desc=desc, disable=not self.show_progress or None, file=self.stderr):
            try:
                step(item)
            except ApiError as error:
                note_error(f"{desc} {item}: {error}")
                logger.warning("%s %s failed: %s", desc, item, error)
        return len(items)

    def start_job(self, options):
        return IngestionJob.objects.create(
            kind=IngestionJob.Kind.COMMAND,
            name=self.command_line(options),
            status=IngestionJob.Status.RUNNING,
            started_at=timezone.now(),
        )

    def command_line(self, options):
        """What the operator ran, as the admin shows it: the command and the options given."""
        name = type(self).__module__.rsplit(".", 1)[-1]
        given = [
            f"--{key.replace('_', '-')}={value}"
            for key, value in options.items()
            if key not in DJANGO_OPTIONS and value not in (None, False, [])
        ]
        return fit(IngestionJob, "name", " ".join(["manage.py", name, *given]))

    def finish_job(self, job, stats, status, message):
        IngestionJob.objects.filter(pk=job.pk).update(
            status=status,
            message=message[:2000],
            created=stats.created,
            updated=stats.updated,
            unchanged=stats.unchanged,
            errors=[{"reason": reason} for reason in stats.errors[:100]],
            stats=stats.as_dict(),
            finished_at=timezone.now(),
        )

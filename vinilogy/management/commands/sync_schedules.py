"""manage.py sync_schedules: the periodic tasks declared in vinilogy/schedules.py written into
django-celery-beat; bin/serve, the Docker image's start and the compose file's migrate step run
it. Safe to run again: a second run changes nothing, an operator's paused schedule stays paused
and an operator's own schedules are left alone."""

from django.core.management.base import BaseCommand
from django_celery_beat.models import PeriodicTask

from vinilogy import schedules


class Command(BaseCommand):
    help = "Create or update our periodic tasks (vinilogy/schedules.py) in django-celery-beat, by name."

    def handle(self, *args, **options):
        counts = schedules.sync()
        ours = {schedule.name for schedule in schedules.SCHEDULES}
        others = PeriodicTask.objects.exclude(name__in=ours).exclude(name__startswith="celery.").count()
        self.stdout.write(
            f"Schedules: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged; {others} other schedule(s) left as they are"
        )

"""Resume abandoned collection imports: once a django-celery-beat row created here, now declared in code.

Periodic tasks live in vinilogy/schedules.py and `manage.py sync_schedules` writes them (adds and
updates ours by name, keeps an operator's enabled choice, never deletes an operator's own). This
migration is kept only so the migration graph stays intact until the history is reset; it does
nothing, in either direction.
"""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_collection_import"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    # No-op: schedules are synced from vinilogy/schedules.py (manage.py sync_schedules).
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]

"""One initial migration per app of ours (nothing was deployed before the first release, so the
history was replaced: issue 26), and the models and migrations agree."""

from pathlib import Path

from django.core.management import call_command

from vinilogy.tests.test_url_map import OUR_APPS

ROOT = Path(__file__).resolve().parents[2]


def test_each_app_has_one_initial_migration():
    found = {app: sorted(path.name for path in (ROOT / app / "migrations").glob("0*.py")) for app in OUR_APPS}
    with_models = {app: names for app, names in found.items() if (ROOT / app / "migrations").is_dir()}
    assert with_models and all(names == ["0001_initial.py"] for names in with_models.values()), with_models


def test_the_models_need_no_new_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits non-zero on a change


def test_a_fresh_database_has_the_shops_and_shipping_defaults_but_no_schedules(db):
    from django_celery_beat.models import PeriodicTask

    from pricing.models import ShippingRate, Store

    assert set(Store.objects.filter(kind="local").values_list("name", "city")) >= {
        ("Marilians", "Madrid"),
        ("Bajo el Volcán", "Madrid"),
        ("Bora Bora", "Granada"),
        ("Revolver", "Barcelona"),
    }
    assert ShippingRate.objects.filter(ships_from="*", ships_to="*").exists()
    assert not PeriodicTask.objects.exists()  # vinilogy/schedules.py + sync_schedules make them

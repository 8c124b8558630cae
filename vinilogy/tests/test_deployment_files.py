"""The compose file and the Dockerfile describe a durable deployment (no Docker engine runs in
the suite, so they are read): Redis keeps its queues across a restart, every queue is served by
a worker of its class, and the image can dump and restore PostgreSQL."""

from pathlib import Path

import pytest
from django.conf import settings

from vinilogy.celery_policy import queue_class

yaml = pytest.importorskip("yaml")
ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _queues_of(service):
    command = service["command"]
    return command[command.index("-Q") + 1].split(",")


def _workers(compose):
    return {name: service for name, service in compose["services"].items() if "worker" in service.get("command", [])}


def test_redis_keeps_an_append_only_file_synced_every_second_on_a_volume(compose):
    redis = compose["services"]["redis"]
    command = redis["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert command[command.index("--appendfsync") + 1] == "everysec"
    volume = next(mount.split(":")[0] for mount in redis["volumes"] if mount.endswith(":/data"))
    assert volume in compose["volumes"]


def test_every_queue_is_served_and_no_worker_mixes_short_and_long_queues(compose):
    served = {}
    for name, service in _workers(compose).items():
        queues = _queues_of(service)
        classes = {queue_class([queue]) for queue in queues}
        assert len(classes) == 1, f"{name} serves short and long queues: its short tasks would wait the long timeout"
        served.update(dict.fromkeys(queues, classes.pop()))
    for name, spec in settings.CELERY_QUEUE_CLASSES.items():
        assert {queue: served.get(queue) for queue in spec["queues"]} == dict.fromkeys(spec["queues"], name)


def test_the_image_has_pg_dump_and_a_backups_folder_on_a_volume(compose):
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "postgresql-client" in dockerfile and "/app/var/backups" in dockerfile
    app_volumes = compose["services"]["web"]["volumes"]
    assert any(mount.split(":")[1].split()[0] == "/app/var/backups" for mount in app_volumes)
    assert "var" in (ROOT / ".dockerignore").read_text().split()  # local backups never enter an image

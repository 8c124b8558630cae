"""The two ways to run: production settings pass check --deploy; the local set-up creates logins."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!k2Qp9#Lm4Zr8vB1nT6wY3cF5hJ0dS-aG_eR+uI=oP(qW)zX*yV&bN^mK%lH$jE",
    "ALLOWED_HOSTS": "vinilogy.example.com",
    "FIELD_ENCRYPTION_KEYS": "bJhLrQQzH1vbbyqSCd1bGUOJyAJ2oYbw0Xj6BQeS0e4=",
    "DJANGO_SETTINGS_MODULE": "vinilogy.settings",
}


def _manage(*args, env):
    # Browser tests allow async-unsafe ORM use in-process; a deployment never does.
    dropped = {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True)


def test_production_settings_pass_check_deploy_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_every_setting_read_from_the_environment_is_documented():
    documented = {
        line.split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines() if line and not line.startswith("#")
    }
    source = (ROOT / "vinilogy" / "settings.py").read_text()
    import re

    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))
    assert read - documented == set(), f"undocumented: {sorted(read - documented)}"


@pytest.mark.django_db
def test_setup_local_creates_operator_and_demo_logins_once(tmp_path, monkeypatch, capsys):
    from vinilogy.management.commands import setup_local

    monkeypatch.setattr(setup_local, "CREDENTIALS_FILE", tmp_path / "creds")
    call_command("setup_local")
    first = capsys.readouterr().out
    call_command("setup_local")
    second = capsys.readouterr().out
    User = get_user_model()
    operator = User.objects.get(username="operator")
    assert operator.is_staff and operator.is_superuser
    assert User.objects.filter(username="demo", is_staff=False).exists()
    password = first.split("operator / ")[1].split()[0]
    assert operator.check_password(password)
    assert f"operator / {password}" in second


@pytest.mark.django_db
def test_setup_local_on_a_new_database_reuses_the_printed_logins(tmp_path, monkeypatch):
    from vinilogy.management.commands import setup_local

    credentials = tmp_path / "creds"
    credentials.write_text('{"operator": "kept-from-before", "demo": "also-kept"}')
    monkeypatch.setattr(setup_local, "CREDENTIALS_FILE", credentials)
    call_command("setup_local")
    assert get_user_model().objects.get(username="operator").check_password("kept-from-before")
    assert get_user_model().objects.get(username="demo").check_password("also-kept")


@pytest.mark.django_db
def test_setup_local_prints_the_address_bin_serve_binds(tmp_path, monkeypatch, capsys):
    from vinilogy.management.commands import setup_local

    monkeypatch.setattr(setup_local, "CREDENTIALS_FILE", tmp_path / "creds")
    monkeypatch.setattr(setup_local.Command, "_load_demo_if_empty", lambda self: None)
    monkeypatch.setenv("BIND", "0.0.0.0:8123")
    call_command("setup_local")
    assert "Vinilogy is ready at http://0.0.0.0:8123" in capsys.readouterr().out
    monkeypatch.delenv("BIND")
    call_command("setup_local")
    assert "Vinilogy is ready at http://127.0.0.1:8000" in capsys.readouterr().out

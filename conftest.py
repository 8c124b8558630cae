"""Suite-wide pytest wiring: markers that need a real server skip clearly when it is absent."""

import os

import pytest

# HTTP-layer fixtures: a fake clock so no test really waits on rate limits or retries.
# The offline demo, loaded once per session for every test that asks for `demo_db`.
pytest_plugins = ["integrations.testing", "tests.shared_demo"]


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    on_postgres = connection.vendor == "postgresql"
    has_redis = bool(os.environ.get("REDIS_URL"))
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (the CI PostgreSQL leg runs it)")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL (the CI PostgreSQL+Redis leg runs it)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not has_redis:
            item.add_marker(skip_redis)


@pytest.fixture(autouse=True, scope="session")
def _compiled_catalogues():
    """Pages in Spanish need the compiled catalogue: .mo files are build products (git ignores
    them), made here as bin/serve and the Dockerfile make them, before any test renders."""
    from django.conf import settings

    from vinilogy.i18n_catalogues import compile_all

    compile_all(settings.LOCALE_PATHS)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files from tests never land in the project's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _models_in_tmp(settings, tmp_path):
    """Model versions from tests go to a temporary MODEL_DIR, and no test sees a model another
    loaded (ids repeat across rolled-back tests)."""
    from recommendations import artifact

    settings.MODEL_DIR = tmp_path / "models"
    artifact.forget_loaded()
    yield
    artifact.forget_loaded()


@pytest.fixture
def listener(client):
    """A signed-in listener (modules that need a different listener define their own)."""
    from accounts.factories import UserFactory

    user = UserFactory(username="ana")
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: notes kept there (a fetch under way, why the last
    one failed) are keyed by row id, and ids come back after a test's rollback."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def close_response():
    """Close a response as a WSGI server does once it is sent (request_finished), but keep the
    test's database connection open, as Django's test client does."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    def close(response):
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)

    return close

"""Pytest plugin (loaded by the root conftest): one offline demo per test session, shared by every
test that reads it.

`manage.py load_demo` replays the recorded catalog chain, which takes most of a minute. A test
that needs the demo asks for the `demo_db` fixture instead of loading it:

- the demo is loaded once, committed, before the first such test (`SharedDemo.ensure_loaded`);
- each test still runs in its own transaction (pytest-django's `django_db`), so what it writes
  is rolled back and the next test sees the demo as it was loaded. The browser tests
  (`tests/browser`), whose live server must see committed rows, use the same load and run last;
- the tests that use it run one after another at the end of pytest-django's non-transactional
  group (`pytest_collection_modifyitems` below), and after the last one the database is emptied
  and given back the rows the migrations made, as Django's serialized rollback does, so the
  tests after them start from the usual fresh database.

A test that must see the demo load itself (that a second load adds nothing) still calls
`load_demo` again on top of the shared one.
"""

from io import StringIO

import pytest

FIXTURE = "shared_demo"  # demo_db and the browser tests' demo_site both rest on it


class SharedDemo:
    """The demo in the test database: loaded on first use, emptied after the last test of it."""

    def __init__(self, blocker, files):
        self.blocker, self.files = blocker, files  # files: where the load may write (media, models)
        self.before = None  # the database as the migrations left it, to put back afterwards

    @property
    def loaded(self):
        return self.before is not None

    def ensure_loaded(self):
        if self.loaded:
            return
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection
        from django.test import override_settings

        from integrations.testing import fake_http_clock

        # As a test would load it (the HTTP layer's fake clock, files in a temporary folder), and
        # as bin/serve does (a listener's new taste asks for its catalog: the replay answers).
        files = {"MEDIA_ROOT": self.files / "media", "MODEL_DIR": self.files / "models"}
        with self.blocker.unblock(), fake_http_clock(), override_settings(BUILD_CATALOG_ON_TASTE=True, **files):
            # Loaded inside a test's transaction, the demo would be rolled back with that test
            # and every later demo test would find an empty database.
            assert not connection.in_atomic_block, (
                "ask for demo_db in the test's own arguments, not from a fixture that runs after the database's"
            )
            self.before = connection.creation.serialize_db_to_string()
            call_command("load_demo", "--no-progress", stdout=StringIO(), stderr=StringIO())
        cache.clear()

    def empty(self):
        """Flush the demo away and put back what the migrations made (shipping rates, stores…)."""
        if not self.loaded:
            return
        from django.apps import apps
        from django.core.management import call_command
        from django.core.management.color import no_style
        from django.db import connection

        before, self.before = self.before, None
        with self.blocker.unblock():
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(before)
            # Rows come back with their ids: PostgreSQL's sequences must start after them again.
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                    cursor.execute(sql)


_shared = {}


@pytest.fixture(scope="session")
def shared_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The session's SharedDemo; ask for `demo_db` (a package-scoped fixture such as the browser
    tests' `demo_site` asks for this one and calls `ensure_loaded` itself)."""
    shared = _shared.setdefault("demo", SharedDemo(django_db_blocker, tmp_path_factory.mktemp("demo")))
    yield shared
    shared.empty()
    _shared.pop("demo", None)


@pytest.fixture(scope="module")
def demo_db(shared_demo):
    """The offline demo, loaded once per session (module scope: set up before the test's own
    transaction opens, so the load is committed and each test's writes roll back over it)."""
    shared_demo.ensure_loaded()
    return shared_demo


def uses_demo(item):
    return FIXTURE in getattr(item, "fixturenames", ())


def _is_browser(item):
    return item.get_closest_marker("browser") is not None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's order (non-transactional, transactional, no database): the demo's
    tests together at the end of the first group, the browser ones (which commit) last. A demo
    test needs the test database, so it is marked django_db if it was not."""
    demo = [item for item in items if uses_demo(item)]
    if not demo:
        return
    for item in demo:
        if item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)
    rest = [item for item in items if not uses_demo(item)]
    first_later = next((i for i, item in enumerate(rest) if not _non_transactional_db(item)), len(rest))
    demo.sort(key=_is_browser)  # stable: the browser tests after the others, each in its order
    items[:] = rest[:first_later] + demo + rest[first_later:]


def _non_transactional_db(item):
    """pytest-django's first group (its get_order_number() == 0), for plain test functions."""
    from pytest_django.plugin import validate_django_db

    fixtures = getattr(item, "fixturenames", ())
    if "transactional_db" in fixtures or "live_server" in fixtures:
        return False
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return "db" in fixtures
    transaction, reset_sequences, *_ = validate_django_db(marker)
    return not (transaction or reset_sequences)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last demo test in a row, the database goes back to its fresh state."""
    yield
    if uses_demo(item) and (nextitem is None or not uses_demo(nextitem)) and "demo" in _shared:
        _shared["demo"].empty()

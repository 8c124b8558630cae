"""Settings for the test suite: the real settings, plus what tests need to be fast and hermetic."""

import os
from urllib.parse import urlsplit, urlunsplit

# bin/test runs the whole suite on several pytest-xdist workers: each has its own test database
# (pytest-django names it test_<name>_gw<N>) and here its own Redis database, since the cache's
# clear() is a FLUSHDB and the broker's queues and the rate limiter's keys would otherwise be
# shared. Set in the environment, so the workers and brokers a test starts inherit it.
# Worked out from the URL the suite started with (kept in the environment too), so that a
# process a test starts, which reads these settings again, lands on the same database.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER.startswith("gw") and os.environ.get("REDIS_URL"):
    _redis = urlsplit(os.environ.setdefault("TEST_REDIS_URL_BEFORE_WORKERS", os.environ["REDIS_URL"]))
    _base = int(_redis.path.lstrip("/") or 0)
    os.environ["REDIS_URL"] = urlunsplit(_redis._replace(path=f"/{(_base - int(_WORKER[2:])) % 16}"))

from .settings import *  # noqa: E402,F401,F403
from .settings import STORAGES  # noqa: E402

# Manifest storage needs collectstatic first (see STACK-NOTES); tests use plain storage.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run in-process in tests; the broker round trip has its own test with a real worker.
CELERY_TASK_ALWAYS_EAGER = True
SECURE_SSL_REDIRECT = False
# Tests never run collectstatic: WhiteNoise finds files on request instead of warning at start.
WHITENOISE_AUTOREFRESH = True
# A test that syncs or seeds a listener does not also run the catalog chain against every
# provider; accounts/tests/test_catalog_build.py turns it on where it is the subject.
BUILD_CATALOG_ON_TASTE = False
# After-response tasks run on the request thread once the response is sent: a test's rows are
# in its own open transaction, which the worker thread's connection cannot see.
# vinilogy/tests/test_inprocess_worker.py tests the worker itself.
AFTER_RESPONSE_IN_WORKER = False

"""Settings for the test suite: the real settings, plus what tests need to be fast and hermetic."""

from .settings import *  # noqa: F401,F403
from .settings import STORAGES

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

"""Fixtures shared by the recommendation service tests."""

import pytest

from recommendations import services


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """request_generation with its on-commit task run, as the eager embedded default does."""

    def run(user, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            rec_set = services.request_generation(user, **kwargs)
        rec_set.refresh_from_db()
        return rec_set

    return run

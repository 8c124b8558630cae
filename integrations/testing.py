"""Pytest plugin for everything that goes through the HTTP layer (loaded by the root conftest).

Every test gets a fake clock: HttpClient's waits (rate-limit slots, backoff, Retry-After)
advance it instead of sleeping, and every provider gets a fresh in-process limiter bound to
it, so no test sleeps or shares limiter state with another (not even through Redis).
Ask for the `http_clock` fixture to assert on the waits: `http_clock.waits == [7.0]`.
Tests of the Redis limiter build a `RedisLimiter` themselves.

`http_responses` is a `responses` mock for tests that fake a provider at the HTTP layer,
with the replay folder switched off so the mock, not a recording, answers.
"""

from contextlib import contextmanager

import pytest
import responses

# Any fixed instant works; a round one makes failing assertions easy to read.
FAKE_EPOCH = 1_700_000_000.0


class FakeClock:
    """`now()` in epoch seconds; `sleep()` records the wait and moves time forward."""

    def __init__(self, start=FAKE_EPOCH):
        self.current = start
        self.waits = []

    def now(self):
        return self.current

    def sleep(self, seconds):
        self.waits.append(seconds)
        self.current += max(0.0, seconds)

    def advance(self, seconds):
        self.current += seconds


@contextmanager
def fake_http_clock():
    """A FakeClock for the HTTP layer and in-process limiters bound to it, for the block."""
    from integrations import http, ratelimit

    fake = FakeClock()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(http, "clock", fake)
        patch.setattr(ratelimit, "limiter_factory", lambda provider: ratelimit.InProcessLimiter(provider, clock=fake.now))
        ratelimit.reset_limiters()
        http.reset_unreachable()  # a host one test made unreachable is reachable in the next
        try:
            yield fake
        finally:
            ratelimit.reset_limiters()
            http.reset_unreachable()


@pytest.fixture(autouse=True)
def http_clock():
    with fake_http_clock() as fake:
        yield fake


@pytest.fixture
def http_responses(settings):
    settings.VINILOGY_REPLAY_DIR = ""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock

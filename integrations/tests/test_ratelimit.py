"""The in-process rate limiter: spacing, deferral, the Discogs quota slow-down and its state."""

import threading

import pytest
import responses

from integrations import ratelimit
from integrations.errors import BudgetExhausted
from integrations.http import HttpClient
from integrations.ratelimit import InProcessLimiter, RedisLimiter, limiter_state, recovery_delay
from integrations.testing import FAKE_EPOCH as FAKE_START, FakeClock


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def limiter(clock):
    return InProcessLimiter("discogs", clock=clock.now)


def grant_times(limiter, clock, count, rate):
    """Acquire `count` slots like HttpClient does (reserve, then sleep); return when each was used."""
    granted = []
    for _ in range(count):
        clock.sleep(limiter.reserve(rate))
        granted.append(clock.now())
    return granted


def test_acquisitions_are_spaced_at_the_configured_rate(limiter, clock):
    granted = grant_times(limiter, clock, 5, rate=60)

    assert [t - granted[0] for t in granted] == pytest.approx([0.0, 1.0, 2.0, 3.0, 4.0])


def test_a_caller_that_was_idle_longer_than_the_interval_does_not_wait(limiter, clock):
    limiter.reserve(60)
    clock.advance(10)

    assert limiter.reserve(60) == 0.0


def test_idle_time_is_not_saved_up_for_a_burst(limiter, clock):
    limiter.reserve(120)
    clock.advance(60)

    waits = [limiter.reserve(120) for _ in range(3)]

    assert waits == [0.0, 0.5, 1.0]


def test_an_unlimited_rate_never_waits(limiter):
    assert [limiter.reserve(0) for _ in range(3)] == [0.0, 0.0, 0.0]


def test_defer_holds_back_the_next_slot_but_never_brings_it_forward(limiter):
    limiter.reserve(6)  # next slot in 10 s
    limiter.defer(3)

    assert limiter.reserve(6) == pytest.approx(10.0)

    limiter.defer(30)
    assert limiter.reserve(6) == pytest.approx(30.0)


def test_threads_sharing_a_limiter_each_get_their_own_slot(limiter):
    waits = []

    def take_slots():
        for _ in range(25):
            waits.append(limiter.reserve(600))

    threads = [threading.Thread(target=take_slots) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(waits) == pytest.approx([0.1 * n for n in range(100)])


@pytest.mark.parametrize(
    "remaining, limit, delay",
    [(5, 60, 0.0), (59, 60, 0.0), (4, 60, 1.0), (2, 60, 3.0), (0, 60, 5.0), (0, 25, 12.0), (-1, 60, 5.0)],
)
def test_recovery_delay_waits_for_enough_calls_to_leave_the_moving_window(remaining, limit, delay):
    assert recovery_delay(remaining, limit) == pytest.approx(delay)


def test_low_discogs_quota_pushes_the_next_slot_back(limiter, clock):
    limiter.reserve(60)
    limiter.observe_remaining(1, limit=60)

    assert limiter.reserve(60) == pytest.approx(4.0)
    assert limiter.state()["last_remaining"] == 1


def test_a_healthy_quota_does_not_slow_down(limiter):
    limiter.reserve(60)
    limiter.observe_remaining(40, limit=60)

    assert limiter.reserve(60) == pytest.approx(1.0)


@pytest.mark.django_db
def test_http_client_slows_down_on_discogs_low_remaining_headers(settings, http_clock):
    settings.VINILOGY_REPLAY_DIR = ""
    url = "https://api.discogs.example.test/releases/1"
    quota = {"X-Discogs-Ratelimit": "60", "X-Discogs-Ratelimit-Used": "58", "X-Discogs-Ratelimit-Remaining": "2"}
    http = HttpClient("discogs", rate_per_minute=60)
    with responses.RequestsMock() as mocked:
        mocked.get(url, json={"id": 1}, headers=quota)
        http.get_json(url)
        http.get_json(url)

    # 1 s of normal spacing would do, but 3 calls must leave Discogs' 60 s window first.
    assert http_clock.waits == [pytest.approx(3.0)]
    state = limiter_state("discogs")
    assert state["last_remaining"] == 2
    assert state["last_remaining_at"].timestamp() == pytest.approx(http_clock.now() - 3.0)


def test_limiter_state_reports_rate_remaining_and_next_free_slot(limiter, clock, settings, monkeypatch):
    monkeypatch.setattr(ratelimit, "limiter_factory", lambda provider: limiter)
    ratelimit.reset_limiters()
    limiter.reserve(30)

    state = limiter_state("discogs")

    assert state["provider"] == "discogs"
    assert state["backend"] == "memory"
    assert state["rate_per_minute"] == 30
    assert state["last_remaining"] is None
    assert state["next_free_slot"].timestamp() == pytest.approx(clock.now() + 2.0)
    assert state["wait_seconds"] == pytest.approx(2.0)


def test_limiter_state_of_an_unused_provider_shows_the_configured_rate(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "musicbrainz": 60.0}

    state = limiter_state("musicbrainz")

    assert state["rate_per_minute"] == 60.0
    assert state["wait_seconds"] == 0.0
    assert state["next_free_slot"] is None


def test_get_limiter_returns_one_shared_limiter_per_provider():
    assert ratelimit.get_limiter("lastfm") is ratelimit.get_limiter("lastfm")
    assert ratelimit.get_limiter("lastfm") is not ratelimit.get_limiter("ebay")


def test_an_unreachable_redis_falls_back_to_an_in_process_limiter(clock, caplog):
    # Nothing listens on port 1: every command fails as during a Redis outage.
    limiter = RedisLimiter("ecb", redis_url="redis://127.0.0.1:1/0", key_prefix="vinilogy-test:")
    limiter.fallback = InProcessLimiter("ecb", clock=clock.now)

    assert limiter.reserve(60) == 0.0
    assert limiter.reserve(60) == 1.0
    assert limiter.state()["backend"] == "memory"
    assert "falls back to in-process" in caplog.text


def test_a_burst_goes_at_once_then_the_spacing_applies(limiter, clock):
    granted = []
    for _ in range(7):
        clock.sleep(limiter.reserve(60, burst=5))
        granted.append(clock.now() - FAKE_START)

    assert granted == pytest.approx([0, 0, 0, 0, 0, 1, 2])


def test_a_deferral_holds_back_a_burst_too(limiter):
    limiter.reserve(60, burst=5)
    limiter.defer(10)

    assert [limiter.reserve(60, burst=5) for _ in range(2)] == pytest.approx([10.0, 11.0])


def test_the_daily_budget_refuses_once_spent_and_renews_at_utc_midnight(limiter, clock):
    until_midnight = 86400 - FAKE_START % 86400

    assert [limiter.spend(3) for _ in range(4)] == [0.0, 0.0, 0.0, pytest.approx(until_midnight)]
    assert limiter.spent_today() == 3

    clock.advance(until_midnight)
    assert (limiter.spent_today(), limiter.spend(3)) == (0, 0.0)


def test_without_a_budget_calls_are_only_counted(limiter):
    assert [limiter.spend(None) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.spent_today() == 3


@pytest.mark.django_db
def test_lastfm_defaults_allow_a_burst_of_five_then_one_call_a_second(settings, http_clock):
    settings.VINILOGY_REPLAY_DIR = ""
    url = "https://ws.audioscrobbler.com/2.0/"
    with responses.RequestsMock() as mocked:
        mocked.get(url, json={})
        http = HttpClient("lastfm")
        for _ in range(7):
            http.get_json(url)

    assert http_clock.waits == [pytest.approx(1.0), pytest.approx(1.0)]


@pytest.mark.django_db
def test_a_spent_budget_sends_nothing_and_says_when_it_renews(settings, http_clock):
    settings.VINILOGY_REPLAY_DIR = ""
    settings.DAILY_BUDGETS = {"ebay": 2}
    url = "https://api.ebay.com/buy/browse/v1/item_summary/search"
    with responses.RequestsMock() as mocked:
        mocked.get(url, json={})
        http = HttpClient("ebay", rate_per_minute=0)
        http.get_json(url)
        http.get_json(url)
        with pytest.raises(BudgetExhausted) as caught:
            http.get_json(url)

        assert len(mocked.calls) == 2
    assert not caught.value.permanent
    assert caught.value.retry_after == pytest.approx(86400 - FAKE_START % 86400)


@pytest.mark.django_db
def test_a_budget_renewing_within_the_backoff_cap_is_waited_for(settings, http_clock):
    settings.VINILOGY_REPLAY_DIR = ""
    settings.DAILY_BUDGETS = {"ebay": 1}
    url = "https://api.ebay.com/buy/browse/v1/item_summary/search"
    http = HttpClient("ebay", rate_per_minute=0)
    with responses.RequestsMock() as mocked:
        mocked.get(url, json={})
        http.get_json(url)
        http_clock.advance(86400 - FAKE_START % 86400 - 20)  # 20 s before UTC midnight
        http.get_json(url)

        assert len(mocked.calls) == 2
    assert http_clock.waits == [pytest.approx(20.0)]

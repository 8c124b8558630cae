"""The Redis rate limiter: one schedule shared by separate OS processes (needs REDIS_URL)."""

import json
import subprocess
import sys
import textwrap
import uuid
from itertools import pairwise

import pytest
import redis
import responses
from django.conf import settings

from integrations.http import HttpClient
from integrations.ratelimit import RedisLimiter

pytestmark = pytest.mark.redis

RATE_PER_MINUTE = 600  # one slot every 0.1 s
INTERVAL = 60 / RATE_PER_MINUTE
GRANTS_PER_PROCESS = 15
# Slots are computed in Redis to the microsecond; this only absorbs float rounding.
SLOT_TOLERANCE = 0.001
# Redis and the workers read the same machine clock; allow for its reading granularity.
CLOCK_TOLERANCE = 0.005

# Each worker process takes slots like HttpClient does: reserve, sleep the wait, call.
WORKER = textwrap.dedent(
    """
    import json, sys, time
    from integrations.ratelimit import RedisLimiter

    url, prefix, rate, count = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    limiter = RedisLimiter("discogs", redis_url=url, key_prefix=prefix)
    grants = []
    for _ in range(count):
        wait, slot = limiter.reserve_slot(rate)
        time.sleep(wait)
        grants.append({"slot": slot, "used": time.time()})
    print(json.dumps(grants))
    """
)


@pytest.fixture
def key_prefix():
    """A prefix of our own, so parallel CI runs on one Redis never share a limiter."""
    prefix = f"vinilogy-test:{uuid.uuid4().hex}:"
    yield prefix
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def run_workers(prefix, processes):
    command = [sys.executable, "-c", WORKER, settings.REDIS_URL, prefix, str(RATE_PER_MINUTE), str(GRANTS_PER_PROCESS)]
    workers = [subprocess.Popen(command, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, text=True) for _ in range(processes)]
    outputs = [worker.communicate(timeout=60)[0] for worker in workers]
    assert all(worker.returncode == 0 for worker in workers)
    return [json.loads(output) for output in outputs]


def most_in_any_second(times):
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


def test_two_processes_share_one_schedule_at_the_configured_rate(key_prefix):
    per_process = run_workers(key_prefix, processes=2)
    grants = [grant for process in per_process for grant in process]

    # The processes really competed: their stretches of slots overlap in time.
    assert max(p[0]["slot"] for p in per_process) < min(p[-1]["slot"] for p in per_process)
    slots = sorted(grant["slot"] for grant in grants)
    assert len(slots) == 2 * GRANTS_PER_PROCESS
    assert min(b - a for a, b in pairwise(slots)) >= INTERVAL - SLOT_TOLERANCE
    assert most_in_any_second(slots) <= RATE_PER_MINUTE / 60 + 1
    # And nobody jumped the queue: every call was made at or after its slot.
    assert all(grant["used"] >= grant["slot"] - CLOCK_TOLERANCE for grant in grants)


def test_a_deferral_by_one_process_holds_back_every_other(key_prefix):
    ours = RedisLimiter("lastfm", redis_url=settings.REDIS_URL, key_prefix=key_prefix)
    theirs = RedisLimiter("lastfm", redis_url=settings.REDIS_URL, key_prefix=key_prefix)

    ours.defer(30)

    assert theirs.reserve(RATE_PER_MINUTE) == pytest.approx(30, abs=1.0)


def test_low_remaining_quota_is_recorded_and_slows_everyone(key_prefix):
    ours = RedisLimiter("discogs", redis_url=settings.REDIS_URL, key_prefix=key_prefix)
    theirs = RedisLimiter("discogs", redis_url=settings.REDIS_URL, key_prefix=key_prefix)
    ours.reserve(60)

    ours.observe_remaining(0, limit=60)

    assert theirs.reserve(60) == pytest.approx(5.0, abs=1.0)
    state = theirs.state()
    assert state["backend"] == "redis"
    assert state["last_remaining"] == 0
    assert state["rate_per_minute"] == 60
    assert state["wait_seconds"] == pytest.approx(6.0, abs=1.0)


@pytest.mark.django_db
def test_a_retry_after_seen_by_one_client_defers_the_shared_limiter(key_prefix, http_clock):
    limiter = RedisLimiter("spotify", redis_url=settings.REDIS_URL, key_prefix=key_prefix)
    url = "https://api.spotify.example.test/v1/me/top/artists"
    with responses.RequestsMock() as mocked:
        mocked.get(url, status=429, headers={"Retry-After": "20"})
        mocked.get(url, json={"items": []})
        HttpClient("spotify", rate_per_minute=120, limiter=limiter).get_json(url)

    # The fake clock never moved Redis' clock: the slot taken after the wait still stands.
    other_process = RedisLimiter("spotify", redis_url=settings.REDIS_URL, key_prefix=key_prefix)
    assert http_clock.waits == [pytest.approx(20, abs=1.0)]
    assert other_process.reserve(120) == pytest.approx(20.5, abs=1.0)


def test_one_daily_budget_is_shared_by_every_process(key_prefix):
    ours = RedisLimiter("ebay_token", redis_url=settings.REDIS_URL, key_prefix=key_prefix)
    theirs = RedisLimiter("ebay_token", redis_url=settings.REDIS_URL, key_prefix=key_prefix)

    assert [ours.spend(2), theirs.spend(2)] == [0.0, 0.0]
    assert 0 < ours.spend(2) <= 86400
    assert theirs.spent_today() == 2


def test_a_shared_burst_goes_at_once_then_waits_its_turn(key_prefix):
    ours = RedisLimiter("lastfm", redis_url=settings.REDIS_URL, key_prefix=key_prefix)
    theirs = RedisLimiter("lastfm", redis_url=settings.REDIS_URL, key_prefix=key_prefix)

    waits = [limiter.reserve(60, burst=3) for limiter in (ours, theirs, ours, theirs)]

    assert waits[:3] == [pytest.approx(0.0, abs=0.05)] * 3
    assert waits[3] == pytest.approx(1.0, abs=0.05)

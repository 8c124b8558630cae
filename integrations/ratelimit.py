"""Per-provider rate limiting for the HTTP layer.

The limiter works by reservation (GCRA): `reserve(rate_per_minute, burst)` atomically
claims the next free slot and returns how many seconds the caller must wait before using it.
Slots are spaced `60 / rate_per_minute` seconds apart, so a provider never sees more than its
configured rate, however many threads or processes share the limit; `burst` calls (one by
default) may go at once after an idle spell, and then the spacing applies again. Internally
`next_free` is GCRA's theoretical arrival time: a call may start `(burst - 1)` intervals
before it.

Each limiter also keeps a daily budget (`spend(daily_limit)`), counted per UTC day: eBay
allows 5,000 Browse calls and 1,000 token calls a day, and an exhausted budget must stop
every worker, not only the one that noticed.

Two backends with the same interface:

- `RedisLimiter` keeps the slot in a Redis hash per provider and updates it with a Lua
  script that reads Redis' own clock, so every worker process shares one schedule.
- `InProcessLimiter` keeps it in memory behind a lock (embedded default, no Redis).

`get_limiter(provider)` picks the backend from `settings.REDIS_URL`; `limiter_state(provider)`
reports what the admin dashboard shows. The limiter also listens to providers that announce
their remaining quota (Discogs' X-Discogs-Ratelimit-Remaining): when it runs low, the next
slot is pushed back so the provider's moving window can recover before we hit a 429.
"""

import logging
import threading
import time
from datetime import UTC, datetime

logger = logging.getLogger(__name__)

# Below this many remaining calls in the provider's window we slow down.
LOW_REMAINING = 5
# Discogs counts calls in a moving 60-second window.
QUOTA_WINDOW_SECONDS = 60.0
# Idle limiter keys expire from Redis after this long, past their last reserved slot.
IDLE_KEY_TTL_SECONDS = 3600
DAY_SECONDS = 86400
# A day's budget counter outlives its day, so the dashboard can still read it at midnight.
BUDGET_KEY_TTL_SECONDS = 2 * DAY_SECONDS


def slot_interval(rate_per_minute):
    """Seconds between two calls at this rate; 0 means unlimited."""
    if not rate_per_minute or rate_per_minute <= 0:
        return 0.0
    return 60.0 / rate_per_minute


def burst_tolerance(rate_per_minute, burst):
    """How far ahead of the theoretical arrival time a call may start: (burst - 1) slots."""
    return slot_interval(rate_per_minute) * max((burst or 1) - 1, 0)


def utc_day(epoch_seconds):
    """(day number, seconds until that UTC day ends): the window a daily budget counts in."""
    day = int(epoch_seconds // DAY_SECONDS)
    return day, (day + 1) * DAY_SECONDS - epoch_seconds


def recovery_delay(remaining, limit):
    """How long to hold back when a provider says only `remaining` calls are left.

    In a moving window one earlier call drops out every `window / limit` seconds, so waiting
    that long per missing call brings the remaining quota back up to LOW_REMAINING.
    """
    if remaining >= LOW_REMAINING:
        return 0.0
    per_call = QUOTA_WINDOW_SECONDS / limit if limit and limit > 0 else QUOTA_WINDOW_SECONDS / LOW_REMAINING
    return (LOW_REMAINING - max(remaining, 0)) * per_call


def moving_window_wait(headers):
    """Seconds to hold back after a 429 from a provider that counts a moving 60 s window and
    sends no Retry-After (Discogs, https://www.discogs.com/developers/#page:home,header:home-rate-limiting),
    None for any other provider.

    X-Discogs-Ratelimit-Used/-Remaining say how full the window is, not when its oldest call
    leaves it; only a full window without calls is sure to empty it, so the wait is the whole
    window, and longer when Discogs counts more calls than its limit (several clients on one IP).
    """
    used, limit = _header_int(headers, "X-Discogs-Ratelimit-Used"), _header_int(headers, "X-Discogs-Ratelimit")
    if used is None and limit is None and _header_int(headers, "X-Discogs-Ratelimit-Remaining") is None:
        return None
    return QUOTA_WINDOW_SECONDS * max(1.0, (used or 0) / limit if limit else 1.0)


def _header_int(headers, name):
    value = (headers.get(name) or "").strip()
    return int(value) if value.isdigit() else None


def _as_datetime(epoch_seconds):
    return datetime.fromtimestamp(epoch_seconds, tz=UTC) if epoch_seconds else None


class InProcessLimiter:
    """Thread-safe limiter for one provider inside one process. `clock` returns epoch seconds."""

    backend = "memory"

    def __init__(self, provider, *, clock=time.time):
        self.provider = provider
        self.clock = clock
        self._lock = threading.Lock()
        self._next_free = 0.0
        self._rate = None
        self._tolerance = 0.0
        self._remaining = None
        self._remaining_at = None
        self._day = None
        self._spent = 0

    def reserve(self, rate_per_minute, burst=1):
        """Claim the next slot; return the seconds to wait before using it."""
        with self._lock:
            now = self.clock()
            arrival = max(self._next_free, now)
            self._tolerance = burst_tolerance(rate_per_minute, burst)
            start = max(now, arrival - self._tolerance)
            self._next_free = arrival + slot_interval(rate_per_minute)
            self._rate = rate_per_minute
            return start - now

    def defer(self, seconds):
        """Let no call through for the next `seconds` (a Retry-After, a low quota)."""
        with self._lock:
            # The burst tolerance is added so that no burst starts before the deferral ends.
            self._next_free = max(self._next_free, self.clock() + seconds + self._tolerance)

    def spend(self, daily_limit):
        """Count one call against today's budget: 0 when it may go, else seconds until the
        budget renews (the call is then not counted). No limit means no budget."""
        with self._lock:
            day, renews_in = utc_day(self.clock())
            if day != self._day:
                self._day, self._spent = day, 0
            if daily_limit and self._spent >= daily_limit:
                return renews_in
            self._spent += 1
            return 0.0

    def spent_today(self):
        with self._lock:
            return self._spent if self._day == utc_day(self.clock())[0] else 0

    def observe_remaining(self, remaining, limit=None):
        """Record the provider's remaining quota and slow down when it runs low."""
        with self._lock:
            self._remaining = remaining
            self._remaining_at = self.clock()
        delay = recovery_delay(remaining, limit or self._rate)
        if delay:
            self.defer(delay)

    def state(self):
        with self._lock:
            now = self.clock()
            next_slot = self._next_free - self._tolerance if self._next_free else 0.0
            return _state_dict(self, self._rate, self._remaining, self._remaining_at, next_slot, now)


# KEYS[1]: the provider's hash. ARGV[1]: seconds between slots, ARGV[2]: the rate (for state),
# ARGV[3]: idle TTL, ARGV[4]: burst tolerance in seconds. Returns {wait, slot start} in
# seconds as strings (Lua numbers would be truncated to integers on the way out).
_RESERVE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local next_free = tonumber(redis.call('HGET', KEYS[1], 'next_free')) or now
local arrival = math.max(next_free, now)
local start = math.max(now, arrival - tonumber(ARGV[4]))
local following = arrival + tonumber(ARGV[1])
redis.call('HSET', KEYS[1], 'next_free', string.format('%.6f', following), 'rate', ARGV[2], 'tolerance', ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(following - now) + tonumber(ARGV[3]))
return {string.format('%.6f', start - now), string.format('%.6f', start)}
"""

# KEYS[1]: the provider's hash. ARGV[1]: seconds to hold every call back from now.
_DEFER_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local until_ = now + tonumber(ARGV[1]) + (tonumber(redis.call('HGET', KEYS[1], 'tolerance')) or 0)
local next_free = tonumber(redis.call('HGET', KEYS[1], 'next_free')) or now
if until_ > next_free then
  redis.call('HSET', KEYS[1], 'next_free', string.format('%.6f', until_))
end
redis.call('EXPIRE', KEYS[1], math.ceil(math.max(until_, next_free) - now) + tonumber(ARGV[2]))
return string.format('%.6f', now)
"""

# KEYS[1]: the provider's hash. ARGV[1]: the daily limit (0: none), ARGV[2]: the counter's TTL.
# The day is Redis' own (UTC), so every worker counts in the same window. Returns "0" when
# the call may go, else the seconds until the budget renews.
_SPEND_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local day = math.floor(now / 86400)
local key = KEYS[1] .. ':day:' .. day
local spent = tonumber(redis.call('GET', key)) or 0
local limit = tonumber(ARGV[1])
if limit > 0 and spent >= limit then
  return string.format('%.6f', (day + 1) * 86400 - now)
end
redis.call('INCR', key)
redis.call('EXPIRE', key, tonumber(ARGV[2]))
return '0'
"""


class RedisLimiter:
    """Limiter for one provider shared by every process using the same Redis and key prefix.

    If Redis cannot be reached, each call falls back to an in-process limiter (and says so in
    the log): the rate is then only kept per process, which beats failing every API call.
    """

    backend = "redis"

    def __init__(self, provider, *, redis_url=None, client=None, key_prefix="vinilogy:ratelimit:"):
        import redis

        self.provider = provider
        self.client = client or redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)
        self.key = f"{key_prefix}{provider}"
        self.fallback = InProcessLimiter(provider)
        self._redis_error = redis.RedisError
        self._reserve = self.client.register_script(_RESERVE_LUA)
        self._defer = self.client.register_script(_DEFER_LUA)
        self._spend = self.client.register_script(_SPEND_LUA)

    def reserve(self, rate_per_minute, burst=1):
        return self._shared_or_local(
            lambda: self.reserve_slot(rate_per_minute, burst)[0],
            lambda: self.fallback.reserve(rate_per_minute, burst),
        )

    def reserve_slot(self, rate_per_minute, burst=1):
        """Like reserve(), also returning when the slot starts (epoch seconds, Redis' clock)."""
        tolerance = burst_tolerance(rate_per_minute, burst)
        args = [slot_interval(rate_per_minute), rate_per_minute or 0, IDLE_KEY_TTL_SECONDS, tolerance]
        wait, start = self._reserve(keys=[self.key], args=args)
        return float(wait), float(start)

    def spend(self, daily_limit):
        return self._shared_or_local(
            lambda: float(self._spend(keys=[self.key], args=[daily_limit or 0, BUDGET_KEY_TTL_SECONDS])),
            lambda: self.fallback.spend(daily_limit),
        )

    def spent_today(self):
        return self._shared_or_local(self._shared_spent_today, self.fallback.spent_today)

    def _shared_spent_today(self):
        day, _ = utc_day(self._server_time())
        return int(self.client.get(f"{self.key}:day:{day}") or 0)

    def defer(self, seconds):
        self._shared_or_local(
            lambda: self._defer(keys=[self.key], args=[seconds, IDLE_KEY_TTL_SECONDS]),
            lambda: self.fallback.defer(seconds),
        )

    def observe_remaining(self, remaining, limit=None):
        self._shared_or_local(
            lambda: self._observe_remaining(remaining, limit),
            lambda: self.fallback.observe_remaining(remaining, limit),
        )

    def state(self):
        return self._shared_or_local(self._shared_state, self.fallback.state)

    def _shared_or_local(self, shared, local):
        try:
            return shared()
        except self._redis_error as error:
            logger.warning("Rate limiter for %s falls back to in-process: Redis failed (%s)", self.provider, error)
            return local()

    def _observe_remaining(self, remaining, limit):
        now = self._server_time()
        self.client.hset(self.key, mapping={"remaining": remaining, "remaining_at": f"{now:.6f}"})
        delay = recovery_delay(remaining, limit or self._stored_rate())
        if delay:
            self.defer(delay)

    def _shared_state(self):
        stored = {key.decode(): value.decode() for key, value in self.client.hgetall(self.key).items()}
        remaining = stored.get("remaining")
        return _state_dict(
            self,
            float(stored["rate"]) if stored.get("rate") else None,
            int(remaining) if remaining is not None else None,
            float(stored["remaining_at"]) if stored.get("remaining_at") else None,
            float(stored.get("next_free", 0.0)) - float(stored.get("tolerance") or 0.0),
            self._server_time(),
        )

    def _stored_rate(self):
        rate = self.client.hget(self.key, "rate")
        return float(rate) if rate else None

    def _server_time(self):
        seconds, micros = self.client.time()
        return seconds + micros / 1_000_000


def _state_dict(limiter, rate, remaining, remaining_at, next_free, now):
    return {
        "provider": limiter.provider,
        "backend": limiter.backend,
        "rate_per_minute": rate,
        "last_remaining": remaining,
        "last_remaining_at": _as_datetime(remaining_at),
        "next_free_slot": _as_datetime(next_free),
        "wait_seconds": max(0.0, next_free - now) if next_free else 0.0,
    }


_limiters = {}
_limiters_lock = threading.Lock()


def _build_limiter(provider):
    from django.conf import settings

    if settings.REDIS_URL:
        return RedisLimiter(provider, redis_url=settings.REDIS_URL, key_prefix=settings.RATE_LIMIT_KEY_PREFIX)
    return InProcessLimiter(provider)


# Tests swap this for a factory bound to a fake clock (see integrations.testing).
limiter_factory = _build_limiter


def get_limiter(provider):
    """The process-wide limiter for `provider` (Redis-backed when settings.REDIS_URL is set)."""
    with _limiters_lock:
        if provider not in _limiters:
            _limiters[provider] = limiter_factory(provider)
        return _limiters[provider]


def reset_limiters():
    """Forget every limiter (tests, or after settings.REDIS_URL changed)."""
    with _limiters_lock:
        _limiters.clear()


def limiter_state(provider):
    """What the admin shows for a provider: configured rate, last remaining quota, next free slot.

    Keys: provider, backend ("redis"/"memory"), rate_per_minute (the rate last used, else the
    configured one), last_remaining, last_remaining_at, next_free_slot (aware datetimes or None),
    wait_seconds, daily_limit (settings.DAILY_BUDGETS, None without a budget), spent_today.
    """
    from django.conf import settings

    limiter = get_limiter(provider)
    state = limiter.state()
    if state["rate_per_minute"] is None:
        state["rate_per_minute"] = settings.RATE_LIMITS.get(provider)
    state["daily_limit"] = settings.DAILY_BUDGETS.get(provider) or None
    state["spent_today"] = limiter.spent_today()
    return state

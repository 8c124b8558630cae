"""The one HTTP choke point: every call to an external API goes through `HttpClient`.

It owns, per provider: the requests Session (with the replay adapter mounted when
settings.VINILOGY_REPLAY_DIR is set), timeouts, the User-Agent, the shared rate limiter,
retries with exponential backoff and full jitter that honour Retry-After, the mapping of
HTTP outcomes to integrations.errors, and one ApiCall row per attempt with secrets redacted.

A host that cannot be reached at all (its name does not resolve, it refuses the connection)
is not retried: the call fails at once as Unreachable, and for UNREACHABLE_HOLD_SECONDS every
call to that provider in this process fails at once too, without trying (each still logged).
On a machine with no network nothing then waits on backoff, and a worker moves on.

Waiting goes through `clock` (module level) so tests swap in a fake clock and never really
sleep; an instance's `sleep`/`now` can also be replaced.
"""

import logging
import random
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import requests
from django.conf import settings
from django.db import transaction
from urllib3.exceptions import NewConnectionError

from . import ratelimit, replay
from .errors import ApiError, AuthError, BadPayload, BadRequest, BudgetExhausted, NotFound, RateLimited, Unavailable, Unreachable
from .redact import auth_secrets, header_secrets, redact_text, redact_url, secret_values

logger = logging.getLogger(__name__)

# How much of an error response body goes into ApiCall.error.
ERROR_BODY_CHARS = 300
ENDPOINT_MAX_CHARS = 2000
# After a provider's host could not be reached, its calls fail at once for this long.
UNREACHABLE_HOLD_SECONDS = 60.0
# provider → clock time until which it counts as unreachable (per process; reset_unreachable()).
_unreachable_until = {}


def reset_unreachable():
    """Forget which providers were unreachable (tests; a process that knows the network is back)."""
    _unreachable_until.clear()


def basic_auth(username, password):
    """HTTP Basic auth for token endpoints (Spotify, eBay client credentials)."""
    return requests.auth.HTTPBasicAuth(username, password)


class SystemClock:
    """Real time. Tests replace `integrations.http.clock` with a fake that only records waits."""

    @staticmethod
    def now():
        return time.time()

    @staticmethod
    def sleep(seconds):
        time.sleep(seconds)


clock = SystemClock()


def parse_retry_after(value, now):
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError, IndexError):
        logger.warning("Ignoring unparseable Retry-After header %r", value)
        return None


def full_jitter_backoff(attempt, base, cap, rng=random):
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2**(attempt-1))]."""
    return rng.uniform(0, min(cap, base * 2 ** (attempt - 1)))


@dataclass
class _Call:
    """One logical request, retried as several attempts."""

    method: str
    url: str
    params: dict
    data: dict | None
    headers: dict
    auth: object
    parse: str  # "json" or "text"
    secrets: set = field(default_factory=set)


@dataclass
class _AttemptLog:
    """What one attempt did, written to ApiCall whatever happened."""

    endpoint: str
    status_code: int | None = None
    bytes: int = 0
    error_kind: str = ""
    error: str = ""


class HttpClient:
    """Session, limiter, retries and call log for one provider. Clients hold one each.

    - `base_url`: prefix for relative paths given to get_json/get_text/post_json.
    - `rate_per_minute`: None reads settings.RATE_LIMITS[provider]; 0 means no spacing.
      settings.RATE_BURSTS[provider] lets that many calls go at once after an idle spell.
    - `budget`: the daily budget every attempt spends (settings.DAILY_BUDGETS; defaults to the
      provider's name). When it is spent, BudgetExhausted is raised and nothing is sent.
    - `default_params`/`default_headers`: sent on every call (a call's own win; None params
      are dropped). User-Agent is always settings.VINILOGY_USER_AGENT unless overridden.
    - `payload_check(payload)`: may raise ApiError subclasses for errors a provider reports in
      a 2xx body; RateLimited and Unavailable raised there are retried like a 429/5xx.
    - `auth`: a requests auth object used unless a call passes its own.
    - `session`: defaults to a new one; the replay adapter is mounted on it when
      settings.VINILOGY_REPLAY_DIR is set.
    - `limiter`: defaults to the shared per-provider one (integrations.ratelimit.get_limiter).
    - `max_retries`: defaults to settings.HTTP_MAX_RETRIES.

    After a success, `last_headers` holds the response headers (Link, pagination, quotas).
    Raises integrations.errors.ApiError subclasses; `error.attempts` says how many were made.
    """

    def __init__(
        self,
        provider,
        *,
        base_url="",
        rate_per_minute=None,
        default_params=None,
        default_headers=None,
        payload_check=None,
        auth=None,
        session=None,
        limiter=None,
        max_retries=None,
        budget=None,
        follow_redirects=True,
    ):
        self.provider = provider
        self.budget = budget or provider
        self.burst = settings.RATE_BURSTS.get(provider, 1)
        self.base_url = base_url
        self.rate_per_minute = rate_per_minute if rate_per_minute is not None else settings.RATE_LIMITS.get(provider)
        self.default_params = dict(default_params or {})
        self.default_headers = dict(default_headers or {})
        self.payload_check = payload_check
        self.auth = auth
        self.session = session or requests.Session()
        self.limiter = limiter
        # None: settings.HTTP_MAX_RETRIES, read at call time so tests can change it.
        self.max_retries = max_retries
        # False for URLs a listener gave (alert channels): a redirect could lead anywhere.
        self.follow_redirects = follow_redirects
        self.last_headers = requests.structures.CaseInsensitiveDict()
        self.rng = random.Random()
        self._mount_replay_from_settings()

    # --- public API -------------------------------------------------------------------

    def get_json(self, path_or_url, params=None, headers=None, auth=None):
        """GET and decode JSON (None for an empty body)."""
        return self._request("GET", path_or_url, params=params, headers=headers, auth=auth, parse="json")

    def get_text(self, path_or_url, params=None, headers=None, auth=None):
        """GET and return the decoded text (XML feeds)."""
        return self._request("GET", path_or_url, params=params, headers=headers, auth=auth, parse="text")

    def post_json(self, path_or_url, data=None, headers=None, auth=None):
        """Form-encoded POST returning JSON (OAuth token endpoints)."""
        return self._request("POST", path_or_url, data=data, headers=headers, auth=auth, parse="json")

    def post_bytes(self, path_or_url, body, headers=None):
        """POST a raw body (an encrypted push message, a plain-text note); returns the text."""
        return self._request("POST", path_or_url, data=body, headers=headers, parse="text")

    def loggable_url(self, url):
        """The URL as the call log and errors show it; a client whose URLs are secrets overrides it."""
        return redact_url(url)

    def sleep(self, seconds):
        clock.sleep(seconds)

    def now(self):
        return clock.now()

    def get_limiter(self):
        return self.limiter or ratelimit.get_limiter(self.provider)

    # --- building the request ---------------------------------------------------------

    def url_for(self, path_or_url):
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        if not path_or_url:
            return self.base_url
        return f"{self.base_url.rstrip('/')}/{path_or_url.lstrip('/')}"

    def _build_call(self, method, path_or_url, params, data, headers, auth, parse):
        merged_params = {k: v for k, v in {**self.default_params, **(params or {})}.items() if v is not None}
        merged_headers = {"User-Agent": settings.VINILOGY_USER_AGENT, **self.default_headers, **(headers or {})}
        call = _Call(method, self.url_for(path_or_url), merged_params, data, merged_headers, auth or self.auth, parse)
        call.secrets = (
            secret_values(merged_params, data if isinstance(data, dict) else None)
            | auth_secrets(call.auth)
            | header_secrets(merged_headers)
        )
        return call

    def _mount_replay_from_settings(self):
        if not replay.is_replaying(self.session):
            replay.mount_from_settings(self.session, self.provider)

    # --- the retry loop ---------------------------------------------------------------

    def _request(self, method, path_or_url, *, params=None, data=None, headers=None, auth=None, parse="json"):
        call = self._build_call(method, path_or_url, params, data, headers, auth, parse)
        self._refuse_while_unreachable(call)
        max_attempts = (settings.HTTP_MAX_RETRIES if self.max_retries is None else self.max_retries) + 1
        for attempt in range(1, max_attempts + 1):
            try:
                # The slot first: a budget that renews within the backoff cap is waited for there.
                self._wait_for_slot()
                self._spend_budget(call)
                return self._attempt(call, attempt)
            except ApiError as error:
                error.attempts = attempt
                if isinstance(error, Unreachable):
                    _unreachable_until[self.provider] = self.now() + UNREACHABLE_HOLD_SECONDS
                    raise
                if error.permanent or attempt == max_attempts:
                    raise
                self._back_off(error, attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _refuse_while_unreachable(self, call):
        """Fail at once, without sending, while the provider's host was lately unreachable."""
        left = _unreachable_until.get(self.provider, 0) - self.now()
        if left <= 0:
            return
        log = _AttemptLog(endpoint=self.loggable_url(call.url), error_kind=Unreachable.kind)
        log.error = f"Not sent: {self.provider} was unreachable less than {UNREACHABLE_HOLD_SECONDS:.0f} s ago"
        self._record(call, 1, log, time.monotonic())
        error = self._error(Unreachable, log.error, log, retry_after=left)
        error.attempts = 0
        raise error

    def _spend_budget(self, call):
        """Count this attempt against today's budget, shared by every worker, or refuse it."""
        renews_in = ratelimit.get_limiter(self.budget).spend(settings.DAILY_BUDGETS.get(self.budget))
        if renews_in:
            message = f"Daily budget {self.budget!r} spent ({settings.DAILY_BUDGETS[self.budget]} calls)"
            raise BudgetExhausted(message, provider=self.provider, url=self.loggable_url(call.url), retry_after=renews_in)

    def _wait_for_slot(self):
        # Even an unlimited provider asks the limiter: a Retry-After may have deferred it.
        wait = self.get_limiter().reserve(self.rate_per_minute, self.burst)
        if wait > 0:
            self.sleep(wait)

    def _back_off(self, error, attempt):
        """Wait before the next attempt: the server's Retry-After if it gave one, else jitter."""
        retry_after = error.retry_after
        if retry_after is None:
            self.sleep(full_jitter_backoff(attempt, settings.HTTP_BACKOFF_BASE, settings.HTTP_BACKOFF_MAX, self.rng))
            return
        if retry_after > settings.HTTP_BACKOFF_MAX:
            # Too long to hold a worker: give up now so a task can retry later (countdown).
            raise error
        # Everyone calling this provider waits, not just us: the limiter defers the next slot.
        self.get_limiter().defer(retry_after)

    def _attempt(self, call, attempt):
        started = time.monotonic()
        log = _AttemptLog(endpoint=self.loggable_url(call.url))
        try:
            response = self._send(call, log)
            return self._interpret(response, call, log)
        except ApiError as error:
            # Callers store error messages on their rows too: scrub them before they escape.
            error.message = redact_text(error.message, call.secrets)
            error.args = (error.message,)
            log.error_kind = error.kind
            log.error = str(error)
            raise
        except Exception as error:  # a ReplayMiss or a client's bug: record it, then let it fly
            log.error_kind = getattr(error, "kind", "unexpected")
            log.error = redact_text(f"{type(error).__name__}: {error}", call.secrets)
            raise
        finally:
            self._record(call, attempt, log, started)

    def _send(self, call, log):
        prepared = self.session.prepare_request(
            requests.Request(call.method, call.url, params=call.params, data=call.data, headers=call.headers, auth=call.auth)
        )
        log.endpoint = self.loggable_url(prepared.url)
        environment = self.session.merge_environment_settings(prepared.url, {}, None, None, None)
        timeout = (settings.HTTP_CONNECT_TIMEOUT, settings.HTTP_READ_TIMEOUT)
        try:
            return self.session.send(prepared, timeout=timeout, allow_redirects=self.follow_redirects, **environment)
        except requests.exceptions.Timeout as error:
            raise self._error(Unavailable, f"Timed out: {type(error).__name__}", log, kind="timeout") from error
        except requests.exceptions.ConnectionError as error:
            if _never_connected(error):
                raise self._error(Unreachable, f"Unreachable: {error}", log) from error
            raise self._error(Unavailable, f"Connection failed: {error}", log, kind="connection") from error
        except requests.exceptions.RequestException as error:
            raise self._error(BadRequest, f"Request failed: {type(error).__name__}: {error}", log) from error

    # --- reading the response ---------------------------------------------------------

    def _interpret(self, response, call, log):
        log.status_code = response.status_code
        log.bytes = len(response.content)
        self._observe_quota(response)
        if not 200 <= response.status_code < 300:
            raise self._status_error(response, log)
        payload = self._decode(response, call, log)
        if self.payload_check:
            self._check_payload(payload, log)
        self.last_headers = response.headers
        return payload

    def _status_error(self, response, log):
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self.now())
        return self._body_error(response, log, retry_after) or self._plain_status_error(response, log, retry_after)

    def _body_error(self, response, log, retry_after):
        """The provider's own verdict, read from its error body on any status.

        Last.fm sends "try again" codes (11, 16) with a 4xx as well as in a 200: the code in
        the body, not the status, says whether the failure is permanent.
        """
        if not self.payload_check:
            return None
        try:
            self._check_payload(response.json(), log)
        except ApiError as error:
            error.retry_after = error.retry_after if error.retry_after is not None else retry_after
            return error
        except ValueError:  # not JSON (an HTML error page): the status decides
            return None
        return None

    def _plain_status_error(self, response, log, retry_after):
        status = response.status_code
        message = f"HTTP {status}: {_snippet(response)}"
        if status == 404:
            return self._error(NotFound, message, log)
        if status in (401, 403):
            return self._error(AuthError, message, log)
        if status == 429:
            wait = retry_after if retry_after is not None else self._window_wait(response)
            return self._error(RateLimited, message, log, retry_after=wait)
        if status >= 500:
            return self._error(Unavailable, message, log, retry_after=retry_after)
        if status >= 400:
            return self._error(BadRequest, message, log)
        return self._error(BadPayload, f"Unexpected status {message}", log)

    def _window_wait(self, response):
        """Discogs sends no Retry-After: wait out its moving window (at least 60 s) instead of
        a few seconds of jitter; the limiter then holds every worker back that long."""
        wait = ratelimit.moving_window_wait(response.headers)
        if wait is None and self.provider == "discogs":
            wait = ratelimit.QUOTA_WINDOW_SECONDS
        return wait

    def _decode(self, response, call, log):
        if call.parse == "text":
            return response.text
        if not response.content.strip():
            return None
        try:
            return response.json()
        except ValueError as error:
            raise self._error(BadPayload, f"Undecodable JSON ({error}): {_snippet(response)}", log) from error

    def _check_payload(self, payload, log):
        try:
            self.payload_check(payload)
        except ApiError as error:
            error.provider = error.provider or self.provider
            error.url = error.url or log.endpoint
            error.status_code = error.status_code if error.status_code is not None else log.status_code
            raise

    def _observe_quota(self, response):
        """Discogs announces its remaining quota; the limiter slows down when it runs low."""
        remaining = response.headers.get("X-Discogs-Ratelimit-Remaining")
        if remaining is None or not remaining.strip().lstrip("-").isdigit():
            return
        limit = response.headers.get("X-Discogs-Ratelimit", "")
        self.get_limiter().observe_remaining(int(remaining), float(limit) if limit.isdigit() else None)

    def _error(self, error_class, message, log, **extra):
        return error_class(message, provider=self.provider, status_code=log.status_code, url=log.endpoint, **extra)

    # --- the call log -----------------------------------------------------------------

    def _record(self, call, attempt, log, started):
        """Write the ApiCall row. Logging must never break the call, so failures stop here."""
        from .models import ApiCall

        try:
            # A savepoint: inside a caller's transaction a failed insert must not poison it.
            with transaction.atomic():
                ApiCall.objects.create(
                    provider=self.provider,
                    method=call.method,
                    endpoint=log.endpoint[:ENDPOINT_MAX_CHARS],
                    status_code=log.status_code,
                    duration_ms=int((time.monotonic() - started) * 1000),
                    attempt=attempt,
                    bytes=log.bytes,
                    error_kind=log.error_kind[:30],
                    error=log.error,
                    replayed=self._is_replayed(log.endpoint),
                )
        except Exception:  # noqa: BLE001 - the HTTP result matters more than its log row
            logger.exception("Could not record ApiCall for %s %s", self.provider, log.endpoint)

    def _is_replayed(self, url):
        try:
            return replay.is_replay_adapter(self.session.get_adapter(url))
        except requests.exceptions.InvalidSchema:
            return False


def _never_connected(error):
    """The connection was never made: the name did not resolve or the host refused it."""
    reason = error.args[0] if error.args else None
    return isinstance(getattr(reason, "reason", reason), NewConnectionError)


def _snippet(response):
    return response.text[:ERROR_BODY_CHARS].strip()

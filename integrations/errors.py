"""Errors raised by the shared HTTP layer (integrations.http) and the provider clients.

Each error says whether it is permanent: callers retry the transient ones (RateLimited,
Unavailable) and record the permanent ones on the row that owns them. `kind` is the value
stored in ApiCall.error_kind.
"""


class ApiError(Exception):
    """An external API call failed. `url` is always redacted (see integrations.http.redact_url)."""

    kind = "error"
    permanent = True

    def __init__(self, message="", *, provider="", status_code=None, url="", permanent=None, kind=None, retry_after=None):
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.status_code = status_code
        self.url = url
        # Seconds the server asked us to wait (Retry-After), when it said so.
        self.retry_after = retry_after
        # How many attempts the HTTP layer made before giving up (set by HttpClient).
        self.attempts = 0
        if permanent is not None:
            self.permanent = permanent
        if kind is not None:
            self.kind = kind

    def __str__(self):
        where = " ".join(part for part in (self.provider, self.url) if part)
        status = f"HTTP {self.status_code}" if self.status_code is not None else ""
        context = ", ".join(part for part in (where, status) if part)
        return f"{self.message} ({context})" if context else self.message


class NotFound(ApiError):
    """404: the thing asked for does not exist."""

    kind = "not_found"


class AuthError(ApiError):
    """401/403: credentials missing, wrong, expired or without the needed scope."""

    kind = "auth"


class RateLimited(ApiError):
    """429, or a provider's own rate-limit answer (Last.fm error 29 in an HTTP 200)."""

    kind = "rate_limited"
    permanent = False


class BudgetExhausted(RateLimited):
    """Today's call budget for a provider is spent (settings.DAILY_BUDGETS); no call was made.
    `retry_after` says when it renews, so a task can re-queue itself with that countdown."""

    kind = "budget_exhausted"


class Unavailable(ApiError):
    """5xx, connection error or timeout (`kind` says which: unavailable, timeout, connection)."""

    kind = "unavailable"
    permanent = False


class Unreachable(Unavailable):
    """The provider's host could not be reached at all: its name did not resolve or it refused
    the connection. Not retried by the HTTP layer (another attempt a second later meets the same
    wall); the next calls to that provider fail at once for a short while (integrations.http)."""

    kind = "unreachable"


class NotConfigured(ApiError):
    """The call needs credentials the site does not have; it was not sent."""

    kind = "not_configured"


class BadPayload(ApiError):
    """The answer could not be decoded or did not have the expected shape."""

    kind = "bad_payload"


class BadRequest(ApiError):
    """Any other 4xx: our request was wrong; retrying it would not help."""

    kind = "bad_request"

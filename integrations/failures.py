"""What a listener reads when a provider call failed: the one home for "error → sentence".

An exception (an integrations.errors.ApiError, the Celery Retry that carries one, a missing
key) becomes a `Failure`: its kind (the HTTP layer's classification, ApiError.kind), the
provider, and when it is worth trying again. Its sentence says what it means and what happens
next ("MusicBrainz did not answer; we will try again at 10:40"), never the exception's text,
a host name or a setting name: those stay in the ApiCall log and on the rows the admin shows.

A Failure is plain data (`as_dict`/`from_dict`) so it can be kept in the cache, where
integrations.queue keeps the failure note of a task for the page that asked for it.
"""

import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

PROVIDER_LABELS = {
    "musicbrainz": "MusicBrainz",
    "lastfm": "Last.fm",
    "listenbrainz": "ListenBrainz",
    "discogs": "Discogs",
    "discogs_anonymous": "Discogs",
    "discogs_oauth": "Discogs",
    "spotify": "Spotify",
    "ebay": "eBay",
    "ebay_token": "eBay",
    "ecb": "The European Central Bank",
}
# Kinds that pass with time (the HTTP layer retries them too), and how long until the next try
# is worth making when the provider did not say (a Retry-After wins when it is longer).
TRANSIENT_KINDS = {"unreachable", "unavailable", "timeout", "connection", "rate_limited", "budget_exhausted"}
RETRY_SECONDS = 5 * 60


@dataclass(frozen=True)
class Failure:
    kind: str  # an ApiError.kind, "not_configured" or "unexpected"
    provider: str = ""  # integrations provider name, "" when unknown
    retry_at: float | None = None  # epoch seconds; None: trying again would not help

    @property
    def transient(self):
        return self.retry_at is not None

    @property
    def label(self):
        return PROVIDER_LABELS.get(self.provider, "") or _("The music service")

    def sentence(self):
        """What it means and when it is tried again by itself ("…; we will try again at 10:40")."""
        what = self.what()
        if self.retry_at is None:
            return f"{what}."
        return _("%(what)s; we will try again at %(time)s.") % {"what": what, "time": clock_time(self.retry_at)}

    def ask_again(self):
        """The same for a page where the listener asks again by hand ("…; try again after 10:40")."""
        what = self.what()
        if self.retry_at is None:
            return f"{what}."
        return _("%(what)s; try again after %(time)s.") % {"what": what, "time": clock_time(self.retry_at)}

    def what(self):
        label = self.label
        if self.kind in ("unreachable", "unavailable", "timeout", "connection"):
            return _("%(provider)s did not answer") % {"provider": label}
        if self.kind in ("rate_limited", "budget_exhausted"):
            return _("%(provider)s asked us to slow down") % {"provider": label}
        if self.kind == "not_configured":
            return _("%(provider)s is not available on this site yet") % {"provider": label}
        if self.kind == "auth":
            return _("%(provider)s did not accept this site's access; the site's operators can see why") % {"provider": label}
        if self.kind == "not_found":
            return _("%(provider)s does not know it") % {"provider": label}
        if self.provider:
            return _("%(provider)s sent an answer we could not use") % {"provider": label}
        return _("Something went wrong on our side")

    def __str__(self):
        return self.sentence()

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        if not isinstance(data, dict):
            return None
        return cls(**{key: data.get(key) for key in ("kind", "provider", "retry_at")})


def failure_from(exception, provider="", now=None):
    """The Failure an exception means. A Celery Retry is read through to the error it carries;
    a ValueError from a client's from_settings() is a missing key (not configured)."""
    error = getattr(exception, "exc", None) or exception
    now = time.time() if now is None else now
    kind = getattr(error, "kind", None) or ("not_configured" if isinstance(error, ValueError) else "unexpected")
    provider = getattr(error, "provider", "") or provider
    retry_at = None
    if kind in TRANSIENT_KINDS or kind == "unexpected":
        retry_at = now + max(RETRY_SECONDS, getattr(error, "retry_after", None) or 0)
    return Failure(kind=kind, provider=provider, retry_at=retry_at)


def not_configured(provider):
    """The site has no key for `provider`: "Last.fm is not available on this site yet"."""
    return Failure(kind="not_configured", provider=provider)


def clock_time(epoch_seconds):
    """10:40 in the site's time zone, on the 24-hour clock (English's own "10:40 a.m." would end
    a sentence in two full stops)."""
    moment = timezone.localtime(datetime.fromtimestamp(epoch_seconds, tz=UTC))
    return formats.time_format(moment, "H:i")

"""URLs whose path carries a secret: the feed, unsubscribe and account-deletion tokens, allauth's
email-confirmation and password-reset keys.

Which they are is read from the URLconf, not listed: a URL keyword named as a secret parameter
(integrations.redact.is_secret_param: token, key, secret, code…) is a secret path segment, so a
new `<str:token>` URL is covered the day it is added (vinilogy/tests/test_secret_urls.py fails
on a keyword it cannot classify). Two users:

- the logs: `RedactSecretPaths`, a logging filter on runserver's `django.server` log and the
  console handler (settings.LOGGING, before integrations' RedactSecrets), writes REDACTED in
  place of each secret segment of every path or URL in a line (request line, Referer, "Not
  Found: /…"); `RedactAccessLog` does that and RedactSecrets' part for gunicorn's access and
  error logs (gunicorn.conf.py), which have no other filter;
- the private cache rule (vinilogy.middleware.PrivateCacheMiddleware): a page reached through a
  secret is someone's own, `Cache-Control: private, no-store`, signed in or not.

Importing this module needs no configured Django: gunicorn's master loads the filter before
any worker has set Django up.
"""

import logging
import re
from functools import lru_cache

from django.apps import apps

from integrations.redact import REDACTED, is_secret_param

# A path, alone or at the end of an absolute URL, up to its query: "/alerts/feed/abc/",
# "https://host/alerts/feed/abc/?x=1" (the path is group 1).
_PATH_IN_TEXT = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://[^/\s\"'?#]*)?(/[^\s\"'?#]*)", re.IGNORECASE)
_ANCHORS = re.compile(r"^\^|(?:\$|\\Z)$")


def _walk(patterns, prefix=""):
    """(full regex source, URLPattern) of every URL, includes flattened."""
    for pattern in patterns:
        source = prefix + _ANCHORS.sub("", pattern.pattern.regex.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _walk(pattern.url_patterns, source)
        else:
            yield source, pattern


def _is_secret(regex):
    return any(is_secret_param(name) for name in regex.groupindex)


@lru_cache(maxsize=1)
def url_patterns():
    """Compiled full-path regexes (no leading slash) of every URL, in the resolver's order."""
    from django.urls import get_resolver

    return tuple(re.compile(source) for source, _ in _walk(get_resolver().url_patterns))


@lru_cache(maxsize=1)
def secret_patterns():
    """Those of url_patterns() with a secret keyword."""
    return tuple(regex for regex in url_patterns() if _is_secret(regex))


def redact_path(path):
    """The path with each secret segment replaced by REDACTED, when the URL it resolves to has
    a secret keyword ("/alerts/feed/rotate/" is another URL, listed before the feed's)."""
    bare = path.lstrip("/")
    if not any(regex.fullmatch(bare) for regex in secret_patterns()):
        return path  # the common case, a handful of regexes
    match = next(m for m in (regex.fullmatch(bare) for regex in url_patterns()) if m)
    return "/" + _replace_secret_groups(match) if _is_secret(match.re) else path


def _replace_secret_groups(match):
    text, regex = match.string, match.re
    spans = sorted((match.span(name) for name in regex.groupindex if is_secret_param(name) and match.group(name)), reverse=True)
    for start, end in spans:
        text = text[:start] + REDACTED + text[end:]
    return text


def redact_secret_paths(text):
    """`text` (a log line) with the secret segments of every path and URL in it redacted."""
    return _PATH_IN_TEXT.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + redact_path(m.group(1)), text)


def carries_secret(request):
    """Whether the request reached its view through a secret path segment."""
    match = getattr(request, "resolver_match", None)
    return bool(match and any(is_secret_param(name) for name in match.kwargs))


class RedactSecretPaths(logging.Filter):
    """Secret path segments out of every record (in settings.LOGGING, before RedactSecrets).

    Records logged before Django is set up (gunicorn's master: booting, worker timeouts) carry
    no request and pass unchanged."""

    def filter(self, record):
        if apps.ready:
            record.msg, record.args = redact_secret_paths(record.getMessage()), ()
        return True


class RedactAccessLog(RedactSecretPaths):
    """For a log with no other filter (gunicorn's): secret path segments, then the HTTP layer's
    rules (secret query values such as an OAuth callback's ?code=, known secret values)."""

    def filter(self, record):
        super().filter(record)
        if apps.ready:
            from integrations.log_redaction import redact

            record.msg = redact(record.msg)
        return True

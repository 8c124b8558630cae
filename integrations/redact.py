"""Keeping secrets out of everything we store or show: URLs, error text, call log rows.

The HTTP layer (integrations.http) scrubs each request's URL and error text with these
functions before it logs them; the replay adapter (integrations.replay) uses the same names
to ignore secret parameters when it matches a request to a recording and to redact the URLs
it stores. Neither imports the other for it: both import this module.
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query/form parameter names whose values never leave this module unredacted.
SECRET_PARAMS = frozenset(
    {
        "token",
        "key",
        "secret",
        "api_key",
        "apikey",
        "api_secret",
        "access_token",
        "refresh_token",
        "client_secret",
        "client_id_secret",
        "oauth_signature",
        "oauth_token",
        "oauth_token_secret",
        "oauth_consumer_key",
        "oauth_verifier",
        "password",
        "passwd",
        "sig",
        "api_sig",
        "signature",
        "code",
        "code_verifier",
        "session",
        "sk",
        "auth",
        "authorization",
    }
)
REDACTED = "REDACTED"


def is_secret_param(name):
    return name.lower() in SECRET_PARAMS


def redact_url(url):
    """The URL with the value of every secret query parameter replaced by REDACTED."""
    parts = urlsplit(str(url))
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if not any(is_secret_param(name) and value for name, value in pairs):
        return str(url)  # nothing to hide: keep the URL exactly as sent
    redacted = [(name, REDACTED if is_secret_param(name) and value else value) for name, value in pairs]
    query = urlencode(redacted, safe="*,:/")
    return urlunsplit(parts._replace(query=query))


def secret_values(*mappings):
    """Values of secret-named entries in the given dicts (to scrub them from error text)."""
    values = set()
    for mapping in mappings:
        for name, value in (mapping or {}).items():
            if is_secret_param(str(name)) and value:
                values.add(str(value))
    return values


# `api_key=…` inside free text (a URL echoed in an error body).
_SECRET_PARAM_IN_TEXT = re.compile(
    r"(?i)(?<![A-Za-z0-9_])(" + "|".join(sorted(SECRET_PARAMS, key=len, reverse=True)) + r")=([^&\s\"'<>]+)"
)


def redact_text(text, secrets):
    """`text` with every known secret value, and any secret `name=value` pair, redacted."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 4:  # shorter values ("1", "yes") would mangle innocent text
            text = text.replace(secret, REDACTED)
    return _SECRET_PARAM_IN_TEXT.sub(lambda match: f"{match.group(1)}={REDACTED}", text)


def header_secrets(headers):
    """Credentials sent in headers ("Discogs token=…", "Bearer …"): the value and its last word."""
    secrets = set()
    for name, value in headers.items():
        if name.lower() in ("authorization", "x-api-key", "x-auth-token") and value:
            secrets.add(str(value))
            secrets.add(re.split(r"[\s=]", str(value))[-1])
    return secrets


def auth_secrets(auth):
    """Secret strings held by a requests auth object: Basic passwords, OAuth keys and secrets.

    Auth classes differ (requests' HTTPBasicAuth, requests-oauthlib's OAuth1, our own AuthBase
    around an oauthlib Client), so look at secret-sounding attributes of the object and of its
    `client`, if any.
    """
    if auth is None:
        return set()
    holders = [auth, getattr(auth, "client", None)]
    return {
        value
        for holder in holders
        for name, value in getattr(holder, "__dict__", {}).items()
        if isinstance(value, str) and len(value) >= 4 and _sounds_secret(name)
    }


def _sounds_secret(attribute):
    return any(word in attribute.lower() for word in ("secret", "token", "password", "key", "verifier"))

"""No token, secret, code or API key in any log line, at any level, from any library.

`RedactSecrets` is a logging filter on the handlers (settings.LOGGING), so it sees every
record, oauthlib's and requests' DEBUG lines included. It applies the HTTP layer's redaction
rules (integrations.redact: the secret parameter names and `redact_text`) to the formatted
message and traceback, extended to the shapes libraries log them in (name="value", a dict's
'name': 'value', Authorization headers), and replaces every secret value it knows: the keys
in settings, and each token the accessor in accounts.encryption decrypted in this process.
"""

import logging
import re
from collections import deque

from django.conf import settings

from .redact import REDACTED, SECRET_PARAMS, redact_text

# Settings whose values are secrets wherever they show up.
SECRET_SETTINGS = (
    "SECRET_KEY",
    "DISCOGS_TOKEN",
    "DISCOGS_CONSUMER_KEY",
    "DISCOGS_CONSUMER_SECRET",
    "LASTFM_API_KEY",
    "SPOTIFY_CLIENT_SECRET",
    "EBAY_CLIENT_SECRET",
    "HEALTH_TOKEN",
    "FIELD_ENCRYPTION_KEYS",
)
# Plain tokens seen by this process (bounded: the newest are kept).
_remembered = deque(maxlen=10_000)
_BEARER = re.compile(r"(?i)\b(Bearer|Basic|Discogs token=|OAuth)\s+[^\s,;]+")


def remember_secret(value: str):
    if value and len(value) >= 4 and value not in _remembered:
        _remembered.append(value)


def _configured_secrets() -> set[str]:
    values = set()
    for name in SECRET_SETTINGS:
        value = getattr(settings, name, "")
        values.update(value if isinstance(value, (list, tuple)) else [value])
    return {str(value) for value in values if value}


_NAMES = "|".join(sorted(SECRET_PARAMS, key=len, reverse=True))
# oauth_token="…"  'access_token': '…'  "client_secret": "…"
_QUOTED_PAIRS = re.compile(r"(?i)([\"']?(?<![A-Za-z0-9_])(?:" + _NAMES + r")[\"']?\s*[:=]\s*)([\"'])[^\"']*\2")


def redact(text: str) -> str:
    text = redact_text(text, _configured_secrets() | set(_remembered))
    text = _QUOTED_PAIRS.sub(lambda match: f"{match.group(1)}{match.group(2)}{REDACTED}{match.group(2)}", text)
    return _BEARER.sub(lambda match: f"{match.group(1)} {REDACTED}", text)


class RedactSecrets(logging.Filter):
    def filter(self, record):
        record.msg, record.args = redact(record.getMessage()), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True

"""What a username looks like on each listening source, checked before it reaches their APIs.

- Last.fm: its sign-up form asks for 2 to 15 characters that begin with a letter and are
  letters, digits, '-' or '_'.
- Discogs: letters, digits, '.', '-' and '_' (the characters its profile URLs show).
- Any other source connected by username (accounts/sources): letters, digits, '.', '-', '_'.
- ListenBrainz signs in with MusicBrainz accounts, whose names allow almost any character
  (spaces and accents included); we refuse only what cannot be one URL path segment:
  '/', control characters, surrounding spaces, and names made of dots alone ("." and "..").

Pure Python: the profile forms ask `problem`, the clients escape what passes
(integrations.paths.path_segment).
"""

import re

from django.utils.translation import gettext_lazy as _

_LASTFM = re.compile(r"[A-Za-z][A-Za-z0-9_-]{1,14}")
_DISCOGS = re.compile(r"[A-Za-z0-9._-]{1,100}")
_LISTENBRAINZ = re.compile(r"[^/\x00-\x1f\x7f]{1,64}")

RULES = {
    "lastfm": (
        _LASTFM,
        _("A Last.fm username has 2 to 15 characters, only letters, digits, '-' or '_', and begins with a letter."),
    ),
    "discogs": (_DISCOGS, _("A Discogs username has only letters, digits, '.', '-' and '_'.")),
    "listenbrainz": (_LISTENBRAINZ, _("A ListenBrainz username has at most 64 characters and no '/'.")),
}


DEFAULT_RULE = (_DISCOGS, _("A username has only letters, digits, '.', '-' and '_'."))


def problem(source: str, username: str) -> str:
    """Why `username` cannot be a `source` username, or '' when it can."""
    pattern, rule = RULES.get(source, DEFAULT_RULE)
    if not pattern.fullmatch(username) or username.strip(".") == "" or username != username.strip():
        return str(rule)
    return ""

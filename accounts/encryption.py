"""Tokens and secrets at rest: encrypted under FIELD_ENCRYPTION_KEYS, read back by `decrypt`.

allauth stores OAuth tokens (SocialToken.token, .token_secret) and app secrets
(SocialApp.secret) as text. Signals (accounts.signals) encrypt those fields as any code saves
them, allauth's included, and decrypt them as rows load, so every reader, allauth and
accounts.services alike, sees plain values while the table and a pg_dump hold ciphertext.

Keys rotate: the first of FIELD_ENCRYPTION_KEYS encrypts, every one decrypts (MultiFernet),
and `manage.py reencrypt_secrets` rewrites every stored value under the first. Values from
before encryption (no prefix) read as they are until that command encrypts them.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from integrations.log_redaction import remember_secret

PREFIX = "fernet:"
# (model label, the fields holding a token or secret)
ENCRYPTED_FIELDS = {
    "socialaccount.SocialToken": ("token", "token_secret"),
    "socialaccount.SocialApp": ("secret",),
}


class UnknownKey(Exception):
    """A stored value was encrypted under a key that FIELD_ENCRYPTION_KEYS no longer lists."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _keys() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def is_encrypted(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def encrypt(value: str) -> str:
    """The value to store; empty and already encrypted values are kept as they are."""
    if not value or is_encrypted(value):
        return value
    return PREFIX + _keys().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    """The one accessor: the plain value of a stored one. The plain value is also handed to the
    log filter, so it is redacted from any log line that might carry it."""
    if not is_encrypted(stored):
        return stored
    try:
        plain = _keys().decrypt(stored.removeprefix(PREFIX).encode()).decode()
    except InvalidToken:
        raise UnknownKey("a stored secret was encrypted under a key not in FIELD_ENCRYPTION_KEYS") from None
    remember_secret(plain)
    return plain


def reencrypt(stored: str) -> str:
    """The stored value under the newest key (a plain legacy value gets encrypted)."""
    if not stored:
        return stored
    if not is_encrypted(stored):
        return encrypt(stored)
    token = stored.removeprefix(PREFIX).encode()
    try:
        return PREFIX + _keys().rotate(token).decode()
    except InvalidToken:
        raise UnknownKey("a stored secret was encrypted under a key not in FIELD_ENCRYPTION_KEYS") from None

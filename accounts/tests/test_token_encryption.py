"""OAuth tokens and app secrets are ciphertext in the database and plain to every reader; keys
rotate; no token, secret or key reaches a log line."""

import io
import logging
from datetime import timedelta

import pytest
import responses
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts import encryption
from accounts.factories import UserFactory
from accounts.sources.spotify import refresh_spotify_token
from integrations.log_redaction import remember_secret

from .recorded import SPOTIFY_TOKEN, recording

pytestmark = pytest.mark.django_db

ACCESS, REFRESH = "plain-access-token-4242", "plain-refresh-token-4242"


def _stored_tokens():
    """What a pg_dump or any SQL reader sees in allauth's token table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT token, token_secret FROM socialaccount_socialtoken")
        return [value for row in cursor.fetchall() for value in row]


def _spotify_token(user, **fields):
    account = SocialAccount.objects.create(user=user, provider="spotify", uid=f"spotify-{user.pk}")
    return SocialToken.objects.create(account=account, token=ACCESS, token_secret=REFRESH, **fields)


def test_a_token_saved_through_the_orm_is_ciphertext_in_the_table_and_plain_when_read():
    token = _spotify_token(UserFactory())
    stored = _stored_tokens()
    assert all(value.startswith(encryption.PREFIX) for value in stored)
    assert not any(ACCESS in value or REFRESH in value for value in stored)
    assert (token.token, token.token_secret) == (ACCESS, REFRESH)  # the saved instance stays usable
    again = SocialToken.objects.get(pk=token.pk)
    assert (again.token, again.token_secret) == (ACCESS, REFRESH)


def test_a_token_refreshed_by_our_spotify_code_is_stored_encrypted(settings):
    settings.SPOTIFY_CLIENT_ID = "vinilogy-client"
    token = _spotify_token(UserFactory(), expires_at=timezone.now() - timedelta(minutes=5))
    fresh = recording("spotify/token_pkce_refresh.json")
    with responses.RequestsMock() as api:
        api.post(SPOTIFY_TOKEN, json=fresh)
        refresh_spotify_token(SocialToken.objects.get(pk=token.pk))
    stored = _stored_tokens()
    assert not any(fresh["access_token"] in value or fresh["refresh_token"] in value for value in stored)
    assert SocialToken.objects.get(pk=token.pk).token == fresh["access_token"]


def test_an_app_secret_saved_in_the_admin_is_stored_encrypted():
    app = SocialApp.objects.create(provider="discogs", name="Discogs", client_id="consumer-key", secret="app-secret-777")
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM socialaccount_socialapp WHERE id = %s", [app.pk])
        assert "app-secret-777" not in cursor.fetchone()[0]
    assert SocialApp.objects.get(pk=app.pk).secret == "app-secret-777"


def test_rotation_reencrypts_every_value_under_the_newest_key(settings):
    old, new = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    _spotify_token(UserFactory())
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("reencrypt_secrets", stdout=io.StringIO())
    newest_only = Fernet(new)
    for value in _stored_tokens():
        newest_only.decrypt(value.removeprefix(encryption.PREFIX).encode())  # raises if still under the old key
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert SocialToken.objects.get().token == ACCESS


def test_a_value_stored_before_encryption_reads_as_it_is_and_the_command_encrypts_it():
    token = _spotify_token(UserFactory())
    SocialToken.objects.filter(pk=token.pk).update(token="legacy-plain-token")  # as rows were before
    assert SocialToken.objects.get(pk=token.pk).token == "legacy-plain-token"
    call_command("reencrypt_secrets", stdout=io.StringIO())
    assert "legacy-plain-token" not in _stored_tokens()
    assert SocialToken.objects.get(pk=token.pk).token == "legacy-plain-token"


def test_a_value_under_a_key_no_longer_configured_says_so(settings):
    token = _spotify_token(UserFactory())
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(encryption.UnknownKey):
        SocialToken.objects.get(pk=token.pk)


# --- logs ------------------------------------------------------------------------------------


@pytest.fixture
def console():
    """The text the site's log handler writes, with every logger at DEBUG."""
    handler = next(h for h in logging.getLogger().handlers if any(f.__class__.__name__ == "RedactSecrets" for f in h.filters))
    stream, root = io.StringIO(), logging.getLogger()
    previous_stream, previous_level = handler.setStream(stream), root.level
    root.setLevel(logging.DEBUG)
    yield stream
    handler.setStream(previous_stream)
    root.setLevel(previous_level)


@pytest.mark.parametrize(
    "line",
    [
        'Signing request with oauth_token="{t}", oauth_consumer_key="{k}"',  # oauthlib, at DEBUG
        "Collected params: [('oauth_token', '{t}'), ('oauth_consumer_key', '{k}')]",
        "GET https://api.discogs.com/oauth/identity?oauth_token={t}&token={k}",
        "token response {{'access_token': '{t}', 'refresh_token': '{k}'}}",
        "Authorization: Bearer {t} (consumer {k})",
    ],
)
def test_no_token_or_key_reaches_a_log_line_at_any_level(console, settings, line):
    settings.DISCOGS_CONSUMER_KEY = "consumer-key-31337"
    token = _spotify_token(UserFactory())
    SocialToken.objects.get(pk=token.pk)  # read through the accessor, as a sync does
    for level in (logging.DEBUG, logging.INFO, logging.ERROR):
        logging.getLogger("oauthlib.oauth1.rfc5849").log(level, line.format(t=ACCESS, k="consumer-key-31337"))
    written = console.getvalue()
    assert written.count("REDACTED") >= 3 and ACCESS not in written and "consumer-key-31337" not in written


def test_a_traceback_in_a_log_line_is_redacted_too(console):
    try:
        raise ValueError(f"refresh failed for {ACCESS}")
    except ValueError:
        remember_secret(ACCESS)  # as the accessor does for every token it decrypts
        logging.getLogger("accounts").exception("sync failed")
    assert ACCESS not in console.getvalue() and "sync failed" in console.getvalue()

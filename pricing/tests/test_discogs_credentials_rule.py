"""One rule for "Discogs has credentials" (integrations.discogs.credential_kinds): the console's
probe, both Discogs price sources and the anonymous warning agree, the consumer's secret included."""

import pytest

from integrations import discogs, providers
from pricing import sources


@pytest.fixture
def key_without_secret(settings):
    settings.DISCOGS_TOKEN, settings.DISCOGS_CONSUMER_KEY, settings.DISCOGS_CONSUMER_SECRET = "", "key", ""


@pytest.mark.django_db
def test_a_consumer_key_without_its_secret_is_no_credentials_anywhere(key_without_secret):
    assert discogs.credential_kinds() == []
    assert discogs.credentials_warning() is not None
    assert providers._discogs_credentials().ready is False
    assert sources.get("discogs").configuration().startswith("anonymous")
    assert sources.get("sellers").configuration().endswith("anonymous")


@pytest.mark.django_db
def test_a_token_and_a_full_consumer_are_both_named_everywhere(settings):
    settings.DISCOGS_TOKEN, settings.DISCOGS_CONSUMER_KEY, settings.DISCOGS_CONSUMER_SECRET = "t", "key", "secret"
    assert discogs.credential_kinds() == ["personal token", "OAuth consumer"]
    assert providers._discogs_credentials().detail == "personal token + OAuth consumer"
    assert sources.get("discogs").configuration() == "personal token + OAuth consumer"
    assert sources.get("sellers").configuration().endswith("personal token + OAuth consumer")

"""Spotify and Discogs without app keys: every login, callback and disconnect says so, no 500."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PROVIDERS = [("spotify", "Spotify"), ("discogs", "Discogs")]


@pytest.fixture(autouse=True)
def _no_app_keys(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        provider: {**conf, "APPS": []} for provider, conf in settings.SOCIALACCOUNT_PROVIDERS.items()
    }


def _messages(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("provider, name", PROVIDERS)
@pytest.mark.parametrize("step", ["login", "callback"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_login_without_app_keys_says_the_provider_is_not_configured(client, provider, name, step, method):
    response = getattr(client, method)(reverse(f"{provider}_{step}"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("account_login")
    assert f"{name} is not configured on this site, so it cannot be used now." in _messages(response)


@pytest.mark.parametrize("provider, name", PROVIDERS)
def test_disconnecting_an_account_without_app_keys_says_not_configured(client, provider, name):
    user = UserFactory()
    client.force_login(user)
    account = SocialAccount.objects.create(user=user, provider=provider, uid="42")
    response = client.post(reverse("accounts:source_disconnect", args=[account.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:onboarding")
    assert any("is not configured on this site" in message for message in _messages(response))
    assert SocialAccount.objects.filter(pk=account.pk).exists()


def test_allauths_own_connections_page_says_not_configured_too(client):
    user = UserFactory()
    client.force_login(user)
    account = SocialAccount.objects.create(user=user, provider="spotify", uid="42")
    response = client.post(reverse("socialaccount_connections"), {"account": account.pk}, follow=True)
    assert response.status_code == 200
    assert any("is not configured on this site" in message for message in _messages(response))

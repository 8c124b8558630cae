"""Where signing in lands: operators on the admin, listeners on their recommendations."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    user.set_password("a-long-password-9")
    user.save()
    return client.post(reverse("account_login"), {"login": user.username, "password": "a-long-password-9"})


def test_an_operator_lands_on_the_admin(client):
    response = sign_in(client, UserFactory(username="op", is_staff=True))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_a_listener_lands_on_their_recommendations(client):
    response = sign_in(client, UserFactory(username="ana"))
    assert response.status_code == 302 and response["Location"] == reverse("recommendations:page")


def test_an_explicit_next_still_wins_for_an_operator(client):
    user = UserFactory(username="op", is_staff=True)
    user.set_password("a-long-password-9")
    user.save()
    response = client.post(f"{reverse('account_login')}?next=/wantlist/", {"login": "op", "password": "a-long-password-9"})
    assert response["Location"] == "/wantlist/"

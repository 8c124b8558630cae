"""The login throttle counts the real client behind our proxy, and each account once.

Behind one proxy (TRUSTED_PROXY_COUNT=1) every request arrives from the proxy's address with
the client's address appended to X-Forwarded-For; a client reaching gunicorn directly
(TRUSTED_PROXY_COUNT=0) cannot choose its address with that header. The per-account count
covers the username and the email of one account together. The throttle's state is in the
cache: Redis on the CI PostgreSQL leg, where this file runs too.
"""

import uuid

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.factories import UserFactory
from integrations.client_address import client_address

pytestmark = pytest.mark.django_db

PASSWORD = "vinyl-lover-123"
PROXY = "10.0.0.2"


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def make_listener():
    """A listener named for this run: on Redis the throttle's counts outlive the test database."""
    return lambda: UserFactory(username=f"listener-{uuid.uuid4().hex[:8]}")


def _login(client, login, password, **meta):
    return client.post(reverse("account_login"), {"login": login, "password": password}, **meta)


def _via_proxy(client, login, password, client_ip):
    return _login(client, login, password, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)


def _signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def _refused(response):
    return "too many failed login attempts" in response.content.decode().lower()


def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended(behind_one_proxy):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert client_address(request) == "198.51.100.7"


def test_with_no_trusted_proxy_a_forwarded_for_header_is_ignored():
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(request) == "198.51.100.7"


def test_an_ipv6_client_is_counted_as_its_64_network():
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    assert client_address(request) == "2001:db8:1:2::"


def test_behind_a_proxy_five_failures_from_one_client_lock_neither_another_client_nor_another_account(
    client, behind_one_proxy, make_listener
):
    ana, bea = make_listener(), make_listener()
    for _ in range(5):
        _via_proxy(client, f"nobody-{uuid.uuid4().hex[:8]}", "wrong", "203.0.113.9")
    assert _refused(_via_proxy(client, "nobody-else", "wrong", "203.0.113.9"))  # that client is throttled
    assert _signed_in(_via_proxy(client, ana.username, PASSWORD, "198.51.100.7"))
    client.logout()
    assert _signed_in(_via_proxy(client, bea.email, PASSWORD, "198.51.100.8"))


def test_behind_a_proxy_five_failures_for_one_account_lock_it_from_every_client(client, behind_one_proxy, make_listener):
    ana = make_listener()
    for n in range(5):
        _via_proxy(client, ana.username, "wrong", f"203.0.113.{n + 1}")
    assert not _signed_in(_via_proxy(client, ana.username, PASSWORD, "198.51.100.7"))


def test_a_direct_client_cannot_escape_its_count_by_forging_forwarded_for(client, make_listener):
    ana = make_listener()
    for n in range(5):
        _login(client, f"nobody-{n}", "wrong", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    forged = _login(client, ana.username, PASSWORD, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert not _signed_in(forged)


@pytest.mark.parametrize("sixth", ["username", "email", "EMAIL"])
def test_username_and_email_of_one_account_count_together(client, make_listener, sixth):
    ana = make_listener()
    typed = [ana.username, ana.email, ana.username.upper(), ana.email.upper(), ana.username]
    for n, login in enumerate(typed):
        assert not _refused(_login(client, login, "wrong", REMOTE_ADDR=f"203.0.113.{n + 1}"))
    login = {"username": ana.username, "email": ana.email, "EMAIL": ana.email.upper()}[sixth]
    assert _refused(_login(client, login, "wrong", REMOTE_ADDR="198.51.100.7"))
    assert not _signed_in(_login(client, login, PASSWORD, REMOTE_ADDR="198.51.100.8"))


def test_failures_for_a_login_that_names_no_account_do_not_touch_real_accounts(client, make_listener):
    ana = make_listener()
    for n in range(5):
        _login(client, "ghost@example.com", "wrong", REMOTE_ADDR=f"203.0.113.{n + 1}")
    assert _refused(_login(client, "GHOST@example.com", "wrong", REMOTE_ADDR="198.51.100.7"))
    assert _signed_in(_login(client, ana.email, PASSWORD, REMOTE_ADDR="198.51.100.8"))

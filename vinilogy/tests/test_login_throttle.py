"""One login throttle for every login form: the 6th failure in 5 minutes, for one account or
from one IP, is refused, and so is the right password until the window passes."""

import uuid
from datetime import timedelta
from itertools import count
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-passphrase-1"
_ips = count(1)


@pytest.fixture
def ip():
    """An address of this test's own: the throttle counts per IP in the shared cache."""
    return f"10.{next(_ips)}.{timezone.now().microsecond % 250}.7"


@pytest.fixture
def operator(django_user_model):
    """A staff account named for this run: the throttle also counts per account in the cache,
    which on Redis outlives the test database."""
    name = f"operator-{uuid.uuid4().hex[:8]}"
    return django_user_model.objects.create_superuser(name, f"{name}@vinilogy.local", PASSWORD)


def _login(client, login, password, ip):
    return client.post(reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=ip)


def _signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def test_the_admin_login_page_is_allauths_sign_in_with_the_next_page_kept(client):
    response = client.get("/admin/login/?next=/admin/catalog/")
    location = urlsplit(response["Location"])
    assert (response.status_code, location.path) == (302, reverse("account_login"))
    assert parse_qs(location.query)["next"] == ["/admin/catalog/"]


def test_posting_passwords_to_the_admin_login_never_signs_in(client, operator):
    response = client.post("/admin/login/", {"username": operator.username, "password": PASSWORD})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert "_auth_user_id" not in client.session


def test_the_admin_login_does_not_send_a_visitor_to_another_site(client):
    location = client.get("/admin/login/?next=https://evil.example/").headers["Location"]
    assert parse_qs(urlsplit(location).query)["next"] == ["/admin/"]


def test_a_signed_in_listener_without_staff_rights_is_refused_not_bounced(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("ana", password=PASSWORD))
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_five_failures_for_one_account_are_answered_and_the_sixth_is_refused(client, operator, ip):
    for _ in range(5):
        assert "too many" not in _login(client, operator.username, "wrong", ip).content.decode().lower()
    refused = _login(client, operator.username, "wrong", ip)
    assert "too many failed login attempts" in refused.content.decode().lower()


def test_after_five_failures_the_right_password_is_refused_too_until_the_window_passes(client, operator, ip):
    for _ in range(5):
        _login(client, operator.username, "wrong", ip)
    assert not _signed_in(_login(client, operator.username, PASSWORD, ip))
    assert not _signed_in(_login(client, operator.username, PASSWORD, "192.0.2.99"))  # the account is throttled anywhere


def test_failures_from_one_ip_throttle_it_for_every_account(client, django_user_model, ip):
    bea = django_user_model.objects.create_user(f"bea-{uuid.uuid4().hex[:8]}", password=PASSWORD)
    for _ in range(5):
        _login(client, f"nobody-{uuid.uuid4().hex[:8]}", "wrong", ip)
    assert not _signed_in(_login(client, bea.username, PASSWORD, ip))
    assert _signed_in(_login(client, bea.username, PASSWORD, "198.51.100.4"))


def test_once_the_window_passes_the_right_password_signs_in(client, operator, ip, monkeypatch):
    for _ in range(6):
        _login(client, operator.username, "wrong", ip)
    later = timezone.now() + timedelta(minutes=5, seconds=1)
    monkeypatch.setattr("allauth.core.internal.ratelimit.time.time", lambda: later.timestamp())
    assert _signed_in(_login(client, operator.username, PASSWORD, ip))

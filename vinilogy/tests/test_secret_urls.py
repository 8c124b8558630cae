"""URLs with a secret in their path (read from the URLconf): the secret never reaches a log line
(gunicorn's access log, runserver's, Django's "Not Found: /…"), their pages are never cached,
and the emailed deletion link keeps its two days."""

import io
import logging
import runpy
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import URLResolver, get_resolver, reverse
from gunicorn.config import Config
from gunicorn.glogging import Logger

from accounts.factories import UserFactory
from alerts.models import AlertSettings
from integrations.redact import is_secret_param
from vinilogy import personal_data
from vinilogy.secret_urls import RedactAccessLog, redact_path, redact_secret_paths

SECRET = "Sekrit4tokenVALUE"
# Keywords that name no secret: row ids and the few others the URLconf has. A new keyword must
# be one of these or a secret parameter name (integrations.redact), so a secret path segment
# never goes unredacted for want of a name.
PUBLIC_KEYWORDS = {"id", "kind", "source", "app_label", "url", "uidb36", "section"}  # section: a sitemap section name


def _secret_urls():
    """(url name, path with SECRET in each secret segment) of every URL with a secret keyword."""
    found = []
    for name, keywords in _keywords_by_name(get_resolver()).items():
        if any(is_secret_param(k) for k in keywords):
            kwargs = {k: SECRET if is_secret_param(k) else "3f" for k in keywords}
            found.append((name, reverse(name, kwargs=kwargs)))
    return sorted(found)


def _keywords_by_name(resolver, namespace=""):
    names = {}
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            for name, keywords in _keywords_by_name(entry, inner).items():
                names[name] = keywords | set(entry.pattern.regex.groupindex)
        elif entry.name:
            names[f"{namespace}{entry.name}"] = set(entry.pattern.regex.groupindex)
    return names


SECRET_URLS = _secret_urls()


def test_the_secret_urls_are_read_from_the_urlconf():
    names = {name for name, _ in SECRET_URLS}
    assert {
        "alerts:feed",
        "alerts:unsubscribe",
        "delete_account_confirm",
        "account_confirm_email",
        "account_reset_password_from_key",
    } <= names


def test_every_url_keyword_is_a_row_id_a_known_public_name_or_a_secret():
    keywords = set().union(*_keywords_by_name(get_resolver()).values())
    unclassified = {k for k in keywords if not (k.endswith("_id") or k in PUBLIC_KEYWORDS or is_secret_param(k))}
    assert not unclassified, f"name these secret (integrations.redact.SECRET_PARAMS) or public: {unclassified}"


@pytest.mark.parametrize(("name", "path"), SECRET_URLS, ids=[name for name, _ in SECRET_URLS])
def test_every_secret_url_is_redacted_in_a_request_line_and_a_referer(name, path):
    line = f'1.2.3.4 - - [07/Dec/2026:10:00:00 +0000] "GET {path}?page=2 HTTP/1.1" 200 5 "https://vinilogy.example.com{path}" "Mozilla/5.0"'
    redacted = redact_secret_paths(line)
    assert SECRET not in redacted and redacted.count("REDACTED") == 2
    assert "?page=2 HTTP/1.1" in redacted and "https://vinilogy.example.com/" in redacted


@pytest.mark.parametrize("path", ["/alerts/feed/rotate/", "/account/data/delete/link/", "/alerts/", "/recommendations/"])
def test_urls_without_a_secret_are_left_as_they_are(path):
    assert redact_path(path) == path


def test_gunicorn_reads_the_redacting_filter_for_its_access_and_error_logs():
    config = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))["logconfig_dict"]
    assert config["filters"]["redact"]["()"] == "vinilogy.secret_urls.RedactAccessLog"
    for logger in ("gunicorn.access", "gunicorn.error"):
        assert all("redact" in config["handlers"][h]["filters"] for h in config["loggers"][logger]["handlers"])


def test_a_gunicorn_access_line_holds_no_secret(tmp_path):
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    log = Logger(cfg)
    try:
        log.access_log.handlers[0].addFilter(RedactAccessLog())
        unsubscribe = reverse("alerts:unsubscribe", args=[SECRET])
        environ = {
            "REQUEST_METHOD": "POST",
            "RAW_URI": unsubscribe,
            "PATH_INFO": unsubscribe,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "QUERY_STRING": "",
            "REMOTE_ADDR": "10.0.0.2",
            "HTTP_USER_AGENT": "Mail/1.0",
            "HTTP_REFERER": f"https://vinilogy.example.com/accounts/spotify/login/callback/?code={SECRET}&state=x",
        }
        response = SimpleNamespace(status="200 OK", sent=5, headers=[])
        log.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=3))
    finally:
        for logger in (log.access_log, log.error_log):  # gunicorn's handlers on the global loggers
            for handler in list(logger.handlers):
                handler.close()
                logger.removeHandler(handler)
    written = (tmp_path / "access.log").read_text()
    assert '"POST /alerts/unsubscribe/REDACTED/ HTTP/1.1" 200' in written and "code=REDACTED" in written
    assert SECRET not in written


@contextmanager
def _stream_of(handler):
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def test_runservers_request_log_holds_no_secret():
    server_log = logging.getLogger("django.server")
    with _stream_of(server_log.handlers[0]) as stream:
        server_log.info(
            '"%s" %s %s',
            f"GET {reverse('alerts:feed', args=[SECRET])} HTTP/1.1",
            "200",
            "512",
            extra={"server_time": "now", "status_code": 200},
        )
    assert "GET /alerts/feed/REDACTED/ HTTP/1.1" in stream.getvalue() and SECRET not in stream.getvalue()


@pytest.mark.django_db
def test_djangos_not_found_warning_holds_no_secret(client):
    console = next(h for h in logging.getLogger().handlers if getattr(h, "name", "") == "console")
    with _stream_of(console) as stream:
        assert client.get(reverse("alerts:unsubscribe", args=[SECRET])).status_code == 404
    assert "/alerts/unsubscribe/REDACTED/" in stream.getvalue() and SECRET not in stream.getvalue()


def _private(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",")} >= {"private", "no-store"}


@pytest.mark.django_db
def test_the_atom_feed_a_reader_fetches_without_a_session_is_private_and_not_stored(client):
    token = AlertSettings.for_user(UserFactory()).feed_token
    response = client.get(reverse("alerts:feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    assert _private(response)


@pytest.mark.django_db
def test_an_unsubscribe_page_and_allauths_key_pages_are_private_and_not_stored(client):
    from alerts import delivery

    user = UserFactory()
    assert _private(client.get(reverse("alerts:unsubscribe", args=[delivery.unsubscribe_token(user)])))
    assert _private(client.get(reverse("account_confirm_email", args=[SECRET])))


@pytest.mark.django_db
@pytest.mark.parametrize(("hours", "status"), [(47, 200), (49, 404)])
def test_the_emailed_deletion_link_keeps_its_two_days(client, monkeypatch, hours, status):
    user = UserFactory()
    link = reverse("delete_account_confirm", args=[personal_data.delete_link_token(user)])
    later = time.time() + hours * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    client.force_login(user)
    response = client.get(link)
    assert response.status_code == status
    assert _private(response)

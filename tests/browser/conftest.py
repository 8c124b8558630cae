"""Browser tests: Debian's chromium driven by playwright against a live server over the real
offline demo catalog (`manage.py load_demo`: recorded data only, see vinilogy/demo.py).

Never `playwright install` (it downloads browsers): the tests use /usr/bin/chromium and skip,
saying why, when it is missing. Screenshots land in artifacts/screenshots/ (git-ignored).
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.test.utils import modify_settings

from vinilogy.demo import DEMO_USERNAME

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
# Set here, never read from .operator-credentials: that file belongs to the developer's own site.
DEMO_PASSWORD = "demo-listener-pass-1"
OPERATOR_USERNAME = "operator"
OPERATOR_PASSWORD = "operator-pass-1"
# Read at collection, before pytest-django points the connection at the test database: the
# demo must never be loaded into the developer's own one.
CONFIGURED_DATABASE = settings.DATABASES["default"]["NAME"]
# What a page must never fetch from another host: the site serves its own code (no CDN links).
CODE_RESOURCES = {"script", "stylesheet", "font"}


@dataclass
class DemoSite:
    url: str
    listener: AbstractBaseUser


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason="needs Debian's chromium at /usr/bin/chromium: apt-get install -y chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="package", autouse=True)
def _orm_beside_playwright():
    """The ORM calls in these tests share a thread with playwright's event loop. Set for this
    package only, so nothing else in the session (a `check --deploy` subprocess) inherits it."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def demo_site(django_db_setup, django_db_blocker, shared_demo, browser):
    """A live server over the demo catalog: the session's one load (tests/shared_demo.py), which
    the other demo tests used before these (they roll their writes back; these commit).

    Not pytest-django's live_server: it makes every test transactional, and the flush after each
    would mean loading the catalog again per test. So the tests share one catalog and see each
    other's writes (a dismissal, a seed artist): each sets up what it relies on. After the last
    of them the shared demo empties the database, so the rest of the session starts from a fresh
    one as usual.

    Set up after the browser on purpose: while playwright's event loop runs, Django gives this
    thread a connection apart from the one it had before, which only code run then can close;
    left open, it would stop pytest-django dropping the PostgreSQL test database."""
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    assert connection.settings_dict["NAME"] != CONFIGURED_DATABASE, "no test database: mark the tests django_db"

    shared_demo.ensure_loaded()
    with django_db_blocker.unblock(), modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        server = LiveServer("localhost")
        yield DemoSite(server.url, _known_logins())
        server.stop()
        connection.close()


def _known_logins():
    """The listener load_demo made and an operator, as setup_local makes them but with passwords
    the tests know. Returns the listener."""
    User = get_user_model()
    User.objects.create_superuser(OPERATOR_USERNAME, f"{OPERATOR_USERNAME}@vinilogy.local", OPERATOR_PASSWORD)
    listener = User.objects.get(username=DEMO_USERNAME)
    listener.set_password(DEMO_PASSWORD)
    listener.save(update_fields=["password"])
    return listener


@pytest.fixture
def _django_db_helper():
    """Replaces pytest-django's per-test transaction (or flush): these tests run on the catalog
    demo_site committed, which the live server's own connections must see. The django_db marker
    stays on the tests, as it is what makes pytest-django create the test database."""
    yield


@pytest.fixture(scope="package")
def browser(_orm_beside_playwright):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def screenshot():
    """screenshot(page, "recommendations") saves recommendations-<width>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name):
        width = page.viewport_size["width"]
        suffix = "desktop" if width >= 1000 else f"{width}px"
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{suffix}.png"), full_page=True)
        if width < 1000:  # on a phone, also what the first screen shows
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{suffix}-first-screen.png"))

    return save


@pytest.fixture
def outside_requests():
    """(resource type, url) of every request a page made to another host, each refused.

    Real demo albums hotlink their covers (Discogs) and embed Spotify; refusing keeps the tests
    off the network, and `code_from_outside` tells those apart from a script or stylesheet."""
    return []


def code_from_outside(outside_requests):
    return [url for kind, url in outside_requests if kind in CODE_RESOURCES]


# Reports every Content-Security-Policy violation of the page to the test (init scripts run
# outside the page's CSP, so reporting cannot itself be refused).
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(`${event.violatedDirective} refused ${event.blockedURI || "inline code"} on ${event.documentURI}`);
});
"""


@pytest.fixture
def new_page(browser, demo_site, outside_requests):
    """A page in a fresh context; the test fails if any page broke the CSP, seen either as a
    securitypolicyviolation event or as chromium's console message about it."""
    contexts, violations = [], []

    def open_page(viewport=DESKTOP, storage_state=None):
        context = browser.new_context(viewport=viewport, base_url=demo_site.url, storage_state=storage_state)
        context.set_default_timeout(10_000)
        context.route(lambda url: _is_outside(url, demo_site.url), lambda route: _refuse(route, outside_requests))
        context.expose_function("reportCspViolation", lambda text: violations.append(text))
        context.add_init_script(_REPORT_CSP_VIOLATIONS)
        context.on("console", lambda message: _note_csp_console(message, violations))
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert violations == [], "Content-Security-Policy violations in the browser"


def _note_csp_console(message, violations):
    if "Content Security Policy" in message.text:
        violations.append(message.text)


def _is_outside(url, base):
    return not url.startswith(base) and not url.startswith(("data:", "about:", "blob:"))


def _refuse(route, seen):
    seen.append((route.request.resource_type, route.request.url))
    route.abort("blockedbyclient")


def sign_in(page, username, password, next_url="/recommendations/"):
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"**{next_url}")

"""Browser tests: Debian's chromium driven by playwright against pytest-django's live server.

Never `playwright install` (it downloads browsers): the tests use /usr/bin/chromium and skip,
saying why, when it is missing. Screenshots land in artifacts/screenshots/ (git-ignored).
"""
import os
from pathlib import Path

import pytest


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


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
    """Every request a page makes to a host other than the live server, to assert there are none."""
    return []


@pytest.fixture
def new_page(browser, live_server, outside_requests):
    contexts = []

    def open_page(viewport=DESKTOP, storage_state=None):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, storage_state=storage_state)
        context.set_default_timeout(10_000)
        context.on("request", lambda request: _note_outside(request.url, live_server.url, outside_requests))
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _note_outside(url, base, seen):
    if not url.startswith(base) and not url.startswith(("data:", "about:", "blob:")):
        seen.append(url)


def sign_in(page, username, password, next_url="/recommendations/"):
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"**{next_url}")

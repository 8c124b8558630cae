"""The alerts page's instant channels in a real browser over the demo: the listener adds two ntfy
topics (on this test's own server, one that refuses), sends each a test and reads the last
delivery of one and the refusal of the other in words; the browser-notifications button is
offered (the site has VAPID keys) and the service worker loads under the CSP. Screenshots of the
section at 1,400 and 375 px."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from alerts.models import InstantChannel

from .conftest import DEMO_PASSWORD, SCREENSHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# A P-256 key pair made for this test only (no site's real key): private scalar and public point, base64url.
VAPID_PRIVATE = "Zl41NAHiruT66Z0ETBV_xgBenvNiS72hE7mVu3XA5WI"
VAPID_PUBLIC = "BMmDH0enzQi3P5VV2tUaqbnDSvBAv9iv2RURW9J17-x_dx-uKj-rlh1DJCEsJcLiwcQ7d1yJ5HJyjz-GysVdLrQ"


class Ntfy(BaseHTTPRequestHandler):
    """A stand-in ntfy server: the /locked topic wants a token (403), any other takes the message."""

    received = []

    def do_POST(self):
        self.received.append((self.path, self.rfile.read(int(self.headers.get("Content-Length") or 0))))
        self.send_response(403 if self.path == "/locked" else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def ntfy(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ntfy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    netloc = f"127.0.0.1:{server.server_address[1]}"
    settings.ALERT_ENDPOINT_ALLOWED_HOSTS = [netloc]
    settings.HTTP_MAX_RETRIES = 0
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = VAPID_PRIVATE, VAPID_PUBLIC
    yield f"http://{netloc}"
    server.shutdown()
    server.server_close()


def _add_topic(page, url, name):
    page.fill("input[name=endpoint]", url)
    page.fill("input[name=name]", name)
    page.click("#channels form button[type=submit]:has-text('Add ntfy topic')")
    page.wait_for_url("**/alerts/#channels")


def test_listener_adds_ntfy_topics_tests_them_and_reads_their_state(demo_site, new_page, ntfy):
    InstantChannel.objects.filter(user=demo_site.listener).delete()
    page = new_page(viewport={"width": 1400, "height": 900})
    sign_in(page, "demo", DEMO_PASSWORD, next_url="/alerts/")

    _add_topic(page, f"{ntfy}/demo-phone-topic", "Pixel")
    _add_topic(page, f"{ntfy}/locked", "Old tablet")
    for channel in page.locator(".channel").all():
        channel.locator("button:has-text('Send a test')").click()
        page.wait_for_url("**/alerts/#channels")
    page.reload()

    section = page.locator("#channels")
    expect(section.locator(".channel", has_text="Pixel")).to_contain_text("Last delivery:")
    expect(section.locator(".channel", has_text="Old tablet")).to_contain_text(
        "The server refused the message: it asks for a password or token."
    )
    expect(page.locator("#push-subscribe")).to_be_visible()  # this browser can subscribe
    assert [path for path, _ in Ntfy.received][-2:] == ["/demo-phone-topic", "/locked"]
    assert page.evaluate("fetch('/sw.js').then(r => r.status)") == 200

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=str(SCREENSHOTS / "alerts-channels-1400px.png"))
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing overflows a phone
    section.screenshot(path=str(SCREENSHOTS / "alerts-channels-375px.png"))

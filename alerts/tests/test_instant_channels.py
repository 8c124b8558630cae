"""Instant alerts on ntfy and Web Push, against a local fake endpoint this module runs (a tiny
HTTP server in a thread: no external traffic). A watch delivers to the ntfy topic at once; a
delivery is claimed once per notification and channel, retried on a 5xx, recorded in the API-call
log with only the host; a Web Push message decrypts with the browser's keys the test made and
carries a VAPID signature; a subscription the push service says is gone (410) is removed; an
address on our own network is refused unless the site allows its host."""

import base64
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse

from accounts.factories import UserFactory
from alerts import channels
from alerts.factories import NotificationFactory, WatchFactory
from alerts.models import ChannelDelivery, InstantChannel, Notification, Watch
from alerts.tests.test_watches import observe
from catalog.factories import ReleaseFactory
from integrations.errors import Unavailable
from integrations.instant import EndpointRefused, check_endpoint
from integrations.models import ApiCall
from pricing.models import PriceQuote

pytestmark = pytest.mark.django_db


class FakeEndpoint:
    """Answers each POST with the next scripted status (200 when none is left) and keeps what it got."""

    def __init__(self):
        self.received, self.statuses = [], []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                endpoint.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.send_response(endpoint.statuses.pop(0) if endpoint.statuses else 200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.netloc = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://{self.netloc}{path}"


@pytest.fixture
def endpoint(settings):
    fake = FakeEndpoint()
    settings.ALERT_ENDPOINT_ALLOWED_HOSTS = [fake.netloc]  # as a self-hosted ntfy beside the site
    settings.HTTP_MAX_RETRIES = 0  # the task retries; the HTTP layer's own retries are tested elsewhere
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _point(private_key):
    return private_key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


@pytest.fixture
def vapid(settings):
    """The site's VAPID key pair, as the environment would give it."""
    key = ec.generate_private_key(ec.SECP256R1())
    settings.VAPID_PRIVATE_KEY = b64(key.private_numbers().private_value.to_bytes(32, "big"))
    settings.VAPID_PUBLIC_KEY = b64(_point(key))
    settings.VAPID_SUBJECT = "mailto:alerts@vinilogy.test"
    return key


@pytest.fixture
def browser():
    """A browser's push keys: what PushManager.subscribe() would make."""
    return {"key": ec.generate_private_key(ec.SECP256R1()), "auth": b"sixteen-byte-sec"}


def ntfy_channel(user, endpoint, topic="/vinilogy-ana-7f3a"):
    return InstantChannel.objects.create(user=user, kind="ntfy", endpoint=endpoint.url(topic), name="phone")


def push_channel(user, endpoint, browser, path="/push/abc123"):
    return InstantChannel.objects.create(
        user=user, kind="webpush", endpoint=endpoint.url(path), p256dh=b64(_point(browser["key"])), auth=b64(browser["auth"])
    )


def test_a_watch_delivers_to_a_test_ntfy_endpoint(endpoint, django_capture_on_commit_callbacks):
    pressing = ReleaseFactory(album__title="OK Computer", album__artist__name="Radiohead", country="Europe", year=2024)
    watch = WatchFactory(album=pressing.album, max_total_eur=Decimal("30.00"))
    watch.user.profile.country = "ES"
    watch.user.profile.save()
    channel = ntfy_channel(watch.user, endpoint)

    with django_capture_on_commit_callbacks(execute=True):
        observe(pressing, "21.00", shipping="6.90")

    [notification] = Notification.objects.filter(watch=watch)
    [sent] = endpoint.received
    assert sent["path"] == "/vinilogy-ana-7f3a"
    assert sent["body"].decode() == notification.message and "OK Computer" in sent["body"].decode()
    assert sent["headers"]["Title"].startswith("Vinilogy") and sent["headers"]["Tags"] == "moneybag"
    assert sent["headers"]["Click"] == notification.url
    channel.refresh_from_db()
    assert channel.last_delivery_at and not channel.last_error
    assert ChannelDelivery.objects.get(notification=notification, channel=channel).state == "sent"
    [call] = ApiCall.objects.filter(provider="ntfy")
    assert call.status_code == 200 and "vinilogy-ana" not in call.endpoint  # the topic is a secret


def test_a_notification_is_sent_once_per_channel_however_often_it_is_delivered(endpoint):
    note = NotificationFactory()
    channel = ntfy_channel(note.user, endpoint)
    assert channels.deliver(note.pk, channel.pk) is True
    assert channels.deliver(note.pk, channel.pk) is False
    assert channels.deliver_all(note.pk) == 0
    assert len(endpoint.received) == 1


def test_a_5xx_is_retried_and_the_message_then_goes_out_once(endpoint):
    note = NotificationFactory()
    channel = ntfy_channel(note.user, endpoint)
    endpoint.statuses = [503]
    with pytest.raises(Unavailable):
        channels.deliver_all(note.pk)
    row = ChannelDelivery.objects.get()
    assert row.state == "retry" and "503" in row.error
    channel.refresh_from_db()
    assert channel.last_error and "503" not in channel.last_error  # the listener reads words, not a status

    assert channels.deliver_all(note.pk) == 1  # the task's retry
    row.refresh_from_db()
    assert (row.state, row.attempts, len(endpoint.received)) == ("sent", 2, 2)


def test_the_task_asks_to_be_retried_on_a_transient_failure_and_its_retry_sends(endpoint, django_capture_on_commit_callbacks):
    from celery.exceptions import Retry

    from alerts import notify, tasks

    user = UserFactory()
    ntfy_channel(user, endpoint)
    endpoint.statuses = [502]
    with pytest.raises(Retry), django_capture_on_commit_callbacks(execute=True):  # eager Celery raises what a worker schedules
        note = notify.create(user, Notification.Kind.ALBUM, ReleaseFactory().album, "A new studio album.")
    assert ChannelDelivery.objects.get().state == "retry"

    tasks.deliver_instant.apply(args=[note.pk])  # the broker runs the retry
    assert [r["body"] for r in endpoint.received] == [b"A new studio album.", b"A new studio album."]
    assert ChannelDelivery.objects.get().state == "sent"


def test_a_refused_message_is_not_retried_and_says_why(endpoint):
    note = NotificationFactory()
    channel = ntfy_channel(note.user, endpoint)
    endpoint.statuses = [403]
    assert channels.deliver_all(note.pk) == 0
    assert ChannelDelivery.objects.get().state == "failed"
    channel.refresh_from_db()
    assert channel.last_error == "The server refused the message: it asks for a password or token."


def test_a_web_push_message_decrypts_with_the_browsers_keys_and_is_vapid_signed(endpoint, vapid, browser):
    note = NotificationFactory(
        message="A 2024 Europe LP pressing of OK Computer appeared.", url="https://www.discogs.com/sell/item/1"
    )
    push_channel(note.user, endpoint, browser)

    assert channels.deliver_all(note.pk) == 1

    [sent] = endpoint.received
    assert sent["headers"]["Content-Encoding"] == "aes128gcm" and int(sent["headers"]["TTL"]) > 0
    plain = http_ece.decrypt(sent["body"], private_key=browser["key"], auth_secret=browser["auth"], version="aes128gcm")
    payload = json.loads(plain)
    assert payload["body"] == note.message and payload["url"] == note.url and payload["title"].startswith("Vinilogy")
    scheme, params = sent["headers"]["Authorization"].split(" ", 1)
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert scheme == "vapid" and fields["k"] == b64(_point(vapid))
    claims = json.loads(unb64(fields["t"].split(".")[1]))
    assert claims["aud"] == f"http://{endpoint.netloc}" and claims["sub"] == "mailto:alerts@vinilogy.test"


def test_a_subscription_the_push_service_says_is_gone_is_removed(endpoint, vapid, browser):
    note = NotificationFactory()
    channel = push_channel(note.user, endpoint, browser)
    endpoint.statuses = [410]
    assert channels.deliver_all(note.pk) == 0
    assert not InstantChannel.objects.filter(pk=channel.pk).exists()
    assert not ChannelDelivery.objects.exists()


def test_a_disabled_channel_gets_nothing(endpoint):
    note = NotificationFactory()
    channel = ntfy_channel(note.user, endpoint)
    channel.enabled = False
    channel.save()
    assert channels.deliver_all(note.pk) == 0 and not endpoint.received


def _resolves_to(address):
    return lambda host, port, type: [(2, 1, 6, "", (address, port))]


@pytest.mark.parametrize(
    "url",
    [
        "http://ntfy.sh/topic",  # not https
        "https://127.0.0.1/topic",
        "https://10.1.2.3/topic",
        "https://[::1]/topic",
        "https://169.254.169.254/latest",
        "https://localhost/topic",
        "https://ntfy.internal/topic",
        "https://user:pw@ntfy.sh/topic",
        "https://[/topic",
    ],
)
def test_an_address_on_our_own_network_or_without_https_is_refused(url):
    with pytest.raises(EndpointRefused):
        check_endpoint(url, resolve=_resolves_to("93.184.216.34"))


def test_a_name_that_resolves_to_a_private_address_is_refused_and_a_public_one_passes():
    with pytest.raises(EndpointRefused):
        check_endpoint("https://ntfy.example.com/t", resolve=_resolves_to("192.168.1.20"))
    check_endpoint("https://ntfy.example.com/t", resolve=_resolves_to("93.184.216.34"))
    check_endpoint("http://ntfy.lan:8080/t", allowed_hosts=["ntfy.lan:8080"])  # self-hosted, allowed by the site


def test_the_send_time_check_refuses_a_host_the_site_does_not_allow(endpoint, settings):
    note = NotificationFactory()
    channel = ntfy_channel(note.user, endpoint)
    settings.ALERT_ENDPOINT_ALLOWED_HOSTS = []
    assert channels.deliver_all(note.pk) == 0 and not endpoint.received
    channel.refresh_from_db()
    assert "https" in channel.last_error


def test_the_page_adds_an_ntfy_topic_sends_a_test_and_shows_its_state(client, endpoint):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("alerts:channel_add"), {"endpoint": endpoint.url("/ana-secret-topic"), "name": "Pixel"})
    assert response.status_code == 302
    channel = InstantChannel.objects.get(user=user)
    client.post(reverse("alerts:channel_test", args=[channel.pk]))
    [sent] = endpoint.received
    assert sent["headers"]["Title"] == "Vinilogy: a test"
    page = client.get(reverse("alerts:inbox")).content.decode()
    assert "Pixel" in page and "Last delivery" in page and "Send a test" in page


def test_the_page_refuses_a_private_address(client, settings):
    client.force_login(UserFactory())
    response = client.post(reverse("alerts:channel_add"), {"endpoint": "https://192.168.1.1/topic"})
    assert response.status_code == 400 and "public internet" in response.content.decode()
    assert not InstantChannel.objects.exists()


def test_the_api_lists_adds_and_tests_channels(client, endpoint, vapid, browser):
    user = UserFactory()
    client.force_login(user)
    url = reverse("api:channels")
    body = {
        "kind": "webpush",
        "endpoint": endpoint.url("/push/xyz"),
        "p256dh": b64(_point(browser["key"])),
        "auth": b64(browser["auth"]),
        "name": "Firefox",
    }
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["kind"] == "webpush"
    assert client.post(url, body, content_type="application/json").status_code == 200  # the same browser again
    [listed] = client.get(url).json()
    assert listed["name"] == "Firefox" and listed["last_delivery_at"] is None

    tested = client.post(reverse("api:channel_test", args=[listed["id"]]))
    assert tested.status_code == 202 and len(endpoint.received) == 1
    assert client.get(url).json()[0]["last_delivery_at"]


def test_the_api_refuses_a_private_address_and_web_push_without_keys(client, settings):
    client.force_login(UserFactory())
    url = reverse("api:channels")
    private = client.post(url, {"kind": "ntfy", "endpoint": "https://10.0.0.5/t"}, content_type="application/json")
    assert private.status_code == 422
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    push = client.post(
        url,
        {"kind": "webpush", "endpoint": "https://push.example.com/x", "p256dh": "a", "auth": "b"},
        content_type="application/json",
    )
    assert push.status_code == 422 and not InstantChannel.objects.exists()


def test_the_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert b"showNotification" in response.content


def test_on_the_demo_a_watch_set_on_the_page_delivers_to_a_test_ntfy_endpoint(
    client, demo_db, endpoint, django_capture_on_commit_callbacks
):
    """The issue's demo acceptance: the demo listener adds an ntfy topic (this test's server), watches
    an album with a landed offer to their door, and the alert arrives on the topic at once."""
    from vinilogy.demo import demo_user

    user = demo_user()
    country = str(user.profile.country)
    watched = Watch.objects.filter(user=user).values("album")
    quote = (
        PriceQuote.objects.current().landed().filter(ships_to=country).exclude(album__in=watched).order_by("total_eur").first()
    )
    if quote is None:
        pytest.skip("the demo has no landed offer to the demo listener's door")
    client.force_login(user)
    client.post(reverse("alerts:channel_add"), {"endpoint": endpoint.url("/demo-listener-topic"), "name": "test ntfy"})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("alerts:watch_create", args=[quote.album_id]), {"max_total_eur": "999"})

    assert response.status_code == 302
    fired = Notification.objects.filter(user=user, watch__album=quote.album_id, kind=Notification.Kind.PRICE)
    assert fired.exists() and len(endpoint.received) == fired.count()
    assert {r["body"].decode() for r in endpoint.received} == {n.message for n in fired}
    assert all(r["path"] == "/demo-listener-topic" for r in endpoint.received)


def test_the_vapid_key_may_be_the_pem_that_vapid_gen_writes(vapid):
    from integrations.instant import WebPushClient

    pem = vapid.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    header = WebPushClient(pem, "mailto:alerts@vinilogy.test").vapid_headers("https://push.example.com/send/1")["Authorization"]
    assert header.startswith("vapid t=") and f"k={b64(_point(vapid))}" in header

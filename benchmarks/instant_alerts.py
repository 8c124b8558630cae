"""What an instant alert costs a worker: Web Push encryption and VAPID signing, one ntfy POST
through the HTTP layer (its ApiCall row included), and one notification delivered to a listener
with two ntfy topics and a browser, with the queries it makes.

    .venv/bin/python benchmarks/instant_alerts.py [--messages 200] [--database sqlite:////tmp/instant-bench.sqlite3]

Everything is local: the "push service" and the "ntfy server" are one tiny HTTP server on
127.0.0.1 that this script runs (no external traffic); the keys are made here. Wall clock on
this machine, median and 95th percentile in milliseconds.
"""

import argparse
import base64
import os
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args):
        pass


def setup(database, netloc):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database
    os.environ["ALERT_ENDPOINT_ALLOWED_HOSTS"] = netloc
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinilogy.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def keys():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    def point(key):
        return b64(key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))

    site, browser = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    return b64(site.private_numbers().private_value.to_bytes(32, "big")), point(site), point(browser), b64(os.urandom(16))


def timed(count, work):
    times = []
    for _ in range(count):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--database", default="sqlite:////tmp/instant-bench.sqlite3")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    netloc = f"127.0.0.1:{server.server_address[1]}"
    setup(args.database, netloc)

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.factories import UserFactory
    from alerts import channels
    from alerts.factories import NotificationFactory
    from alerts.models import InstantChannel
    from integrations.instant import Message, NtfyClient, PushSubscription, WebPushClient

    private, public, browser, auth = keys()
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = private, public
    message = Message(
        "Vinilogy: a watched album is on offer",
        "A 2024 Europe LP pressing of OK Computer by Radiohead is on offer: €27.90 incl. shipping from Germany, NM, at Discogs.",
        "https://www.discogs.com/sell/item/1",
        ("moneybag",),
    )
    push = WebPushClient(private, "mailto:bench@vinilogy.local")
    subscription = PushSubscription(f"http://{netloc}/push/1", browser, auth)
    payload = message.body.encode()

    print(f"messages per figure: {args.messages}")
    print(
        "web push encrypt (aes128gcm)        median %.2f ms  p95 %.2f ms"
        % timed(args.messages, lambda: push.encrypt(subscription, payload))
    )
    print(
        "web push VAPID sign                 median %.2f ms  p95 %.2f ms"
        % timed(args.messages, lambda: push.vapid_headers(subscription.endpoint))
    )
    ntfy = NtfyClient()
    print(
        "ntfy POST via the HTTP layer        median %.2f ms  p95 %.2f ms"
        % timed(args.messages, lambda: ntfy.send(f"http://{netloc}/topic", message))
    )
    print(
        "web push POST via the HTTP layer    median %.2f ms  p95 %.2f ms"
        % timed(args.messages, lambda: push.send(subscription, message))
    )

    user = UserFactory()
    for n in range(2):
        InstantChannel.objects.create(user=user, kind="ntfy", endpoint=f"http://{netloc}/topic-{n}")
    InstantChannel.objects.create(user=user, kind="webpush", endpoint=subscription.endpoint, p256dh=browser, auth=auth)
    notes = [NotificationFactory(user=user, message=message.body) for _ in range(args.messages)]
    pending = iter(notes)
    with CaptureQueriesContext(connection) as queries:
        channels.deliver_all(next(pending).pk)
    print("one notification to 3 channels      %d queries" % len(queries))
    print(
        "one notification to 3 channels      median %.2f ms  p95 %.2f ms"
        % timed(args.messages - 1, lambda: channels.deliver_all(next(pending).pk))
    )
    server.shutdown()


if __name__ == "__main__":
    main()

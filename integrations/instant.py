"""Instant alert channels: ntfy topics and Web Push subscriptions, whose URLs a listener gives.

Two rules come with a URL we did not choose:

- `check_endpoint` (SSRF): https only, or http for a host the site allows (tests, a self-hosted
  ntfy on the site's own network); the host's every address must be public unless the host is
  allowed by name. It is checked when the listener saves the URL and again before each send (a
  name can resolve elsewhere tomorrow); redirects are never followed.
- the URL is a secret (an ntfy topic is its own password; a push endpoint carries the browser's
  token): the call log and error messages show only its scheme and host.

Web Push: the message is encrypted for the browser (RFC 8291, aes128gcm, pywebpush's
`WebPusher.encode`) and signed with the site's VAPID key (RFC 8292, py_vapid); it goes out
through the one HTTP layer like every other call, so it is rate limited, retried on 5xx and
timeouts, and logged.
"""

import base64
import ipaddress
import json
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from .http import HttpClient

PUSH_TTL_SECONDS = 24 * 3600  # a browser offline for a day still gets it
VAPID_CLAIM_SECONDS = 12 * 3600


class EndpointRefused(ValueError):
    """A URL a listener gave that we will not call; the message says why (English, for logs)."""


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".lan", ".home.arpa")


def check_endpoint(url, *, allowed_hosts=(), resolve=socket.getaddrinfo):
    """Raise EndpointRefused unless `url` is one we may POST to (see the module's docstring).
    `allowed_hosts`: host names (or host:port) the site lets through over http and on private
    addresses. `resolve=None` checks without asking DNS (a web request saving the URL must not
    wait on it): literal addresses and local names only; the worker checks again, resolving."""
    try:
        parts = urlsplit(url)
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError as error:  # a malformed address or port
        raise EndpointRefused(f"not a URL ({error})") from error
    if not host or parts.username or parts.password:
        raise EndpointRefused("no host, or credentials in the URL")
    allowed = host in allowed_hosts or parts.netloc.lower() in allowed_hosts
    if parts.scheme != "https" and not (parts.scheme == "http" and allowed):
        raise EndpointRefused("only https URLs")
    if allowed:
        return
    if host == LOCAL_NAMES[0] or host.endswith(LOCAL_NAMES[1:]):
        raise EndpointRefused("a local host name")
    for address in _addresses(host, port, resolve):
        if not ipaddress.ip_address(address.split("%", 1)[0]).is_global:
            raise EndpointRefused("the host is on a private or reserved network")


def _addresses(host, port, resolve):
    try:
        return {str(ipaddress.ip_address(host))}  # a literal address
    except ValueError:
        pass
    if resolve is None:
        return set()
    try:
        return {info[4][0] for info in resolve(host, port or 443, type=socket.SOCK_STREAM)}
    except (OSError, UnicodeError) as error:
        raise EndpointRefused(f"the host does not resolve ({error})") from error


class ListenerUrlClient(HttpClient):
    """An HttpClient for URLs a listener gave: never follows a redirect, logs only the origin."""

    def __init__(self, provider, **kwargs):
        super().__init__(provider, follow_redirects=False, **kwargs)

    def loggable_url(self, url):
        return _origin(url) + "/…"

    def _mount_replay_from_settings(self):
        """Never replayed: a listener's own server is not a recorded API (the demo's offline
        replay would answer every send with a miss)."""


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    click_url: str = ""
    tags: tuple = ()


def _header_text(text):
    """HTTP headers carry Latin-1: ntfy reads RFC 2047 encoded words for anything else."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return "=?UTF-8?B?" + base64.b64encode(text.encode()).decode() + "?="
    return text


class NtfyClient:
    """POST a message to an ntfy topic URL (ntfy.sh or a self-hosted server alike)."""

    def __init__(self, http=None):
        self.http = http or ListenerUrlClient("ntfy")

    def send(self, topic_url, message):
        headers = {"Title": _header_text(message.title), "Content-Type": "text/plain; charset=utf-8"}
        if message.tags:
            headers["Tags"] = ",".join(message.tags)
        if message.click_url:
            headers["Click"] = message.click_url
        return self.http.post_bytes(topic_url, message.body.encode(), headers=headers)


@dataclass(frozen=True)
class PushSubscription:
    """What a browser's PushManager.subscribe() gave: its endpoint and its two keys (base64url)."""

    endpoint: str
    p256dh: str
    auth: str

    def as_info(self):
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class WebPushClient:
    """Encrypt a message for one browser and POST it to its push service, VAPID-signed."""

    def __init__(self, vapid_private_key, vapid_subject, http=None):
        self.vapid_private_key = vapid_private_key
        self.vapid_subject = vapid_subject
        self.http = http or ListenerUrlClient("webpush")

    def vapid_headers(self, endpoint):
        from py_vapid import Vapid02

        claims = {"sub": self.vapid_subject, "aud": _origin(endpoint), "exp": int(time.time()) + VAPID_CLAIM_SECONDS}
        key = self.vapid_private_key.strip()
        vapid = Vapid02.from_pem(key.encode()) if key.startswith("-----BEGIN") else Vapid02.from_string(private_key=key)
        return dict(vapid.sign(claims))

    def encrypt(self, subscription, payload):
        from pywebpush import WebPusher

        return WebPusher(subscription.as_info()).encode(payload, content_encoding="aes128gcm")["body"]

    def send(self, subscription, message):
        payload = json.dumps({"title": message.title, "body": message.body, "url": message.click_url}).encode()
        headers = {
            **self.vapid_headers(subscription.endpoint),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(PUSH_TTL_SECONDS),
            "Urgency": "high",
        }
        return self.http.post_bytes(subscription.endpoint, self.encrypt(subscription, payload), headers=headers)

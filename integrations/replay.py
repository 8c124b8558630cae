"""Replay recorded HTTP responses instead of calling the network.

`ReplayAdapter` is a requests transport adapter. Mounted on a Session (`mount_replay`), it
serves recorded responses from a folder and never reaches the network: a request with no
recording raises `ReplayMiss` naming the (redacted) request. `HttpClient` mounts it on every
provider session when settings.VINILOGY_REPLAY_DIR is set (`adapter_from_settings`).

Recording format
----------------
A replay folder holds one or more `index.json` files, at its root or in any subfolder (one
per provider is the convention: `<dir>/discogs/index.json`). Each index is::

    {"version": 1,
     "entries": [
       {"method": "GET",
        "url": "https://api.discogs.com/masters/4242/versions?page=1&per_page=50",
        "status": 200,
        "headers": {"Content-Type": "application/json", "X-Discogs-Ratelimit-Remaining": "59"},
        "body_file": "bodies/api.discogs.com_masters_4242_versions_3f2a9c1e.json",
        "source": "optional provenance, e.g. the api-fixtures manifest file"}
     ]}

`body_file` is relative to the index's folder. `headers` is optional (Content-Type is then
guessed from the body file's suffix). Build entries with `record_fixture(...)`, or a whole
folder from a recordings manifest (integrations/fixtures/manifest.json) with
`record_manifest(manifest_path, folder, url_for=...)`.

Matching: method, host and path (trailing slash ignored), and the query parameters that
matter. Secret parameters (api_key, token, key, secret, oauth_*...) and volatile ones
(oauth_nonce, oauth_timestamp, cache busters) are ignored on both sides, so a recording made
with `token=<redacted>` matches a live token. Parameter order does not matter; a parameter
present on one side only is a miss. POST bodies are not matched (token endpoints differ by
path). When several entries share a key they are served in order and the last one repeats:
`[429, 200]` replays a rate limit followed by success.

Fault injection
---------------
`ReplayAdapter(folder, failure_rate=0.2, seed=123)` turns a seeded fraction of matched calls
into a 429 (Retry-After: 1), a 503 or a read timeout before the recording is served. At most
`max_consecutive_failures` faults hit the same request in a row (default: two, and always
fewer than settings.HTTP_MAX_RETRIES), so with HttpClient's retries every request eventually
succeeds. Same seed and same call order give the same faults. From settings:
VINILOGY_REPLAY_FAILURE_RATE and VINILOGY_REPLAY_SEED.
"""

import hashlib
import http.client
import io
import json
import logging
import random
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from requests import Response
from requests.adapters import BaseAdapter
from requests.exceptions import ReadTimeout
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from .redact import is_secret_param, redact_url

logger = logging.getLogger(__name__)

INDEX_NAME = "index.json"
FORMAT_VERSION = 1
# Parameters that change on every call and say nothing about what is asked for.
VOLATILE_PARAMS = frozenset(
    {"oauth_nonce", "oauth_timestamp", "oauth_signature_method", "oauth_version", "_", "nocache", "cachebuster", "cb"}
)
CONTENT_TYPES = {".json": "application/json", ".xml": "application/xml; charset=utf-8"}
FAULTS = ("rate_limited", "unavailable", "timeout")
DEFAULT_MAX_CONSECUTIVE_FAILURES = 2


class ReplayMiss(LookupError):
    """No recording matches the request. Deliberately not an ApiError: nobody should swallow it."""

    kind = "replay_miss"


def _relevant_params(query):
    pairs = parse_qsl(query, keep_blank_values=True)
    return tuple(sorted((name, value) for name, value in pairs if not _is_ignored(name)))


def _is_ignored(name):
    return is_secret_param(name) or name.lower() in VOLATILE_PARAMS


def match_key(method, url):
    """What a request is matched on: method, host + path, relevant query parameters."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    return (method.upper(), f"{parts.netloc.lower()}{path}", _relevant_params(parts.query))


@dataclass(frozen=True)
class Recording:
    method: str
    url: str
    status: int
    headers: dict
    body_path: Path


def _load_index(index_path):
    document = json.loads(index_path.read_text(encoding="utf-8"))
    entries = document.get("entries", []) if isinstance(document, dict) else document
    for entry in entries:
        headers = dict(entry.get("headers") or {})
        body_path = index_path.parent / entry["body_file"] if entry.get("body_file") else None
        yield Recording(entry.get("method", "GET").upper(), entry["url"], int(entry.get("status", 200)), headers, body_path)


def _folder_signature(folder):
    """Index files with their mtimes and sizes, so a changed folder is read again."""
    indexes = sorted(Path(folder).rglob(INDEX_NAME))
    return tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in indexes)


@lru_cache(maxsize=32)
def _recordings_by_key(signature):
    table = {}
    for index_path, _mtime, _size in signature:
        for recording in _load_index(Path(index_path)):
            table.setdefault(match_key(recording.method, recording.url), []).append(recording)
    return table


def load_recordings(folder):
    """{match key: [Recording, ...]} for every index.json under `folder`."""
    if not Path(folder).is_dir():
        raise FileNotFoundError(f"Replay folder {folder} does not exist")
    return _recordings_by_key(_folder_signature(folder))


class ReplayAdapter(BaseAdapter):
    """Serves recordings from `folder`; optionally injects seeded faults (see module docs)."""

    def __init__(self, folder, *, failure_rate=0.0, seed=None, max_consecutive_failures=None):
        super().__init__()
        self.folder = Path(folder)
        self.recordings = load_recordings(self.folder)
        self.failure_rate = failure_rate
        self.rng = random.Random(seed)
        self.max_consecutive_failures = _failure_cap(max_consecutive_failures)
        self.injected = []  # (fault, redacted url), in order: what a resilience test asserts on
        self._lock = threading.Lock()
        self._consecutive_faults = {}
        self._served_count = {}

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        key = match_key(request.method, request.url)
        recordings = self.recordings.get(key)
        if not recordings:
            raise ReplayMiss(self._miss_message(request, key))
        with self._lock:
            fault = self._pick_fault(key)
            recording = None if fault else self._next_recording(key, recordings)
        if fault:
            return self._inject(fault, request)
        return _build_response(request, recording.status, _headers_of(recording), _read_body(recording), self)

    def close(self):
        """Nothing to release: no sockets are ever opened."""

    # --- serving ----------------------------------------------------------------------

    def _next_recording(self, key, recordings):
        position = self._served_count.get(key, 0)
        self._served_count[key] = position + 1
        return recordings[min(position, len(recordings) - 1)]

    def _miss_message(self, request, key):
        method, path, params = key
        nearby = [r.url for (m, p, _), group in self.recordings.items() if (m, p) == (method, path) for r in group]
        hint = f"; recorded for this path: {', '.join(redact_url(u) for u in nearby[:3])}" if nearby else ""
        return (
            f"No recording for {request.method} {redact_url(request.url)} in {self.folder} "
            f"(matched on {path} with params {dict(params)}){hint}. "
            f"Add one with integrations.replay.record_fixture()."
        )

    # --- fault injection --------------------------------------------------------------

    def _pick_fault(self, key):
        if not self.failure_rate:
            return None
        in_a_row = self._consecutive_faults.get(key, 0)
        if in_a_row < self.max_consecutive_failures and self.rng.random() < self.failure_rate:
            self._consecutive_faults[key] = in_a_row + 1
            return self.rng.choice(FAULTS)
        self._consecutive_faults[key] = 0
        return None

    def _inject(self, fault, request):
        self.injected.append((fault, redact_url(request.url)))
        if fault == "timeout":
            raise ReadTimeout(f"Injected timeout for {redact_url(request.url)}", request=request)
        body = json.dumps({"message": f"Injected {fault} by ReplayAdapter"}).encode()
        headers = {"Content-Type": "application/json"}
        if fault == "rate_limited":
            headers["Retry-After"] = "1"
        return _build_response(request, 429 if fault == "rate_limited" else 503, headers, body, self)


def _failure_cap(requested):
    """Consecutive faults allowed per request: always fewer than HttpClient's retries."""
    retries = settings.HTTP_MAX_RETRIES
    cap = DEFAULT_MAX_CONSECUTIVE_FAILURES if requested is None else requested
    return max(0, min(cap, retries - 1))


def _headers_of(recording):
    """The recorded headers; a Content-Type guessed from the body file's suffix when absent."""
    headers = CaseInsensitiveDict(recording.headers)
    suffix = recording.body_path.suffix if recording.body_path else ""
    if "Content-Type" not in headers and suffix in CONTENT_TYPES:
        headers["Content-Type"] = CONTENT_TYPES[suffix]
    return headers


def _read_body(recording):
    return recording.body_path.read_bytes() if recording.body_path else b""


def _build_response(request, status, headers, body, adapter):
    response = Response()
    response.status_code = status
    response.reason = http.client.responses.get(status, "")
    response.headers = CaseInsensitiveDict(headers)
    response.headers.setdefault("Content-Length", str(len(body)))
    response.raw = io.BytesIO(body)
    response.encoding = get_encoding_from_headers(response.headers) or "utf-8"
    response.url = request.url
    response.request = request
    response.connection = adapter
    return response


def mount_replay(session, folder, *, failure_rate=0.0, seed=None, max_consecutive_failures=None):
    """Route every http(s) request of `session` to a ReplayAdapter on `folder`; returns it.

    Every previously mounted adapter is removed, so nothing can fall through to the network.
    """
    adapter = ReplayAdapter(folder, failure_rate=failure_rate, seed=seed, max_consecutive_failures=max_consecutive_failures)
    return _mount(session, adapter)


def _mount(session, adapter):
    session.adapters.clear()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return adapter


def adapter_from_settings(provider):
    """The one place that decides whether a provider's session replays: a ReplayAdapter on
    settings.VINILOGY_REPLAY_DIR with the configured fault injection, or None (the network)."""
    folder = getattr(settings, "VINILOGY_REPLAY_DIR", "")
    if not folder:
        return None
    seed = settings.VINILOGY_REPLAY_SEED
    return ReplayAdapter(
        folder,
        failure_rate=float(settings.VINILOGY_REPLAY_FAILURE_RATE or 0.0),
        # Each provider gets its own fault sequence, still reproducible from the one seed.
        seed=None if seed in (None, "") else f"{seed}:{provider}",
    )


def mount_from_settings(session, provider):
    """Mount what adapter_from_settings chose on `session`; returns the adapter or None."""
    adapter = adapter_from_settings(provider)
    if adapter is not None:
        _mount(session, adapter)
    return adapter


def is_replay_adapter(adapter):
    return isinstance(adapter, ReplayAdapter)


def is_replaying(session):
    return any(is_replay_adapter(adapter) for adapter in session.adapters.values())


# --- building replay folders -------------------------------------------------------------


def _body_bytes(body):
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _body_file_name(method, url, suffix):
    parts = urlsplit(url)
    slug = re.sub(r"[^A-Za-z0-9.]+", "_", f"{parts.netloc}{parts.path}").strip("_")[:80]
    digest = hashlib.sha1(repr(match_key(method, url)).encode()).hexdigest()[:8]
    return f"bodies/{slug}_{digest}{suffix}"


def _guess_suffix(body, headers):
    content_type = CaseInsensitiveDict(headers or {}).get("Content-Type", "")
    if "xml" in content_type:
        return ".xml"
    if "json" in content_type or not isinstance(body, (bytes, str)):
        return ".json"
    stripped = _body_bytes(body).lstrip()
    return ".json" if stripped[:1] in (b"{", b"[") else ".xml" if stripped[:1] == b"<" else ".txt"


def _read_index(index_path):
    if not index_path.exists():
        return {"version": FORMAT_VERSION, "entries": []}
    return json.loads(index_path.read_text(encoding="utf-8"))


def record_fixture(folder, method, url, status=200, body=b"", headers=None, *, append=False, source=""):
    """Add a recording to `folder/index.json`; return the path of the body file written.

    `body` may be bytes, text, or a JSON-serialisable value. Secrets in `url` are redacted
    before it is stored (matching ignores them anyway). By default a recording with the same
    match key is replaced; `append=True` adds to its sequence (e.g. a 429, then a 200).
    """
    folder = Path(folder)
    suffix = _guess_suffix(body, headers)
    name = _body_file_name(method, url, suffix if not append else f".{_sequence_tag(folder, method, url)}{suffix}")
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(_body_bytes(body))
    entry = {"method": method.upper(), "url": redact_url(url), "status": status, "body_file": name}
    entry_headers = CaseInsensitiveDict(headers or {})
    if "Content-Type" not in entry_headers and suffix in CONTENT_TYPES:
        entry_headers["Content-Type"] = CONTENT_TYPES[suffix]
    if entry_headers:
        entry["headers"] = dict(entry_headers)
    if source:
        entry["source"] = source
    _write_entry(folder / INDEX_NAME, entry, append)
    return folder / name


def _sequence_tag(folder, method, url):
    index = _read_index(folder / INDEX_NAME)
    key = match_key(method, url)
    return sum(1 for entry in index["entries"] if match_key(entry.get("method", "GET"), entry["url"]) == key)


def _write_entry(index_path, entry, append):
    index = _read_index(index_path)
    key = match_key(entry["method"], entry["url"])
    if not append:
        index["entries"] = [e for e in index["entries"] if match_key(e.get("method", "GET"), e["url"]) != key]
    index["entries"].append(entry)
    index_path.parent.mkdir(parents=True, exist_ok=True)
    index_path.write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# Headers that describe the original transfer, not the body we serve.
TRANSFER_HEADERS = frozenset({"content-length", "content-encoding", "transfer-encoding", "connection"})


def manifest_request(entry):
    """(method, url) from a manifest "request" such as "GET https://…" or "https://…"; None if not a URL."""
    words = entry.get("request", "").split()
    if words and words[0].isupper() and len(words) > 1:
        method, url = words[0], words[1]
    else:
        method, url = "GET", words[0] if words else ""
    return (method, url) if url.startswith(("http://", "https://")) else None


def record_manifest(manifest_path, folder, *, url_for=None):
    """Record every manifest entry with a request URL into `folder/<provider>/`; return the body paths.

    Each entry needs "file" (relative to the manifest), "provider", "request" and "status";
    "response_headers" is optional. `url_for(entry, url)` may return the URL our client really
    asks for (a recording made with other parameters), or None to leave the entry out.
    """
    manifest_path = Path(manifest_path)
    recorded = []
    for entry in json.loads(manifest_path.read_text(encoding="utf-8")):
        request = manifest_request(entry)
        url = request and (url_for(entry, request[1]) if url_for else request[1])
        if url and not (manifest_path.parent / entry["file"]).exists():
            # Manifests can describe more than was copied next to them (e.g. bulk dumps).
            logger.warning("Manifest entry %s has no body file next to the manifest; left out", entry["file"])
        elif url:
            recorded.append(_record_manifest_entry(manifest_path.parent, Path(folder), entry, request[0], url))
    return recorded


def _record_manifest_entry(fixtures_root, folder, entry, method, url):
    headers = {k: v for k, v in (entry.get("response_headers") or {}).items() if k.lower() not in TRANSFER_HEADERS}
    body = (fixtures_root / entry["file"]).read_bytes()
    return record_fixture(folder / entry["provider"], method, url, entry.get("status", 200), body, headers, source=entry["file"])

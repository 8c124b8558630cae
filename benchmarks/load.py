"""Load on a real gunicorn: signed-in grid, album page and /api/recs at 10 concurrent.

    .venv/bin/python benchmarks/load.py postgres://postgres@127.0.0.1:5432/vinilogy_scale [--requests 300] [--seconds 60]

Against a database benchmarks/scale.py built (its synthetic listeners and their sets), it
signs in up to --concurrency listeners by writing their sessions, starts gunicorn on a free
loopback port (--workers 3, as the Dockerfile), and drives each URL in turn from a small
threaded client (one keep-alive connection per thread, each thread its own listener) until
--requests answers or --seconds have passed, whichever comes first; then stops the server.
The warm-up views the landing page and each listener's grid once (a set's cards are rendered
on its first view, once a day per listener); --cold measures the grid with those first views.
Prints ONE JSON line: per URL, requests, rps, p50 and p99 ms and errors (non-200 or failed),
and the landing page under the same load as the in-run reference.

The server runs as production does (DEBUG=0, static files collected, the cached template
loader), with a throwaway SECRET_KEY shared with this process (the sessions it writes must
verify there) and TLS redirects off on loopback. Each client thread keeps the cookies the
site sets (the CSRF cookie above all), as a browser does: a client that drops them gets a new
CSRF secret, and so a new copy of every card, on every request. REDIS_URL, when set, is passed
on (the cards then live in one shared cache, as in production, instead of one per worker).
"""

import argparse
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale import model_dir_for  # noqa: E402


def setup_django(database_url: str):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # this run's; gunicorn gets the same
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinilogy.settings")
    import django

    django.setup()


def sessions(count: int) -> list[tuple[str, int]]:
    """(session key, album id of their first card) for up to `count` listeners with a ready set."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from recommendations.models import RecommendationSet

    ready = RecommendationSet.objects.filter(status="ready").select_related("user").order_by("user_id", "-pk")
    chosen, seen = [], set()
    for rec_set in ready:
        if rec_set.user_id in seen:
            continue
        seen.add(rec_set.user_id)
        first = rec_set.items.order_by("position").values_list("album_id", flat=True).first()
        store = SessionStore()
        store[SESSION_KEY] = str(rec_set.user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = rec_set.user.get_session_auth_hash()
        store.create()
        chosen.append((store.session_key, first))
        if len(chosen) == count:
            break
    if not chosen:
        sys.exit("no listener with a ready set: run benchmarks/scale.py on this database first")
    return chosen


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database_url: str, port: int, workers: int) -> subprocess.Popen:
    from django.conf import settings

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "MODEL_DIR": str(model_dir_for(database_url)),
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1",
        "OPENBLAS_NUM_THREADS": "1",
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "SECURE_SSL_REDIRECT": "0",
    }
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "vinilogy.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


def drive(port: int, url_of, listeners, concurrency: int, requests: int, seconds: float, jars: dict) -> dict:
    """Each thread GETs its URL on one connection until the shared budget runs out, sending
    back the cookies its listener was given (`jars`, kept from one URL to the next)."""
    timings, errors, lock = [], [0], threading.Lock()
    left = [requests]
    deadline = time.perf_counter() + seconds

    def worker(n):
        session, album = listeners[n % len(listeners)]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        cookies = jars.setdefault(n, {"sessionid": session})
        while time.perf_counter() < deadline:
            headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()), "Host": "127.0.0.1"}
            with lock:
                if left[0] <= 0:
                    break
                left[0] -= 1
            started = time.perf_counter()
            try:
                connection.request("GET", url_of(album), headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                for header in response.headers.get_all("Set-Cookie") or ():
                    name, _, rest = header.partition("=")
                    cookies[name.strip()] = rest.split(";", 1)[0]
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                timings.append(1000 * (time.perf_counter() - started))
                errors[0] += not ok
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(timings, n=100) if len(timings) > 1 else timings * 99
    return {
        "requests": len(timings),
        "rps": round(len(timings) / elapsed, 1),
        "p50_ms": round(statistics.median(timings), 1),
        "p99_ms": round(cuts[98], 1),
        "errors": errors[0],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--requests", type=int, default=300, help="per URL")
    parser.add_argument("--seconds", type=float, default=60, help="per URL, at most")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="no grid warm-up: the measured grid views include each listener's first (cards rendered)",
    )
    args = parser.parse_args(argv)
    setup_django(args.database_url)
    listeners = sessions(args.concurrency)
    port = free_port()
    server = start_gunicorn(args.database_url, port, args.workers)
    urls = {
        "landing (reference)": lambda album: "/",
        "recommendations grid": lambda album: "/recommendations/",
        "album page": lambda album: f"/albums/{album}/",
        "api/recs": lambda album: "/api/recs",
    }
    try:
        jars = {}
        drive(port, urls["landing (reference)"], listeners, args.concurrency, 3 * args.concurrency, 10, jars)  # warm-up
        if not args.cold:  # each listener's cards are rendered once per set, on its first view
            drive(port, urls["recommendations grid"], listeners, args.concurrency, 3 * args.concurrency, 10, jars)
        results = {
            name: drive(port, url, listeners, args.concurrency, args.requests, args.seconds, jars) for name, url in urls.items()
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
    reference = results["landing (reference)"]["p50_ms"]
    for figures in results.values():
        figures["p50_x_ref"] = round(figures["p50_ms"] / reference, 2) if reference else None
    print(json.dumps({"concurrency": args.concurrency, "gunicorn_workers": args.workers, "urls": results}))


if __name__ == "__main__":
    main()

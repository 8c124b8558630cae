"""docs/ARCHITECTURE.md keeps a map by URL (every pattern, its view, its template) and the list of
signals with who sends and who receives each. These tests walk the URL resolver and the signals'
live receivers and fail, naming the row to add or drop, when the map and the code disagree."""

import inspect
import re
import weakref
from pathlib import Path

from celery import signals as celery_signals
from django.conf import settings
from django.contrib.auth import signals as auth_signals
from django.core import signals as core_signals
from django.db.models import signals as model_signals
from django.urls import URLPattern, URLResolver, get_resolver

from accounts import signals as accounts_signals
from catalog import signals as catalog_signals
from pricing import signals as pricing_signals

ROOT = Path(settings.BASE_DIR)
DOC = ROOT / "docs" / "ARCHITECTURE.md"
URL_SECTION = "## Pages and fragments by URL"
SIGNAL_SECTION = "## Signals: who sends, who receives"
OUR_APPS = ("integrations", "catalog", "pricing", "accounts", "recommendations", "alerts", "vinilogy")
MOUNT = "…"  # a third-party URL set (allauth, the admin, the JSON API) is one row: its prefix + "…"
OUR_SIGNALS = {
    f"{module.__name__}.{name}": signal
    for module in (catalog_signals, pricing_signals, accounts_signals)
    for name, signal in vars(module).items()
    if type(signal).__name__ == "Signal" and type(signal).__module__ == "django.dispatch.dispatcher"
}
FRAMEWORK_SIGNALS = [
    *(getattr(model_signals, name) for name in ("pre_save", "post_save", "post_delete", "post_init", "m2m_changed")),
    core_signals.request_finished,
    core_signals.request_started,
    core_signals.setting_changed,
    auth_signals.user_logged_in,
    auth_signals.user_logged_out,
    *(getattr(celery_signals, name) for name in ("task_failure", "task_postrun", "task_prerun", "worker_ready", "celeryd_init")),
]


def _section(title):
    text = DOC.read_text()
    assert title in text, f"docs/ARCHITECTURE.md has no section {title!r}"
    body = text.split(title, 1)[1]
    return body.split("\n## ", 1)[0]


def _map_rows():
    """{URL: view cell} from the table's rows (first cell a `backticked` URL)."""
    rows = {}
    for line in _section(URL_SECTION).splitlines():
        match = re.match(r"\|\s*`([^`]+)`\s*\|([^|]*)\|", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def _is_ours(resolver):
    module = resolver.urlconf_module
    return not isinstance(module, list | tuple) and module.__name__.split(".")[0] in OUR_APPS


def _view_name(callback):
    view = inspect.unwrap(callback)
    view = view if inspect.isfunction(view) else type(view)  # a class instance (the Atom feed)
    return f"{view.__module__}.{view.__qualname__}"


def _patterns(resolver=None, prefix="/"):
    """(URL, view's dotted name or None for a third-party one) for every pattern the site serves."""
    for pattern in (resolver or get_resolver()).url_patterns:
        url = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, url) if _is_ours(pattern) else [(url + MOUNT, None)]
        elif isinstance(pattern, URLPattern):
            view = _view_name(pattern.callback)
            yield url, view if view.split(".")[0] in OUR_APPS else None


def test_every_url_pattern_has_a_row_in_the_map():
    rows = _map_rows()
    missing = [(url, view) for url, view in _patterns() if url not in rows]
    advice = "\n".join(f"| `{url}` | `{view or 'third party'}` | TEMPLATE | page/fragment/post/file |" for url, view in missing)
    assert not missing, f"docs/ARCHITECTURE.md, {URL_SECTION!r}, has no row for {len(missing)} URL pattern(s); add:\n{advice}"


def test_every_row_of_the_map_names_a_pattern_that_exists_and_its_view():
    rows, served = _map_rows(), dict(_patterns())
    gone = sorted(set(rows) - set(served))
    assert not gone, f"docs/ARCHITECTURE.md maps URLs the site no longer serves: {gone}"
    wrong = {url: view for url, view in served.items() if view and f"`{view}`" not in rows[url]}
    assert not wrong, f"these rows of docs/ARCHITECTURE.md should name their view: {wrong}"


def _receivers(signal):
    for _key, held, *_ in signal.receivers:
        receiver = held() if isinstance(held, weakref.ReferenceType) else held  # WeakMethod too
        if receiver is not None:
            yield f"{receiver.__module__}.{receiver.__qualname__}"


def _ours(dotted):
    return dotted.split(".")[0] in OUR_APPS and ".tests." not in dotted


def test_every_receiver_of_ours_is_listed_with_its_signal():
    section = _section(SIGNAL_SECTION)
    signals = [*OUR_SIGNALS.values(), *FRAMEWORK_SIGNALS]
    unlisted = sorted(
        {name for signal in signals for name in _receivers(signal) if _ours(name)} - set(re.findall(r"`([\w.]+)`", section))
    )
    assert not unlisted, f"docs/ARCHITECTURE.md, {SIGNAL_SECTION!r}, does not name these receivers: {unlisted}"


def test_every_signal_of_ours_is_listed_with_the_modules_that_send_it():
    section = _section(SIGNAL_SECTION)
    sources = [
        path
        for app in OUR_APPS
        for path in (ROOT / app).rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]
    problems = []
    for dotted in OUR_SIGNALS:
        row = next((line for line in section.splitlines() if line.startswith(f"| `{dotted}`")), None)
        if row is None:
            problems.append(f"no row for {dotted}")
            continue
        name = dotted.rsplit(".", 1)[1]
        for path in sources:
            if re.search(rf"\b{name}\.send(_robust)?\(", path.read_text()):
                module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                if f"`{module}`" not in row:
                    problems.append(f"{dotted} is sent by {module}, which its row does not name")
    assert not problems, "docs/ARCHITECTURE.md's signal list is out of date: " + "; ".join(problems)


def test_the_docs_name_no_file_outside_the_repository():
    for doc in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        text = doc.read_text()
        assert "../shared" not in text and "/work/" not in text, f"{doc.name} points outside the repository"

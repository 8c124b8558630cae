"""Fixture loaders for the provider client tests.

Recordings live in integrations/fixtures/<provider>/ (provenance in integrations/fixtures/
SOURCES.md). `recording("discogs/master_4242.json")` gives the decoded JSON,
`recording_text(...)` the raw text, and the `provider_api` fixture is a `responses` mock on
which `serve(...)` registers a recorded body at a real provider URL.
"""

import json
from pathlib import Path

import pytest
import responses

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def recording_text(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


def recording(name):
    return json.loads(recording_text(name))


def recordings(pattern):
    """Relative names of the recordings matching a glob, e.g. "discogs/release_*.json"."""
    return sorted(str(path.relative_to(FIXTURES)) for path in FIXTURES.glob(pattern))


def serve(
    mock, url, name=None, *, method="GET", status=200, params=None, headers=None, match=(), body=None, response_headers=None
):
    """Answer `method url` with a recording (or `body`), only when the query string is exactly
    `params` and the request carries `headers`; several calls to one URL are served in order."""
    matchers = list(match)
    if params is not None:
        matchers.append(responses.matchers.query_param_matcher(params))
    if headers is not None:
        matchers.append(responses.matchers.header_matcher(headers))
    content = recording_text(name) if name else (body if body is not None else "")
    content_type = "text/xml" if name and name.endswith(".xml") else "application/json"
    return mock.add(
        method,
        url,
        body=content,
        status=status,
        content_type=content_type,
        headers=response_headers,
        match=matchers,
    )


@pytest.fixture
def provider_api():
    """A responses mock that fails the test if a registered answer was never asked for."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock

"""Junk to every GET and POST view the URL resolver knows, as a visitor, a listener and staff:
no answer may be a 500. Bounded in examples so the suite stays fast.

Junk means: control characters, NUL bytes, very long strings, huge and negative numbers,
wrong types (a list where one value is expected), missing fields, and ids of rows that exist
next to ids no row (or no bigint) can have.
"""

import re
from dataclasses import dataclass

import pytest
import responses
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from accounts.factories import SeedArtistFactory, UserFactory
from catalog.factories import ReleaseFactory
from recommendations.factories import FeedbackFactory

pytestmark = pytest.mark.django_db

EXAMPLES_PER_SITE_ROUTE = 2
EXAMPLES_OF_ADMIN_ROUTES = 40
# Names the site's forms and views read; a view ignores the ones it does not know.
FIELDS = [
    "q",
    "name",
    "artist_id",
    "album_id",
    "kind",
    "page",
    "country",
    "next",
    "login",
    "password",
    "lastfm_username",
    "listenbrainz_username",
    "discogs_username",
    "min_tracks_per_album",
    "blocked",
    "account",
    "action",
    "_selected_action",
    "live",
    "size",
    "email",
    "username",
    "password1",
    "password2",
]
# A path converter (<int:album_id>) or a regex group (allauth's (?P<key>.+)).
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<\w+>[^)]*\)")
JUNK_TEXT = st.one_of(
    # Mostly printable (control characters are refused up front, which would end most examples).
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),
    st.sampled_from(["", "..", "/", "%00", "\x00", "-1", "0", "1" * 40, "x" * 5000, "' OR 1=1 --", "<script>", "NaN"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def _patterns(resolver=None, prefix=""):
    """Every route as a regex-free template, e.g. 'albums/<int:album_id>/fetch/<str:kind>/'."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route.replace("^", "").replace("$", "").replace("\\Z", "")


ROUTES = sorted(set(_patterns()))
# The admin has most of the routes; the site's own get half of the examples.
SITE_ROUTES = [route for route in ROUTES if not route.startswith("admin/")]
ADMIN_ROUTES = [route for route in ROUTES if route.startswith("admin/")]


def _segment(converter, ids):
    if converter in ("int", "id"):
        return st.one_of(st.sampled_from(ids), st.integers(min_value=0, max_value=2**80)).map(str)
    if converter in ("slug", "str", "path", None):
        return st.one_of(
            st.sampled_from([str(i) for i in ids] + ["lastfm", "spotify", "discogs", "tracklist", "prices"]),
            st.text(alphabet="abcz09-_", min_size=1, max_size=20),
        )
    return st.just("1")


def _path(route, draw, ids):
    return "/" + _CONVERTER.sub(lambda m: draw(_segment(m.group(1), ids)), route)


@st.composite
def requests_(draw, routes, ids):
    """(method, path, data, as htmx): every field a view might read, bar a few left out
    (missing fields), each holding junk."""
    path = _path(draw(st.sampled_from(routes)), draw, ids)
    missing = draw(st.sets(st.sampled_from(FIELDS), max_size=len(FIELDS) // 2))
    junk = st.one_of(JUNK_TEXT, st.lists(JUNK_TEXT, min_size=2, max_size=3))
    data = {name: draw(junk) for name in FIELDS if name not in missing}
    return draw(st.sampled_from(["get", "post"])), path, data, draw(st.booleans())


# Sent to every route whatever hypothesis draws: the inputs that used to be 500s.
NASTIEST = [
    ("get", {name: "\x00" for name in FIELDS}),
    ("post", {name: "Bad\x00Name" for name in FIELDS}),
    ("post", {name: [str(2**70), "-1", "x" * 5000] for name in FIELDS}),
]


@dataclass
class World:
    user: object


@pytest.fixture
def world(settings):
    """A listener with a seed and a wantlisted album that has a pressing: enough rows for ids
    in paths to reach the views' own code (a few rows, since every test builds it again)."""
    settings.HTTP_MAX_RETRIES = 0  # an outbound call is refused below: fail fast, not after backoff
    user, release = UserFactory(), ReleaseFactory()
    SeedArtistFactory(user=user, artist=release.album.artist, source="manual")
    FeedbackFactory(user=user, album=release.album, kind="wantlist")
    ids = sorted({1, user.pk, release.pk, release.album.pk, release.album.artist.pk})
    return World(user), ids


@pytest.fixture
def send(client, world, django_user_model):
    """send(role, method, path, data, htmx): the request as that role; fails on a 500."""
    world, _ = world
    staff = django_user_model.objects.create_superuser("fuzz-staff", "fuzz@vinilogy.local", "x")

    def _send(role, method, path, data, htmx=False):
        client.logout()
        if role != "anonymous":
            client.force_login(world.user if role == "listener" else staff)
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        with responses.RequestsMock(assert_all_requests_are_fired=False):  # no call leaves the machine
            response = getattr(client, method)(path, data, **headers)
        assert response.status_code < 500, f"{role} {method.upper()} {path} {data!r} answered {response.status_code}"

    return _send


ROLES = ["anonymous", "listener", "staff"]
FUZZ = hypothesis_settings(
    deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", SITE_ROUTES)
def test_no_site_view_answers_junk_with_a_500(send, world, role, route):
    _, ids = world
    segments = (str(ids[-1]), str(2**70)) if _CONVERTER.search(route) else ("",)  # a row, an id no bigint holds
    for segment in segments:
        for method, data in NASTIEST:
            send(role, method, _path(route, lambda _, segment=segment: segment, ids), data)

    @hypothesis_settings(FUZZ, max_examples=EXAMPLES_PER_SITE_ROUTE)
    @given(request=requests_([route], ids))
    def fuzz(request):
        send(role, *request)

    fuzz()


@pytest.mark.parametrize("role", ROLES)
def test_no_admin_view_answers_junk_with_a_500(send, world, role):
    _, ids = world

    @hypothesis_settings(FUZZ, max_examples=EXAMPLES_OF_ADMIN_ROUTES)
    @given(request=requests_(ADMIN_ROUTES, ids))
    def fuzz(request):
        send(role, *request)

    fuzz()

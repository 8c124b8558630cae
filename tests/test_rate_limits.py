"""Rate limits on what costs the site (integrations.limits): under a limit a request passes; over
it the answer is 429 with a sentence and Retry-After (a page, an htmx fragment, JSON for the
API); each listener is counted apart, visitors by client address; every refusal is counted per
day for the admin. Also: one set waiting per listener, at most N lookups at listener priority,
and names typed but never confirmed stay out of other listeners' searches.

The counts are in the cache: Redis on the CI PostgreSQL leg, where this file runs too.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from accounts.catalog_build import LISTENER_LOOKUPS_AT_ONCE, lookup_priorities
from accounts.factories import SeedArtistFactory, UserFactory
from catalog.factories import AlbumFactory, ArtistFactory
from catalog.models import Artist
from integrations.limits import LIMITS, consume
from integrations.models import ThrottleCount
from integrations.queue import _pending_key
from recommendations import services
from recommendations.models import RecommendationSet

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _refused(response):
    body = response.content.decode()
    return response.status_code == 429 and int(response["Retry-After"]) > 0 and "You have reached the limit" in body


def _add_name(client, name, **extra):
    return client.post(reverse("accounts:seed_add"), {"name": name}, **extra)


# --- the probe of issue 25: 100 new artist names from one listener -----------------------------------


def test_a_hundred_new_names_from_one_listener_are_refused_after_the_limit_and_add_at_most_the_limit(
    client, listener, http_responses
):
    limit = LIMITS["new_artist"].count
    before = Artist.objects.count()
    answers = [_add_name(client, f"Probe Band {n}") for n in range(100)]
    assert [a.status_code for a in answers[:limit]] == [302] * limit
    assert all(_refused(a) for a in answers[limit:])
    assert Artist.objects.count() - before == limit
    assert "new artists added by name" in answers[-1].content.decode()
    assert ThrottleCount.objects.get(user=listener, limit="new_artist").count == 100 - limit


def test_names_the_catalog_knows_are_not_counted(client, listener, settings):
    settings.ACTION_LIMITS = {"new_artist": 2}
    known = ArtistFactory(name="Portishead")
    for _ in range(5):
        assert _add_name(client, known.name).status_code == 302
    assert _add_name(client, "New One").status_code == 302
    assert _add_name(client, "New Two").status_code == 302
    assert _refused(_add_name(client, "New Three"))


def test_over_the_limit_htmx_gets_the_sentence_as_a_fragment(client, listener, settings):
    settings.ACTION_LIMITS = {"new_artist": 1}
    _add_name(client, "First Name", **HTMX)
    response = _add_name(client, "Second Name", **HTMX)
    body = response.content.decode()
    assert _refused(response) and 'class="limit-refused"' in body and "<html" not in body
    assert response["HX-Reswap"] == "beforebegin"  # shown just before the seed list, which stays


def test_each_listener_is_counted_apart(client, listener, settings):
    settings.ACTION_LIMITS = {"new_artist": 1}
    _add_name(client, "Ana's Band")
    assert _refused(_add_name(client, "Ana's Other Band"))
    client.force_login(UserFactory(username="bea"))
    assert _add_name(client, "Bea's Band").status_code == 302


# --- each limit ---------------------------------------------------------------------------------------


def _post(url, **extra):
    return lambda client: client.post(url, **extra)


@pytest.fixture
def album():
    return AlbumFactory()


CASES = {
    "regenerate": lambda client, album: client.post(reverse("recommendations:refresh")),
    "sync": lambda client, album: client.post(reverse("accounts:source_sync", args=["lastfm"])),
    "fetch_now": lambda client, album: client.post(reverse("catalog:album_fetch", args=[album.pk, "prices"])),
    "basket": lambda client, album: client.get(reverse("recommendations:basket")),
    "watch": lambda client, album: client.post(reverse("alerts:watch_create", args=[album.pk]), {"max_total_eur": "30"}),
    "csv_upload": lambda client, album: client.post(reverse("accounts:collection_csv"), {}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_limit_passes_under_it_and_refuses_over_it_with_retry_after(client, listener, settings, album, http_responses, name):
    settings.ACTION_LIMITS = {name: 2}
    send = CASES[name]
    assert [send(client, album).status_code != 429 for _ in range(2)] == [True, True]
    refused = send(client, album)
    assert _refused(refused)
    assert ThrottleCount.objects.get(user=listener, limit=name).count == 1
    client.force_login(UserFactory(username="bea"))
    assert send(client, album).status_code != 429


def test_syncs_are_counted_per_source(client, listener, settings, http_responses):
    settings.ACTION_LIMITS = {"sync": 1}
    client.post(reverse("accounts:source_sync", args=["lastfm"]))
    assert _refused(client.post(reverse("accounts:source_sync", args=["lastfm"])))
    assert _refused(client.post(reverse("accounts:source_preview", args=["lastfm"])))  # a preview reads the provider too
    assert client.get(reverse("accounts:source_preview", args=["lastfm"])).status_code == 200  # showing it costs nothing
    assert client.post(reverse("accounts:source_sync", args=["listenbrainz"])).status_code == 302


def test_a_daily_limit_says_when_in_hours(client, listener, settings, monkeypatch):
    settings.ACTION_LIMITS = {"csv_upload": 0}
    monkeypatch.setattr("integrations.limits.time.time", lambda: 1_800_000_000.0 - 1_800_000_000.0 % 86400 + 3600)
    refused = client.post(reverse("accounts:collection_csv"), {})
    assert int(refused["Retry-After"]) == 23 * 3600 and "Please try again in 23 hours." in refused.content.decode()


def test_the_api_answers_json_with_retry_after(client, listener, settings):
    settings.ACTION_LIMITS = {"regenerate": 1}
    assert client.post(reverse("api:recs_refresh")).status_code == 202
    refused = client.post(reverse("api:recs_refresh"))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "new recommendation sets" in refused.json()["detail"]


def test_the_window_ends_and_the_limit_counts_again(client, listener, settings, monkeypatch):
    settings.ACTION_LIMITS = {"regenerate": 1}
    now = 1_800_000_000.0
    monkeypatch.setattr("integrations.limits.time.time", lambda: now)
    client.post(reverse("recommendations:refresh"))
    refused = client.post(reverse("recommendations:refresh"))
    assert _refused(refused) and int(refused["Retry-After"]) == 3600 - now % 3600
    assert f"try again in {-(-int(refused['Retry-After']) // 60)} minutes" in refused.content.decode()
    now += int(refused["Retry-After"])
    assert client.post(reverse("recommendations:refresh")).status_code == 302


def test_thirty_syncs_in_a_burst_start_six(client, listener, http_responses):
    answers = [client.post(reverse("accounts:source_sync", args=["lastfm"])) for _ in range(30)]
    assert sum(a.status_code == 302 for a in answers) == LIMITS["sync"].count == 6


def test_concurrent_requests_are_counted_once_each(settings, listener):
    """The increment is atomic in the cache (Redis on the CI PostgreSQL leg): 40 requests at once
    against a limit of 10 let exactly 10 through, whichever process or thread counts them."""
    settings.ACTION_LIMITS = {"regenerate": 10}
    request = RequestFactory().post("/recommendations/refresh/")
    request.user = listener
    with ThreadPoolExecutor(max_workers=8) as pool:
        waits = list(pool.map(lambda _: consume(request, "regenerate"), range(40)))
    assert waits.count(0) == 10 and all(wait > 0 for wait in waits if wait)


# --- visitors: sign-ups, by client address ----------------------------------------------------------


def _sign_up(client, n, **meta):
    data = {
        "username": f"newcomer{n}",
        "email": f"newcomer{n}@example.org",
        "password1": "vinyl-lover-123",
        "password2": "vinyl-lover-123",
    }
    return client.post(reverse("account_signup"), data, **meta)


def test_sign_ups_are_limited_per_client_address_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    limit = LIMITS["signup"].count
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(limit):
        assert _sign_up(client, n, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 302
        client.logout()
    assert _refused(_sign_up(client, 99, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy))
    assert ThrottleCount.objects.get(who="addr:203.0.113.7", limit="signup").user is None
    assert _sign_up(client, 100, HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy).status_code == 302


def test_the_sign_up_form_itself_is_not_counted(client, settings):
    settings.ACTION_LIMITS = {"signup": 1}
    for _ in range(3):
        assert client.get(reverse("account_signup")).status_code == 200


# --- one set waiting per listener ----------------------------------------------------------------------


def test_a_hundred_and_fifty_refresh_posts_leave_one_set_waiting(client, listener, settings):
    """The generation waits for a worker here (the test's transaction never commits, so the
    on-commit enqueue does not run): every accepted refresh finds the waiting set."""
    answers = [client.post(reverse("recommendations:refresh")) for _ in range(150)]
    accepted = sum(a.status_code == 302 for a in answers)
    assert accepted == LIMITS["regenerate"].count
    assert sum(_refused(a) for a in answers) == 150 - accepted
    assert RecommendationSet.objects.filter(user=listener).count() == 1


def test_a_waiting_set_is_reused_when_the_inputs_change(listener):
    waiting = services.request_generation(listener, force=True)
    SeedArtistFactory(user=listener)
    again = services.request_generation(listener, force=True)
    assert again.pk == waiting.pk and again.input_hash == services.inputs_hash(listener)
    assert RecommendationSet.objects.get(pk=waiting.pk).input_hash == again.input_hash


def test_a_running_set_with_old_inputs_gets_one_waiting_set_behind_it(listener):
    running = services.request_generation(listener)
    RecommendationSet.objects.filter(pk=running.pk).update(status=RecommendationSet.Status.RUNNING)
    SeedArtistFactory(user=listener)
    first = services.request_generation(listener)
    SeedArtistFactory(user=listener)
    second = services.request_generation(listener)
    assert first.pk == second.pk != running.pk
    assert RecommendationSet.objects.filter(user=listener, status=RecommendationSet.Status.PENDING).count() == 1


# --- lookups at listener priority ------------------------------------------------------------------------


def test_at_most_n_lookups_of_a_listener_go_at_listener_priority(settings):
    ids = list(range(1, 31))
    for pk in ids[:4]:  # four of the listener's lookups already under way
        cache.set(_pending_key("catalog.sync_artist", (pk,)), True)
    priorities = lookup_priorities(ids, ids[4:])
    ahead = [pk for pk, priority in priorities.items() if priority == settings.LISTENER_CHAIN_PRIORITY]
    assert ahead == ids[4:LISTENER_LOOKUPS_AT_ONCE]
    assert {priorities[pk] for pk in ids[LISTENER_LOOKUPS_AT_ONCE:]} == {settings.CELERY_TASK_DEFAULT_PRIORITY}


# --- names typed stay private until confirmed -------------------------------------------------------------


def test_a_name_typed_by_one_listener_is_found_by_them_only_until_a_lookup_confirms_it(client, listener):
    _add_name(client, "Zzyzx Orchestra")
    typed = Artist.objects.get(name="Zzyzx Orchestra")
    seed_search, search, page = (
        reverse("accounts:seed_search"),
        reverse("catalog:search"),
        reverse("pricing:artist", args=[typed.pk]),
    )
    assert "Zzyzx Orchestra" in client.get(seed_search, {"q": "zzyzx"}).content.decode()
    assert client.get(page).status_code == 200
    client.force_login(UserFactory(username="bea"))
    assert "Zzyzx Orchestra" not in client.get(seed_search, {"q": "zzyzx"}).content.decode()
    assert "Zzyzx Orchestra" not in client.get(search, {"q": "zzyzx"}).content.decode()
    assert client.get(page).status_code == 404
    Artist.objects.filter(pk=typed.pk).update(refreshed_at="2026-01-01T00:00:00Z")  # a lookup found it
    assert "Zzyzx Orchestra" in client.get(seed_search, {"q": "zzyzx"}).content.decode()
    client.logout()
    assert "Zzyzx Orchestra" in client.get(search, {"q": "zzyzx"}).content.decode()


def test_a_name_no_source_knows_stays_private(client, listener):
    _add_name(client, "Qwxz Nonesuch")
    Artist.objects.filter(name="Qwxz Nonesuch").update(refreshed_at="2026-01-01T00:00:00Z", last_error="not found")
    client.logout()
    assert "Qwxz Nonesuch" not in client.get(reverse("catalog:search"), {"q": "qwxz"}).content.decode()


# --- the admin ---------------------------------------------------------------------------------------------


def test_the_admin_lists_refusals_per_listener_and_filters_by_limit(client, listener, settings, admin_user):
    settings.ACTION_LIMITS = {"new_artist": 0}
    for n in range(3):
        _add_name(client, f"Refused {n}")
    client.force_login(admin_user)
    page = client.get(reverse("admin:integrations_throttlecount_changelist"), {"limit": "new_artist"})
    assert page.status_code == 200
    assert f"user:{listener.pk}" in page.content.decode() and ">3<" in page.content.decode()

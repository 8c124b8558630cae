"""The album page: a fast shell, and tracklist / pressings / prices fragments that load on their own."""

import re
from decimal import Decimal

import pytest
import responses
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from catalog.factories import AlbumFactory, ReleaseFactory, TrackFactory
from catalog.models import Release
from integrations.tests.conftest import serve
from pricing.best_price import refresh_best_prices
from pricing.factories import PriceQuoteFactory, StoreFactory
from pricing.models import PriceQuote

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def album():
    return AlbumFactory(
        title="OK Computer", artist__name="Radiohead", spotify_id="6dVIqQ8qmQ5GBnJ9shOYGE", releases_refreshed_at=timezone.now()
    )


def _quote(release, store, total, ships_to="ES", **extra):
    return PriceQuoteFactory(
        release=release,
        album=release.album,
        store=store,
        amount=Decimal(total),
        shipping=Decimal("0"),
        total_eur=Decimal(total),
        ships_to=ships_to,
        **extra,
    )


def test_album_page_shows_facts_and_asks_for_each_fragment_separately(client, album):
    response = client.get(reverse("catalog:album", args=[album.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "OK Computer" in html and "Radiohead" in html
    for name in ("catalog:album_tracklist", "pricing:album_pressings", "pricing:album_offers"):
        assert f'hx-get="{reverse(name, args=[album.pk])}"' in html
    assert html.count('hx-trigger="load, retry"') == 3
    assert "Loading tracklist…" in html and "Loading prices…" in html


def test_album_page_links_to_spotify_and_leaves_the_player_to_script_only_when_the_album_has_a_spotify_id(client, album):
    with_id = client.get(reverse("catalog:album", args=[album.pk])).content.decode()
    assert 'href="https://open.spotify.com/album/6dVIqQ8qmQ5GBnJ9shOYGE"' in with_id and "Listen on Spotify" in with_id
    assert 'data-embed="https://open.spotify.com/embed/album/6dVIqQ8qmQ5GBnJ9shOYGE"' in with_id
    assert "<iframe" not in with_id  # added by static/js/covers.js once Spotify answers: never a broken box
    other = AlbumFactory(spotify_id=None)
    assert "open.spotify.com" not in client.get(reverse("catalog:album", args=[other.pk])).content.decode()


def test_album_page_shows_the_albums_own_sleeve_when_the_cover_is_missing(client, album):
    html = client.get(reverse("catalog:album", args=[album.pk])).content.decode()
    assert "<title>OK Computer — Radiohead</title>" in html and 'class="sleeve"' in html
    assert "placeholder-cover.svg" not in html


def test_album_page_reads_the_database_in_a_fixed_number_of_queries(client, album, django_assert_max_num_queries):
    ReleaseFactory.create_batch(5, album=album)
    # The album with its pressing count, then the offers its schema.org data states (catalog.seo).
    with django_assert_max_num_queries(2):
        client.get(reverse("catalog:album", args=[album.pk]))


def test_unknown_album_is_404(client):
    assert client.get(reverse("catalog:album", args=[999999])).status_code == 404


def test_tracklist_fragment_lists_tracks_with_durations(client, album):
    TrackFactory(album=album, sequence=1, position="A1", title="Airbag", duration_seconds=284)
    TrackFactory(album=album, sequence=2, position="A2", title="Paranoid Android", duration_seconds=383)
    response = client.get(reverse("catalog:album_tracklist", args=[album.pk]), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # a bare partial for htmx
    assert "Airbag" in html and "4:44" in html and "6:23" in html
    assert html.index("Airbag") < html.index("Paranoid Android")


def test_tracklist_fragment_says_honestly_when_not_synced_yet(client, album):
    html = client.get(reverse("catalog:album_tracklist", args=[album.pk]), **HTMX).content.decode()
    assert "Tracklist not synced yet." in html


def test_fragment_without_htmx_is_a_whole_page_that_works_without_javascript(client, album):
    TrackFactory(album=album, title="Airbag")
    html = client.get(reverse("catalog:album_tracklist", args=[album.pk])).content.decode()
    assert "<html" in html and "Airbag" in html
    assert reverse("catalog:album", args=[album.pk]) in html  # a way back to the album


def test_pressings_fragment_lists_every_pressing_with_its_cheapest_offer(client, album):
    uk = ReleaseFactory(
        album=album,
        country="UK",
        year=1997,
        label="Parlophone",
        catalog_number="NODATA 02",
        format_summary="2xLP, Album",
        rating_average=4.61,
    )
    us = ReleaseFactory(album=album, country="US", year=2008, label="Capitol", catalog_number="CAP-1")
    ReleaseFactory(album=album, country="Europe", year=2016, label="XL", catalog_number="XLLP868")
    discogs, ebay = StoreFactory(name="Discogs", kind="discogs"), StoreFactory(name="eBay", kind="ebay")
    _quote(uk, discogs, "31.50")
    _quote(uk, ebay, "27.40")
    _quote(us, ebay, "19.00", ships_to="DE")  # does not ship to Spain
    html = client.get(reverse("pricing:album_pressings", args=[album.pk]), **HTMX).content.decode()
    for text in ("UK", "1997", "Parlophone", "NODATA 02", "2xLP, Album", "4.6", "US", "Capitol", "XLLP868"):
        assert text in html
    assert "€27.40" in html and "€31.50" not in html
    assert "€19.00" not in html
    assert html.count('rel="noopener">Discogs</a>') == 3


def test_pressings_fragment_tells_not_synced_from_none_on_discogs(client, album):
    html = client.get(reverse("pricing:album_pressings", args=[album.pk]), **HTMX).content.decode()
    assert "Discogs lists no vinyl pressing" in html
    never_synced = AlbumFactory(releases_refreshed_at=None)
    html = client.get(reverse("pricing:album_pressings", args=[never_synced.pk]), **HTMX).content.decode()
    assert "Pressings not synced yet." in html


def test_prices_fragment_shows_ebay_offers_discogs_and_local_store_links(client, album):
    release = ReleaseFactory(album=album)
    ebay = StoreFactory(name="eBay", kind="ebay")
    _quote(release, ebay, "24.90", seller="vinylshop", url="https://www.ebay.es/itm/1")
    _quote(release, StoreFactory(name="Discogs", kind="discogs"), "29.00", num_for_sale=12)
    StoreFactory(
        name="Discos Castelló", kind="local", city="Barcelona", search_url_template="https://example.com/search?q={query}"
    )
    StoreFactory(name="Closed Shop", kind="local", is_active=False, search_url_template="https://closed.example.com/?q={query}")
    html = client.get(reverse("pricing:album_offers", args=[album.pk]), **HTMX).content.decode()
    assert "€24.90" in html and "vinylshop" in html and "https://www.ebay.es/itm/1" in html
    assert "€29.00" in html and "12 for sale" in html
    assert f"sell/list?master_id={album.discogs_master_id}" in html
    assert "https://example.com/search?q=Radiohead+OK+Computer" in html
    assert "Closed Shop" not in html


def test_prices_fragment_says_prices_are_not_fetched_yet(client, album):
    html = client.get(reverse("pricing:album_offers", args=[album.pk]), **HTMX).content.decode()
    assert "Prices not fetched yet." in html


def test_prices_follow_the_listeners_country(client, album):
    release = ReleaseFactory(album=album)
    store = StoreFactory(name="eBay", kind="ebay")
    _quote(release, store, "30.00", ships_to="ES")
    _quote(release, store, "22.00", ships_to="DE")
    user = UserFactory()
    user.profile.country = "DE"
    user.profile.save()
    client.force_login(user)
    html = client.get(reverse("pricing:album_offers", args=[album.pk]), **HTMX).content.decode()
    assert "€22.00" in html and "€30.00" not in html


def test_fragment_of_a_missing_album_answers_an_error_partial_the_page_can_retry(client):
    response = client.get(reverse("pricing:album_pressings", args=[424242]), **HTMX)
    assert response.status_code == 404
    assert response["X-Fragment-Error"] == "1"
    assert "data-fragment-retry" in response.content.decode()


# The offers fragment: album, quotes, stores, then the deals (the history of those pressings and
# Discogs price suggestions), as many for 1,000 pressings as for 10.
@pytest.mark.parametrize("name, queries", [("catalog:album_tracklist", 2), ("pricing:album_offers", 5)])
def test_fragments_read_the_same_queries_for_10_or_1000_pressings(client, name, queries, django_assert_num_queries):
    """The pressings fragment has its own (pricing/tests/test_pressings_fragment.py)."""
    store = StoreFactory(name="eBay", kind="ebay")
    for n in (10, 1000):
        album = AlbumFactory(releases_refreshed_at=timezone.now())
        first = 8_000_000 + 10_000 * n
        releases = Release.objects.bulk_create([ReleaseFactory.build(album=album, discogs_id=first + i) for i in range(n)])
        PriceQuote.objects.bulk_create(
            [
                PriceQuoteFactory.build(release=r, album=album, store=store, amount=Decimal(10 + i % 30))
                for i, r in enumerate(releases)
            ]
        )
        TrackFactory.create_batch(6, album=album)
        refresh_best_prices()
        with django_assert_num_queries(queries):
            response = client.get(reverse(name, args=[album.pk]), **HTMX)
        assert response.status_code == 200


def test_fetch_now_needs_a_signed_in_listener(client, album):
    response = client.post(reverse("catalog:album_fetch", args=[album.pk, "prices"]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.fixture
def provider_api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def test_fetch_now_enqueues_the_pressings_sync_and_the_fragment_then_lists_them(client, provider_api):
    album = AlbumFactory(discogs_master_id=38998, releases_refreshed_at=None)
    serve(provider_api, "https://api.discogs.com/masters/38998/versions", "discogs/master_38998_versions.json")
    provider_api.add(
        "GET", re.compile(r"https://api\.discogs\.com/releases/\d+"), status=404, json={"message": "Release not found."}
    )
    client.force_login(UserFactory())
    response = client.post(reverse("catalog:album_fetch", args=[album.pk, "pressings"]), **HTMX)
    assert response.status_code == 200 and "Fetching from Discogs" in response.content.decode()
    html = client.get(reverse("pricing:album_pressings", args=[album.pk]), **HTMX).content.decode()
    assert "Pressings not synced yet." not in html
    assert album.releases.count() > 0 and "price history" in html


def test_fetch_now_for_a_tracklist_of_an_album_without_pressings_has_nothing_to_read(client):
    album = AlbumFactory()
    client.force_login(UserFactory())
    response = client.post(reverse("catalog:album_fetch", args=[album.pk, "tracklist"]), **HTMX)
    assert "no pressing to read it from" in response.content.decode()


def test_fetch_now_of_an_unknown_kind_is_404(client, album):
    client.force_login(UserFactory())
    assert client.post(reverse("catalog:album_fetch", args=[album.pk, "lyrics"])).status_code == 404


def test_fetch_now_is_offered_to_signed_in_listeners_only(client):
    album = AlbumFactory(releases_refreshed_at=None)
    url = reverse("pricing:album_pressings", args=[album.pk])
    assert "Fetch now" not in client.get(url, **HTMX).content.decode()
    client.force_login(UserFactory())
    assert "Fetch now" in client.get(url, **HTMX).content.decode()


def test_fetch_now_with_the_provider_down_answers_at_once_and_the_fragment_then_says_it_failed(client, provider_api):
    """Embedded default (eager Celery): the sync runs after the response, so a provider outage
    is never a 500; the fragment, asked again, tells the listener in place."""
    album = AlbumFactory(discogs_master_id=38998, releases_refreshed_at=None)
    provider_api.add("GET", re.compile(r"https://api\.discogs\.com/.*"), status=503, body="Service Unavailable")
    client.force_login(UserFactory())

    response = client.post(reverse("catalog:album_fetch", args=[album.pk, "pressings"]), **HTMX)

    assert response.status_code == 200 and "Fetching from Discogs" in response.content.decode()
    html = client.get(reverse("pricing:album_pressings", args=[album.pk]), **HTMX).content.decode()
    assert "The last fetch did not work" in html and "Fetch now" in html
    assert album.releases.count() == 0


def test_fetch_now_answers_before_the_provider_is_called(rf, provider_api, close_response):
    """No request waits on an external API: the view returns with no HTTP call made; the sync
    starts only when the response is closed (sent)."""
    from django.contrib.sessions.middleware import SessionMiddleware

    from vinilogy.after_response import ApiTasksAfterResponseMiddleware

    album = AlbumFactory(discogs_master_id=38998, releases_refreshed_at=None)
    serve(provider_api, "https://api.discogs.com/masters/38998/versions", "discogs/master_38998_versions.json")
    provider_api.add(
        "GET", re.compile(r"https://api\.discogs\.com/releases/\d+"), status=404, json={"message": "Release not found."}
    )
    request = rf.post(reverse("catalog:album_fetch", args=[album.pk, "pressings"]), **HTMX)
    SessionMiddleware(lambda r: None).process_request(request)
    request.user, request.htmx = UserFactory(), True
    request._dont_enforce_csrf_checks = True

    from catalog import views

    response = ApiTasksAfterResponseMiddleware(lambda r: views.album_fetch(r, album_id=album.pk, kind="pressings"))(request)

    assert response.status_code == 200 and len(provider_api.calls) == 0
    close_response(response)  # what the WSGI server does once the response is sent
    assert len(provider_api.calls) > 0 and album.releases.count() > 0

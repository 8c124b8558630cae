"""The artist page and the catalog search."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.factories import AlbumFactory, ArtistFactory, ArtistSimilarityFactory, ReleaseFactory
from pricing.best_price import refresh_best_prices
from pricing.factories import PriceQuoteFactory, StoreFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def radiohead():
    return ArtistFactory(name="Radiohead", image_url="")


def test_artist_page_shows_a_placeholder_image_when_we_have_none(client, radiohead):
    html = client.get(reverse("pricing:artist", args=[radiohead.pk])).content.decode()
    assert "img/placeholder-artist.svg" in html and 'loading="lazy"' in html


def test_artist_page_links_similar_artists_most_similar_first_and_once_each(client, radiohead):
    portishead, muse = ArtistFactory(name="Portishead"), ArtistFactory(name="Muse")
    ArtistSimilarityFactory(from_artist=radiohead, to_artist=muse, score=0.4)
    ArtistSimilarityFactory(from_artist=radiohead, to_artist=portishead, score=0.9)
    ArtistSimilarityFactory(from_artist=radiohead, to_artist=portishead, score=0.7, source="colisten")
    html = client.get(reverse("pricing:artist", args=[radiohead.pk])).content.decode()
    assert html.index("Portishead") < html.index("Muse")
    assert html.count(f'href="{reverse("pricing:artist", args=[portishead.pk])}"') == 1


def test_artist_page_lists_studio_albums_with_pressing_count_and_best_price(client, radiohead):
    ok = AlbumFactory(artist=radiohead, title="OK Computer", first_release_year=1997)
    AlbumFactory(artist=radiohead, title="I Might Be Wrong", is_studio=False)
    kid_a = AlbumFactory(artist=radiohead, title="Kid A", first_release_year=2000)
    uk, _ = ReleaseFactory(album=ok), ReleaseFactory(album=ok)
    PriceQuoteFactory(
        release=uk,
        album=ok,
        store=StoreFactory(name="eBay", kind="ebay"),
        amount=Decimal("25.00"),
        shipping=Decimal("4.50"),
        total_eur=Decimal("29.50"),
    )
    refresh_best_prices()
    html = client.get(reverse("pricing:artist", args=[radiohead.pk])).content.decode()
    assert "OK Computer" in html and "Kid A" in html and "I Might Be Wrong" not in html
    assert "2 vinyl pressings known so far" in html and "€29.50" in html and "eBay" in html
    assert "no vinyl pressing known" in html  # Kid A
    assert html.index("OK Computer") < html.index(kid_a.title)


def test_artist_page_states_a_pressing_count_once_every_version_was_read(client, radiohead):
    ok = AlbumFactory(artist=radiohead, title="OK Computer", all_versions_read_at=timezone.now(), versions_total=3)
    ReleaseFactory.create_batch(2, album=ok)

    html = client.get(reverse("pricing:artist", args=[radiohead.pk])).content.decode()

    assert "2 vinyl pressings" in html and "known so far" not in html


def test_artist_page_query_count_does_not_grow_with_albums(client, radiohead, django_assert_max_num_queries):
    for _ in range(8):
        ReleaseFactory(album=AlbumFactory(artist=radiohead))
    with django_assert_max_num_queries(5):
        client.get(reverse("pricing:artist", args=[radiohead.pk]))


def test_unknown_artist_is_404(client):
    assert client.get(reverse("pricing:artist", args=[999999])).status_code == 404


def test_search_typeahead_returns_matching_artists_and_albums_as_a_partial(client, radiohead):
    AlbumFactory(artist=radiohead, title="Kid A")
    ArtistFactory(name="Kid Loco")
    html = client.get(reverse("catalog:search"), {"q": "kid"}, **HTMX).content.decode()
    assert "<html" not in html
    assert "Kid Loco" in html and "Kid A" in html and "Radiohead" in html


def test_search_without_javascript_is_a_page_with_a_real_form(client, radiohead):
    html = client.get(reverse("catalog:search"), {"q": "radio"}).content.decode()
    assert "<html" in html and 'method="get"' in html and "Radiohead" in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html


def test_search_says_so_when_nothing_matches(client):
    html = client.get(reverse("catalog:search"), {"q": "zzzz"}, **HTMX).content.decode()
    assert "Nothing in our catalog matches" in html

"""Public album and artist pages that search engines and link previews understand: canonical
URL, title and description, OpenGraph and Twitter tags, schema.org JSON-LD; the sitemap, robots.txt,
and noindex on every page that is not public."""

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.factories import UserFactory
from catalog.factories import AlbumFactory, ArtistFactory, ReleaseFactory
from catalog.models import YearSource
from pricing.factories import PriceQuoteFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def site(path):
    return settings.SITE_URL.rstrip("/") + path


def _json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def _meta(html, attribute, name):
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return found and found.group(1)


def _quote(album, total, sample=False, **extra):
    release = ReleaseFactory(album=album)
    return PriceQuoteFactory(
        release=release,
        album=album,
        amount=Decimal(total),
        shipping=Decimal("0"),
        total_eur=Decimal(total),
        ships_to=settings.DEFAULT_COUNTRY,
        sample=sample,
        **extra,
    )


@pytest.fixture
def album():
    return AlbumFactory(
        title="OK Computer",
        artist__name="Radiohead",
        first_release_year=1997,
        year_source=YearSource.MUSICBRAINZ,
        track_count=12,
        cover_url="https://i.discogs.com/ok-computer.jpg",
    )


def _album_html(client, album, **headers):
    response = client.get(reverse("catalog:album", args=[album.pk]), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_an_album_page_is_public_and_carries_a_music_album_with_its_artist_year_and_tracks(client, album):
    data = _json_ld(_album_html(client, album))
    assert data["@context"] == "https://schema.org" and data["@type"] == "MusicAlbum"
    assert data["name"] == "OK Computer" and data["url"] == site(f"/albums/{album.pk}/")
    assert data["byArtist"] == {"@type": "MusicGroup", "name": "Radiohead", "url": site(f"/artists/{album.artist_id}/")}
    assert data["datePublished"] == "1997" and data["numTracks"] == 12
    assert data["image"] == "https://i.discogs.com/ok-computer.jpg"
    assert "offers" not in data  # no price held


def test_an_album_without_a_stated_year_or_track_count_claims_neither(client):
    unknown = AlbumFactory(first_release_year=None, track_count=None)
    from_pressings = AlbumFactory(first_release_year=1971, year_source=YearSource.PRESSINGS, track_count=None)
    for album in (unknown, from_pressings):
        html = _album_html(client, album)
        data = _json_ld(html)
        assert "datePublished" not in data and "numTracks" not in data
        assert "1971" not in _meta(html, "name", "description")


def test_offers_state_only_landed_prices_we_observed_never_a_sample(client, album):
    _quote(album, "17.50", sample=True)
    assert "offers" not in _json_ld(_album_html(client, album))

    _quote(album, "24.00")
    _quote(album, "21.90")
    offers = _json_ld(_album_html(client, album))["offers"]
    assert offers == {"@type": "AggregateOffer", "lowPrice": "21.90", "priceCurrency": "EUR", "offerCount": 2}


def test_an_item_only_price_is_not_an_offer(client, album):
    release = ReleaseFactory(album=album)
    PriceQuoteFactory(
        release=release, album=album, amount=Decimal("9.00"), shipping=None, total_eur=None, shipping_kind="unknown", ships_to=""
    )
    assert "offers" not in _json_ld(_album_html(client, album))


def test_album_page_has_a_canonical_url_without_the_query_string_and_link_preview_tags(client, album):
    html = _album_html(client, album, QUERY_STRING="utm_source=x")
    url = site(f"/albums/{album.pk}/")
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{url}">' in html
    assert "<title>OK Computer by Radiohead (1997) on vinyl · Vinilogy</title>" in html
    description = _meta(html, "name", "description")
    assert "OK Computer" in description and "Radiohead" in description and "1997" in description
    assert _meta(html, "property", "og:type") == "music.album"
    assert _meta(html, "property", "og:url") == url
    assert _meta(html, "property", "og:title") == "OK Computer by Radiohead (1997) on vinyl"
    assert _meta(html, "property", "og:description") == description
    assert _meta(html, "property", "og:image") == "https://i.discogs.com/ok-computer.jpg"
    assert _meta(html, "name", "twitter:card") == "summary_large_image"
    assert 'name="robots"' not in html


def test_without_a_usable_cover_the_preview_image_is_the_generated_sleeve(client):
    album = AlbumFactory(cover_url="http://img.discogs.com/retired.jpg")
    html = _album_html(client, album)
    sleeve = site(f"/albums/{album.pk}/sleeve.svg")
    assert _meta(html, "property", "og:image") == sleeve and _json_ld(html)["image"] == sleeve
    assert client.get(f"/albums/{album.pk}/sleeve.svg").status_code == 200


def test_json_ld_cannot_close_its_script_element(client):
    album = AlbumFactory(title="</script><script>alert(1)</script>", artist__name="A & B")
    html = _album_html(client, album)
    assert "</script><script>alert" not in html
    data = _json_ld(html)
    assert data["name"] == "</script><script>alert(1)</script>" and data["byArtist"]["name"] == "A & B"


def test_an_artist_page_carries_a_music_group_with_its_albums(client, album):
    artist = album.artist
    artist.mbid = "a74b1b7f-71a5-4011-9441-d0b5e4122711"
    artist.save()
    html = client.get(reverse("pricing:artist", args=[artist.pk])).content.decode()
    data = _json_ld(html)
    url = site(f"/artists/{artist.pk}/")
    assert data["@context"] == "https://schema.org" and data["@type"] == "MusicGroup"
    assert data["name"] == "Radiohead" and data["url"] == url
    assert data["sameAs"] == ["https://musicbrainz.org/artist/a74b1b7f-71a5-4011-9441-d0b5e4122711"]
    assert data["album"] == [
        {"@type": "MusicAlbum", "name": "OK Computer", "url": site(f"/albums/{album.pk}/"), "datePublished": "1997"}
    ]
    assert f'<link rel="canonical" href="{url}">' in html and _meta(html, "property", "og:url") == url
    assert "<title>Radiohead on vinyl · Vinilogy</title>" in html and 'name="robots"' not in html


def test_private_pages_are_noindex_and_public_ones_are_not(client):
    user = UserFactory()
    client.force_login(user)
    for name in ("recommendations:wantlist", "recommendations:basket", "alerts:inbox", "accounts:onboarding", "your_data"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert '<meta name="robots" content="noindex">' in response.content.decode(), name
    assert 'name="robots"' not in client.get(reverse("home")).content.decode()


@pytest.fixture
def fresh_cache():
    from django.core.cache import cache

    cache.clear()  # the sitemap views are cached: each test reads its own rows
    yield
    cache.clear()


def _xml(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def test_the_sitemap_lists_public_album_and_artist_pages_and_nothing_private(client, album, fresh_cache):
    ReleaseFactory(album=album)
    no_vinyl = AlbumFactory(artist=album.artist)
    not_studio = AlbumFactory(is_studio=False)
    ReleaseFactory(album=not_studio)
    hidden = ArtistFactory(source="manual", refreshed_at=None)
    ReleaseFactory(album=AlbumFactory(artist=hidden))  # a name a listener typed that no source confirmed

    index = _xml(client, "/sitemap.xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    pages = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    # One page a section: the one whose id range holds its rows (ids need not start at 1: PostgreSQL's do not in tests).
    assert [page.split("?")[0] for page in pages] == [site("/sitemap-albums.xml"), site("/sitemap-artists.xml")]
    listed = [loc.text for page in pages for loc in _xml(client, page.removeprefix(site(""))).iter(f"{SITEMAP}loc")]
    assert site(f"/albums/{album.pk}/") in listed and site(f"/artists/{album.artist_id}/") in listed
    assert site(f"/albums/{no_vinyl.pk}/") not in listed and site(f"/albums/{not_studio.pk}/") not in listed
    assert site(f"/artists/{hidden.pk}/") not in listed
    for url in listed:  # every listed page answers a visitor, signed out
        assert client.get(url.removeprefix(site(""))).status_code == 200


def test_sitemap_pages_are_ranges_of_ids_each_within_the_limit(client, fresh_cache, monkeypatch):
    from catalog import sitemaps

    monkeypatch.setattr(sitemaps.AlbumSitemap, "limit", 2)
    albums = [AlbumFactory() for _ in range(5)]
    for album in albums:
        ReleaseFactory(album=album)
    last = albums[-1].pk
    index = [loc.text for loc in _xml(client, "/sitemap.xml").iter(f"{SITEMAP}loc")]
    album_pages = [url for url in index if "albums" in url]
    assert len(album_pages) == len({(album.pk - 1) // 2 for album in albums})  # the ranges that hold a listed id, no empty one
    listed = [loc.text for url in album_pages for loc in _xml(client, url.removeprefix(site(""))).iter(f"{SITEMAP}loc")]
    assert listed == [site(f"/albums/{album.pk}/") for album in albums]
    assert client.get(f"/sitemap-albums.xml?p={-(-last // 2) + 1}").status_code == 404  # past the highest listed id
    assert client.get("/sitemap-albums.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_sitemap_page_reads_the_database_in_a_fixed_number_of_queries(client, fresh_cache, django_assert_num_queries):
    for _ in range(20):
        ReleaseFactory(album=AlbumFactory())
    with django_assert_num_queries(2):  # the last listed id (how many pages), then the page's rows
        client.get("/sitemap-albums.xml")


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    for path in ("/accounts/", "/recommendations/", "/wantlist/", "/basket/", "/alerts/", "/admin/", "/api/", "/onboarding/"):
        assert f"Disallow: {path}\n" in text
    assert f"Sitemap: {site('/sitemap.xml')}" in text
    assert "Disallow: /albums/" not in text and "Disallow: /artists/" not in text


def test_each_language_of_a_public_page_has_its_own_url_named_by_hreflang(client, album):
    url = site(f"/albums/{album.pk}/")
    html = _album_html(client, album)
    assert f'<link rel="alternate" hreflang="es" href="{url}?lang=es">' in html
    assert f'<link rel="alternate" hreflang="en" href="{url}?lang=en">' in html
    spanish = _album_html(client, album, QUERY_STRING="lang=es", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="es"' in spanish and f'<link rel="canonical" href="{url}?lang=es">' in spanish
    assert _meta(spanish, "property", "og:locale") == "es_ES"
    assert "Ediciones en vinilo" in spanish or "vinilo" in spanish
    # The parameter names the page's language; it does not change the reader's own choice.
    assert "django_language" not in client.cookies
    english = _album_html(client, album, QUERY_STRING="lang=en", HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="en"' in english and f'<link rel="canonical" href="{url}?lang=en">' in english

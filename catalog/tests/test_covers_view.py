"""Covers on the pages: the album's own sleeve under its cover image (or alone), and the
sleeve as a public, cacheable SVG file."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from catalog.factories import AlbumFactory

pytestmark = pytest.mark.django_db

COVER = "https://i.discogs.com/abc/rs:fit/g:sm/q:90/h:600/w:600/czM6Ly9kaXNjb2dz.jpeg"


def _cover_markup(html):
    start = html.index('<span class="cover"')
    return html[start : html.index("</span>", start)]


def test_a_known_cover_lies_over_the_albums_sleeve_and_hides_nothing_when_it_fails(client):
    album = AlbumFactory(title="Grace", artist__name="Jeff Buckley", cover_url=COVER)
    cover = _cover_markup(client.get(reverse("catalog:album", args=[album.pk])).content.decode())
    assert cover.index('class="sleeve"') < cover.index(f'src="{COVER}"')  # the image is drawn over the sleeve
    assert 'alt=""' in cover and 'loading="lazy"' in cover  # a failed image shows no alt text or icon over it
    assert 'aria-label="Cover of Grace by Jeff Buckley"' in cover


def test_an_album_without_a_cover_shows_only_its_sleeve(client):
    album = AlbumFactory(title="Grace", artist__name="Jeff Buckley", cover_url="")
    cover = _cover_markup(client.get(reverse("catalog:album", args=[album.pk])).content.decode())
    assert "<img" not in cover and "<title>Grace — Jeff Buckley</title>" in cover


def test_two_albums_get_two_different_sleeves(client):
    one, other = AlbumFactory(title="Same Title", genre="Rock"), AlbumFactory(title="Same Title", genre="Rock")
    pages = [client.get(reverse("catalog:album", args=[album.pk])).content.decode() for album in (one, other)]
    looks = [_cover_markup(html).split('data-sleeve="')[1].split('"')[0] for html in pages]
    assert looks[0] != looks[1]


def test_every_page_loads_the_script_that_swaps_a_failed_cover_for_its_sleeve(client):
    html = client.get(reverse("catalog:search")).content.decode()
    assert "js/covers.js" in html and "defer" in html


def test_the_sleeve_file_is_public_svg_cached_for_a_week_with_an_etag(client):
    album = AlbumFactory(title="Grace", artist__name="Jeff Buckley")
    response = client.get(reverse("catalog:album_sleeve", args=[album.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "public" in response["Cache-Control"] and "max-age=604800" in response["Cache-Control"]
    body = response.content.decode()
    assert body.startswith("<?xml") and "<title>Grace — Jeff Buckley</title>" in body
    again = client.get(reverse("catalog:album_sleeve", args=[album.pk]), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_the_sleeve_file_changes_its_etag_when_the_title_changes(client):
    album = AlbumFactory(title="Grace")
    before = client.get(reverse("catalog:album_sleeve", args=[album.pk]))["ETag"]
    album.title = "Grace (Legacy Edition)"
    album.save()
    assert client.get(reverse("catalog:album_sleeve", args=[album.pk]))["ETag"] != before


def test_the_sleeve_file_of_an_unknown_album_is_404(client):
    assert client.get(reverse("catalog:album_sleeve", args=[987654])).status_code == 404


def test_the_sleeve_file_answers_a_signed_in_listener_too(client):
    client.force_login(UserFactory())
    album = AlbumFactory()
    assert client.get(reverse("catalog:album_sleeve", args=[album.pk])).status_code == 200


def test_a_cover_stored_on_a_retired_discogs_host_is_not_shown_the_sleeve_is(client):
    album = AlbumFactory(cover_url="https://img.discogs.com/abc=/fit-in/600x600/discogs-images/R-1.jpeg.jpg")
    cover = _cover_markup(client.get(reverse("catalog:album", args=[album.pk])).content.decode())
    assert "<img" not in cover and 'class="sleeve"' in cover

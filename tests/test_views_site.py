"""Every public page: no CDN at runtime, lazy images, one small script at most besides htmx and theme.js."""

import re

import pytest
from django.urls import reverse

from tests.demo_world import build_demo_world

pytestmark = pytest.mark.django_db

SCRIPT_SRC = re.compile(r"<script[^>]*\bsrc=[\"']([^\"']+)", re.I)
STYLESHEET = re.compile(r"<link[^>]*rel=[\"']stylesheet[\"'][^>]*>", re.I)
IMG = re.compile(r"<img\b[^>]*>", re.I)
# Every page's own: the theme, htmx, and the cover fallback (a failed cover shows its sleeve).
OUR_SCRIPTS = {"/static/js/theme.js", "/static/vendor/htmx.min.js", "/static/js/covers.js"}


@pytest.fixture
def pages(client, django_capture_on_commit_callbacks):
    world = build_demo_world(history_days=(14,))
    album, artist = world.albums["Mezzanine"], world.artists["Massive Attack"]
    public = [
        reverse("home"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("catalog:search") + "?q=b",
        reverse("catalog:album", args=[album.pk]),
        reverse("pricing:artist", args=[artist.pk]),
        reverse("catalog:album_tracklist", args=[album.pk]),
        reverse("pricing:album_guide", args=[album.pk]),
        reverse("pricing:album_pressings", args=[album.pk]),
        reverse("pricing:album_offers", args=[album.pk]),
    ]
    private = [
        reverse("recommendations:page"),
        reverse("recommendations:reset_dismissals"),
        reverse("accounts:onboarding") + "?q=bj",
        reverse("recommendations:wantlist"),
        reverse("home"),
    ]
    client.force_login(world.listener)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("recommendations:page"))
    client.post(
        reverse("recommendations:feedback", args=[world.listener.recommendation_sets.first().items.first().pk]),
        {"action": "wantlist"},
    )
    client.logout()
    return client, world, public, private


def _render_all(client, world, public, private):
    rendered = {url: client.get(url).content.decode() for url in public}
    client.force_login(world.listener)
    rendered.update({f"{url} (signed in)": client.get(url).content.decode() for url in private})
    return rendered


def test_no_page_loads_scripts_or_styles_from_another_host(pages):
    for url, html in _render_all(*pages).items():
        for src in SCRIPT_SRC.findall(html):
            assert not re.match(r"^(https?:)?//", src), f"{url} loads a script from {src}"
        for tag in STYLESHEET.findall(html):
            assert not re.search(r"href=[\"'](https?:)?//", tag), f"{url} loads a stylesheet: {tag}"


def test_pages_use_at_most_one_script_of_their_own_besides_the_site_wide_ones(pages):
    for url, html in _render_all(*pages).items():
        extra = set(SCRIPT_SRC.findall(html)) - OUR_SCRIPTS
        assert len(extra) <= 1, f"{url} loads {extra}"
        assert "<script>" not in html, f"{url} has an inline script"


def test_every_image_is_lazy_loaded_and_has_alt_text(pages):
    covers = 0
    for url, html in _render_all(*pages).items():
        for tag in IMG.findall(html):
            assert 'loading="lazy"' in tag, f"{url}: {tag}"
            assert 'alt="' in tag, f"{url}: {tag}"
        covers += html.count('<span class="cover" role="img" aria-label="Cover of ')
    assert covers > 24  # the grid alone has a cover per card (its sleeve, and its image when known)


def test_every_page_has_the_theme_toggle_and_a_phone_viewport(pages):
    for url, html in _render_all(*pages).items():
        if "<html" in html:
            assert 'id="theme-toggle"' in html and 'name="viewport" content="width=device-width' in html, url

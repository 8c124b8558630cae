"""What search engines and link previews read of the public pages (album, artist): the
canonical URL, title and description, OpenGraph and Twitter card tags, schema.org JSON-LD.

The facts are the page's own: the year only when a source states it (not the earliest
pressing's), the track count only when known, offers only from landed prices we observed.
Prices live in pricing, to our right in the layer order: pricing registers the function that
sums up an album's offers (`register_offer_summary`, in its AppConfig.ready); until one is
registered (a catalog-only test, a script) a page states no offers.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _, ngettext

from . import covers
from .models import YearSource

SCHEMA = "https://schema.org"
# In a <script> data block "</script>" or "<!--" would end or confuse the element: the JSON
# escapes <, > and & (as Django's json_script does), which JSON parsers read back unchanged.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

_offer_summaries = []


def register_offer_summary(summary):
    """`summary(album_id, country)` → (lowest landed total in EUR, offer count) of the landed,
    observed (not sample) prices we hold for the album, or None."""
    _offer_summaries[:] = [summary]


@dataclass(frozen=True)
class PageMeta:
    """The head of a public page: read by templates/catalog/_seo_head.html."""

    title: str
    description: str
    canonical: str
    og_type: str
    image: str
    json_ld: str


def absolute_url(path):
    """The site's public address of `path`: from SITE_URL, never the request's Host header,
    so a page reached by any name (or with a query string) names one canonical URL."""
    return settings.SITE_URL.rstrip("/") + path


def stated_year(album):
    """The first-release year a source states; None when unknown or only the earliest pressing's."""
    if album.year_source == YearSource.PRESSINGS:
        return None
    return album.first_release_year


def album_page(album):
    year = stated_year(album)
    names = {"album": album.title, "artist": album.artist.name, "year": year}
    if year:
        title = _("%(album)s by %(artist)s (%(year)s) on vinyl") % names
        description = _("%(album)s, the %(year)s album by %(artist)s: its vinyl pressings and where to buy them.") % names
    else:
        title = _("%(album)s by %(artist)s on vinyl") % names
        description = _("%(album)s, an album by %(artist)s: its vinyl pressings and where to buy them.") % names
    url = absolute_url(reverse("catalog:album", args=[album.pk]))
    image = album_image(album)
    data = {
        "@context": SCHEMA,
        "@type": "MusicAlbum",
        "name": album.title,
        "url": url,
        "image": image,
        "byArtist": {
            "@type": "MusicGroup",
            "name": album.artist.name,
            "url": absolute_url(reverse("pricing:artist", args=[album.artist_id])),
        },
    }
    if album.is_studio:
        data["albumProductionType"] = f"{SCHEMA}/StudioAlbum"
    if year:
        data["datePublished"] = str(year)
    if album.track_count:
        data["numTracks"] = album.track_count
    offers = _offers(album)
    if offers:
        data["offers"] = offers
    return PageMeta(title, description, url, "music.album", image, json_ld(data))


def album_image(album):
    """The cover when it is usable, else the album's generated sleeve at its stable URL.
    Some link previewers (Facebook, X) refuse SVG images: the sleeve is still the one picture
    we have of an album without a cover, and a previewer that refuses it shows the text alone."""
    return covers.usable(album.cover_url) or absolute_url(reverse("catalog:album_sleeve", args=[album.pk]))


def _offers(album):
    summary = _offer_summaries[0](album.pk, settings.DEFAULT_COUNTRY) if _offer_summaries else None
    if not summary:
        return None
    low, count = summary
    return {"@type": "AggregateOffer", "lowPrice": f"{low:.2f}", "priceCurrency": "EUR", "offerCount": count}


def artist_page(artist, albums):
    """`albums`: the studio albums the artist page lists."""
    names = {"artist": artist.name, "count": len(albums)}
    title = _("%(artist)s on vinyl") % names
    if albums:
        description = (
            ngettext(
                "%(artist)s on vinyl: %(count)d studio album, its pressings and where to buy them.",
                "%(artist)s on vinyl: %(count)d studio albums, their pressings and where to buy them.",
                len(albums),
            )
            % names
        )
    else:
        description = _("%(artist)s on vinyl: no studio album synced yet.") % names
    url = absolute_url(reverse("pricing:artist", args=[artist.pk]))
    image = covers.usable(artist.image_url)
    data = {"@context": SCHEMA, "@type": "MusicGroup", "name": artist.name, "url": url}
    if image:
        data["image"] = image
    if artist.mbid:
        data["sameAs"] = [f"https://musicbrainz.org/artist/{artist.mbid}"]
    data["album"] = [_album_summary(album) for album in albums]
    return PageMeta(title, description, url, "website", image, json_ld(data))


def _album_summary(album):
    item = {"@type": "MusicAlbum", "name": album.title, "url": absolute_url(reverse("catalog:album", args=[album.pk]))}
    year = stated_year(album)
    if year:
        item["datePublished"] = str(year)
    return item


def json_ld(data):
    """`data` as the text of a <script type="application/ld+json"> element, safe inside HTML."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))

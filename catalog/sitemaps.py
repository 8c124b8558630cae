"""sitemap.xml: an index of paginated sections, the public album and artist pages.

Sized for 500,000 albums: a section's pages are ranges of primary keys (page n holds the rows
with pk in ((n-1)·limit, n·limit]), so a page is one index range scan whatever its number,
and the index lists the pages that hold a row (one aggregate per section, cached), never a
COUNT nor an OFFSET over half a million rows. The price is that a page may hold fewer than `limit` URLs (gaps in the
ids, rows that are not listed), which the protocol allows. The views are cached
(SITEMAP_CACHE_SECONDS) and name every URL from SITE_URL (like the canonical links), never
from the request's host nor django.contrib.sites' row.
"""

from math import ceil
from types import SimpleNamespace

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, F, OuterRef
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_page

from .models import Album, Artist, Release
from .seo import absolute_url

SITEMAP_CACHE_SECONDS = 6 * 3600
# The protocol allows 50,000 URLs (and 50 MB) a file; 10,000 keeps each page quick to build
# (about 1.5 MB) and makes 50 pages of 500,000 albums.
URLS_PER_PAGE = 10_000


class PkRangePaginator:
    """Pages of a sitemap's items by ranges of their primary key (see the module's docstring)."""

    def __init__(self, sitemap, per_page):
        self.sitemap, self.per_page = sitemap, per_page

    @property
    def num_pages(self):
        last = self.sitemap.items().order_by("-pk").values_list("pk", flat=True).first()
        return max(1, ceil((last or 0) / self.per_page))

    def page_numbers(self):
        """The pages that hold at least one item, in order: the index names no empty page (ids
        need not start near 1, and a range may hold no listed row). One aggregate over the
        section, read once per SITEMAP_CACHE_SECONDS."""
        page = (F("pk") - 1) / self.per_page + 1  # integer division on both databases
        pages = self.sitemap.items().annotate(page=page).values_list("page", flat=True).distinct().order_by("page")
        return list(pages) or [1]

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(number) from error
        if not 1 <= number <= self.num_pages:
            raise EmptyPage(number)
        low = (number - 1) * self.per_page
        return SimpleNamespace(object_list=self.sitemap.items_between(low, low + self.per_page).order_by("pk"))


class PublicSitemap(Sitemap):
    """One section: `items()` a queryset of values (pk, lastmod), `url_name` its page's URL."""

    limit = URLS_PER_PAGE
    url_name = ""

    @property
    def paginator(self):
        return PkRangePaginator(self, self.limit)

    def items_between(self, low, high):
        """The items with low < pk <= high."""
        return self.items().filter(pk__gt=low, pk__lte=high)

    def get_urls(self, page=1, site=None, protocol=None):
        # One reverse per page, not one per URL: 10,000 reverses would be most of the work.
        self._prefix = reverse(self.url_name, args=[0]).removesuffix("0/")
        base = absolute_url("")
        protocol, domain = base.split("://", 1)
        return self._urls(page, protocol, domain)

    def location(self, item):
        return f"{self._prefix}{item['pk']}/"

    def lastmod(self, item):
        return item["refreshed_at"]

    def get_latest_lastmod(self):
        return None  # the index would read every row for it: it names no lastmod


class AlbumSitemap(PublicSitemap):
    """Studio albums with at least one vinyl pressing: the pages a record buyer searches for."""

    url_name = "catalog:album"

    def items(self, pressings=None):
        vinyl = Exists((Release.objects if pressings is None else pressings).filter(album=OuterRef("pk")))
        return Album.objects.studio().filter(vinyl).values("pk", "refreshed_at")

    def items_between(self, low, high):
        # The pressings bounded too: PostgreSQL otherwise merges the page's albums with the
        # whole pressing index from its start (0.3 s for the last page of 600k albums).
        pressings = Release.objects.filter(album_id__gt=low, album_id__lte=high)
        return self.items(pressings).filter(pk__gt=low, pk__lte=high)


class ArtistSitemap(PublicSitemap):
    """Public artists (confirmed by a source) with at least one album the album section lists."""

    url_name = "pricing:artist"

    def items(self):
        listed = AlbumSitemap().items().filter(artist=OuterRef("pk"))
        return Artist.objects.confirmed().filter(Exists(listed)).values("pk", "refreshed_at")


SITEMAPS = {"albums": AlbumSitemap, "artists": ArtistSitemap}


@cache_page(SITEMAP_CACHE_SECONDS)
def index(request):
    """The sitemap index: every page of every section, named from SITE_URL."""
    locations = []
    for section, sitemap in SITEMAPS.items():
        url = absolute_url(reverse("sitemap_section", kwargs={"section": section}))
        pages = sitemap().paginator.page_numbers()
        locations += [url if page == 1 else f"{url}?p={page}" for page in pages]
    sitemaps = [SimpleNamespace(location=location, last_mod=None) for location in locations]
    return _no_index(TemplateResponse(request, "sitemap_index.xml", {"sitemaps": sitemaps}, content_type="application/xml"))


@cache_page(SITEMAP_CACHE_SECONDS)
def section(request, section):
    if section not in SITEMAPS:
        raise Http404(f"No sitemap section {section}")
    try:
        urls = SITEMAPS[section]().get_urls(page=request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such sitemap page") from error
    return _no_index(TemplateResponse(request, "sitemap.xml", {"urlset": urls}, content_type="application/xml"))


def _no_index(response):
    # As django.contrib.sitemaps' own views: the files are for crawlers, not results to show.
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response

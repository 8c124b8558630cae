"""robots.txt: crawlers keep to the public pages (home, albums, artists) and are told where the
sitemap is. Private pages also say noindex themselves (templates/base.html), and a visitor is
sent to sign in from them anyway: this file saves crawlers the trip."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from catalog.seo import absolute_url

# Path prefixes of what needs sign-in or is a listener's own (the JSON API, secret links, the
# fragments of an album page that only load into it), and the operators' console.
PRIVATE_PREFIXES = (
    "/admin/",
    "/accounts/",
    "/account/",
    "/api/",
    "/recommendations/",
    "/wantlist/",
    "/basket/",
    "/alerts/",
    "/onboarding/",
    "/start/",
    "/search/",
    "/health",
)


@require_GET
@cache_control(public=True, max_age=24 * 3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES),
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

from allauth.account.views import signup
from django.contrib import admin
from django.urls import include, path, register_converter

from accounts.language import set_language
from catalog import sitemaps
from integrations.limits import rate_limited

from . import admin_views, converters, data_views, robots, views
from .api import api

# Before the apps' URLs are included: they name their ids <id:…>.
register_converter(converters.IdConverter, "id")

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    # For crawlers: what to leave alone, and the public album and artist pages (catalog.sitemaps).
    path("robots.txt", robots.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
    path("api/", api.urls),
    # The language switcher posts here: Django's set_language, saving a listener's choice too.
    path("i18n/setlang/", set_language, name="set_language"),
    # Sign-ups are rate limited per client address (integrations.limits), then allauth's form.
    path("accounts/signup/", rate_limited("signup")(signup)),
    path("accounts/", include("allauth.urls")),
    path("", include("recommendations.urls")),
    path("", include("catalog.urls")),
    path("", include("accounts.urls")),
    path("", include("pricing.urls")),
    path("", include("alerts.urls")),
    path("account/data/", data_views.your_data, name="your_data"),
    path("account/data/export/", data_views.export, name="data_export"),
    path("account/data/delete/", data_views.delete_account, name="delete_account"),
    path("account/data/delete/link/", data_views.send_delete_link, name="delete_account_link"),
    path("account/data/delete/<str:token>/", data_views.delete_account_confirm, name="delete_account_confirm"),
    # The operators' dashboard, and the admin index with its coverage summary: both before the
    # admin's own URLs so they take /admin/dashboard/ and /admin/ (staff only, through admin_view).
    # The admin signs in through allauth's form and its throttle; its own form is never served.
    path("admin/login/", views.admin_login, name="admin-login-via-allauth"),
    path("admin/dashboard/", admin.site.admin_view(admin_views.dashboard), name="admin-dashboard"),
    path("admin/", admin.site.admin_view(admin_views.index), name="admin-index-with-summary"),
    path("admin/", admin.site.urls),
]

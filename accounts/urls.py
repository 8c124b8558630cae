from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("start/", views.start_with_lastfm, name="start"),
    path("onboarding/", views.onboarding, name="onboarding"),
    path("onboarding/profile/", views.profile_update, name="profile_update"),
    path("onboarding/discogs-csv/", views.collection_csv, name="collection_csv"),
    path("collection/value/", views.collection_value_page, name="collection_value"),
    path("onboarding/discogs-csv/<id:job_id>/", views.collection_csv_job, name="collection_csv_job"),
    path("onboarding/artists/", views.seed_search, name="seed_search"),
    path("onboarding/seeds/", views.seed_add, name="seed_add"),
    path("onboarding/seeds/list/", views.seed_list, name="seed_list"),
    path("onboarding/catalog/", views.catalog_progress, name="catalog_progress"),
    path("onboarding/seeds/<id:artist_id>/remove/", views.seed_remove, name="seed_remove"),
    path("onboarding/sources/<id:account_id>/disconnect/", views.source_disconnect, name="source_disconnect"),
    path("onboarding/sources/<slug:source>/sync/", views.source_sync, name="source_sync"),
    path("onboarding/sources/<slug:source>/preview/", views.source_preview, name="source_preview"),
    path("onboarding/sources/<slug:source>/connect/", views.username_connect, name="username_connect"),
    path("onboarding/sources/<slug:source>/disconnect/", views.username_disconnect, name="username_disconnect"),
]

from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("albums/<int:album_id>/", views.album_detail, name="album"),
    path("albums/<int:album_id>/tracklist/", views.album_tracklist, name="album_tracklist"),
    path("albums/<int:album_id>/fetch/<str:kind>/", views.album_fetch, name="album_fetch"),
    path("search/", views.search, name="search"),
]

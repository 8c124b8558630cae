from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("albums/<id:album_id>/", views.album_detail, name="album"),
    path("albums/<id:album_id>/sleeve.svg", views.album_sleeve, name="album_sleeve"),
    path("albums/<id:album_id>/tracklist/", views.album_tracklist, name="album_tracklist"),
    path("albums/<id:album_id>/fetch/<str:kind>/", views.album_fetch, name="album_fetch"),
    path("search/", views.search, name="search"),
]

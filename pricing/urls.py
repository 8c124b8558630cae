from django.urls import path

from . import views

app_name = "pricing"

urlpatterns = [
    path("albums/<id:album_id>/guide/", views.album_guide, name="album_guide"),
    path("albums/<id:album_id>/pressings/", views.album_pressings, name="album_pressings"),
    path("albums/<id:album_id>/prices/", views.album_offers, name="album_offers"),
    path("artists/<id:artist_id>/", views.artist_detail, name="artist"),
    path("prices/releases/<id:release_id>/history.svg", views.release_price_chart, name="release_chart"),
]

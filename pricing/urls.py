from django.urls import path

from . import views

app_name = "pricing"

urlpatterns = [
    path("prices/releases/<id:release_id>/history.svg", views.release_price_chart, name="release_chart"),
]

from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("recommendations/", views.recommendations_page, name="page"),
    path("recommendations/refresh/", views.refresh, name="refresh"),
    path("recommendations/sets/<id:set_id>/progress/", views.set_progress, name="progress"),
    path("recommendations/sets/<id:set_id>/grid/", views.set_grid, name="grid"),
    path("recommendations/items/<id:item_id>/feedback/", views.feedback, name="feedback"),
    path("recommendations/reset-dismissals/", views.reset_dismissals, name="reset_dismissals"),
    path("wantlist/", views.wantlist, name="wantlist"),
    path("wantlist/<id:album_id>/remove/", views.wantlist_remove, name="wantlist_remove"),
    path("basket/", views.basket, name="basket"),
    path("wantlist/sellers/", views.sellers_for_wants, name="sellers_for_wants"),
]

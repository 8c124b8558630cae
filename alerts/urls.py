from django.urls import path

from . import feeds, views

app_name = "alerts"

urlpatterns = [
    path("alerts/", views.inbox, name="inbox"),
    path("alerts/unread/", views.unread_count, name="unread"),
    path("alerts/read-all/", views.mark_all_read, name="read_all"),
    path("alerts/notifications/<id:notification_id>/read/", views.mark_read, name="mark_read"),
    path("alerts/albums/<id:album_id>/watch/", views.watch_box, name="watch_box"),
    path("alerts/albums/<id:album_id>/watch/save/", views.watch_create, name="watch_create"),
    path("alerts/watches/<id:watch_id>/delete/", views.watch_delete, name="watch_delete"),
    path("alerts/settings/", views.save_settings, name="settings"),
    path("alerts/feed/rotate/", views.rotate_feed, name="rotate_feed"),
    path("alerts/email-links/rotate/", views.rotate_email_links, name="rotate_email_links"),
    path("alerts/feed/<str:token>/", feeds.NotificationFeed(), name="feed"),
    path("alerts/artists/<id:artist_id>/follow/", views.follow_artist, name="follow"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

from django.urls import path

from . import calendar, feeds, views

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
    path("alerts/calendar/rotate/", views.rotate_calendar, name="rotate_calendar"),
    path("alerts/calendar/<str:token>/", calendar.calendar_feed, name="calendar"),
    path("alerts/channels/add/", views.channel_add, name="channel_add"),
    path("alerts/channels/<id:channel_id>/toggle/", views.channel_toggle, name="channel_toggle"),
    path("alerts/channels/<id:channel_id>/test/", views.channel_test, name="channel_test"),
    path("alerts/channels/<id:channel_id>/delete/", views.channel_delete, name="channel_delete"),
    # The push service worker from the site's root: its scope is every page.
    path("sw.js", views.service_worker, name="service_worker"),
    path("alerts/artists/<id:artist_id>/follow/", views.follow_artist, name="follow"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

"""A listener's private Atom feed of notifications, behind a secret token they can rotate."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _, gettext_lazy

from accounts.language import language_of

from . import describe
from .models import AlertSettings, Notification

FEED_SIZE = 50


class NotificationFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Your Vinilogy alerts")
    subtitle = gettext_lazy("Watched albums on offer, new pressings and new albums of the artists you follow.")

    def get_object(self, request, token):
        settings = get_object_or_404(AlertSettings.objects.select_related("user"), feed_token=token)
        # A feed reader sends no language of its own that we could trust: the listener's is used.
        translation.activate(language_of(settings.user))
        return settings

    def link(self, settings):
        return reverse("alerts:inbox")

    def items(self, settings):
        return Notification.objects.for_user(settings.user).select_related("album__artist", "release")[:FEED_SIZE]

    def item_title(self, item):
        return _("%(kind)s: %(title)s") % {"kind": item.get_kind_display(), "title": item.album.title}

    def item_description(self, item):
        return describe.in_reader_language(item)

    def item_link(self, item):
        return reverse("catalog:album", args=[item.album_id]) + f"#notification-{item.pk}"

    def item_guid(self, item):
        return f"vinilogy-notification-{item.pk}"

    def item_pubdate(self, item):
        return item.created_at

"""The listener's alerts: watches (created from a card, the album page or the wantlist; from the
JSON API by alerts.api), the inbox with its unread count, settings, instant channels (ntfy,
this browser's notifications), followed artists, the feed and calendar tokens and unsubscribe.

Every row is looked up through the signed-in user, so another listener's ids answer 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.models import Album, Artist
from integrations.limits import rate_limited
from integrations.queue import enqueue_api_task
from pricing.formats import money

from . import channels, delivery, follows, watches
from .forms import AlertSettingsForm, NtfyChannelForm, WatchForm
from .models import AlertSettings, ArtistFollow, InstantChannel, Notification, Watch

INBOX_SIZE = 100


@login_required
@require_GET
def watch_box(request, album_id):
    """The album's watch box (htmx, on the album page and the wantlist), or a page of its own."""
    album = get_object_or_404(Album.objects.select_related("artist"), pk=album_id)
    context = {
        "album": album,
        "watch": Watch.objects.for_user(request.user).filter(album=album).first(),
        "open": not request.htmx or "open" in request.GET,
    }
    return render(request, "alerts/_watch_button.html" if request.htmx else "alerts/watch_page.html", context)


@login_required
@require_POST
@rate_limited("watch")
def watch_create(request, album_id):
    """Watch the album (or change the watch); fires at once on what is already on offer."""
    album = get_object_or_404(Album, pk=album_id)
    existing = Watch.objects.for_user(request.user).filter(album=album).first()
    form = WatchForm(request.POST, instance=existing, album=album)
    if not form.is_valid():
        context = {"album": album, "form": form, "watch": existing}
        return render(request, "alerts/_watch_button.html", context, status=400)
    watch, fired = watches.save_watch(form, request.user, album)
    if request.htmx:
        return render(request, "alerts/_watch_button.html", {"album": album, "watch": watch, "fired": fired})
    text = _("Watching %(title)s at %(price)s or less.") % {"title": album.title, "price": money(watch.max_total_eur)}
    if fired:
        text += " " + ngettext("%(count)d offer already matches.", "%(count)d offers already match.", len(fired)) % {
            "count": len(fired)
        }
    messages.success(request, text)
    return redirect("alerts:inbox")


@login_required
@require_POST
def watch_delete(request, watch_id):
    watch = get_object_or_404(Watch.objects.for_user(request.user), pk=watch_id)
    album = watch.album
    watch.delete()
    if request.htmx:
        return render(request, "alerts/_watch_button.html", {"album": album, "watch": None})
    return redirect("alerts:inbox")


@login_required
@require_GET
def inbox(request):
    return _inbox_page(request)


def _inbox_page(request, ntfy_form=None, status=200):
    """The alerts page; with a refused channel form, that form and its errors (400)."""
    user = request.user
    alert_settings = AlertSettings.for_user(user)
    context = {
        "title": "Alerts",
        "notifications": Notification.objects.for_user(user).select_related("album__artist", "release")[:INBOX_SIZE],
        "watches": Watch.objects.for_user(user).select_related("album__artist"),
        "settings_form": AlertSettingsForm(instance=alert_settings),
        "feed_token": alert_settings.feed_token,
        "calendar_token": alert_settings.calendar_token,
        "followed": Artist.objects.filter(pk__in=follows.followed_artist_ids(user)).order_by("name"),
        "channels": InstantChannel.objects.for_user(user),
        "ntfy_form": ntfy_form or NtfyChannelForm(),
        "vapid_public_key": settings.VAPID_PUBLIC_KEY if channels.webpush_available() else "",
    }
    return render(request, "alerts/inbox.html", context, status=status)


@login_required
@require_POST
def channel_add(request):
    """Add an ntfy topic URL (browsers subscribe through the JSON API, from alerts/push.js)."""
    form = NtfyChannelForm(request.POST)
    if form.is_valid():
        try:
            channels.add_channel(
                request.user, InstantChannel.Kind.NTFY, form.cleaned_data["endpoint"], name=form.cleaned_data["name"]
            )
        except channels.ChannelRefused as refusal:
            form.add_error("endpoint", str(refusal))
    if form.errors:
        return _inbox_page(request, ntfy_form=form, status=400)
    messages.success(request, _("Channel added. Send a test to see how alerts arrive."))
    return redirect(reverse("alerts:inbox") + "#channels")


@login_required
@require_POST
def channel_toggle(request, channel_id):
    channel = get_object_or_404(InstantChannel.objects.for_user(request.user), pk=channel_id)
    InstantChannel.objects.filter(pk=channel.pk).update(enabled=not channel.enabled)
    return redirect(reverse("alerts:inbox") + "#channels")


@login_required
@require_POST
@rate_limited("channel_test")
def channel_test(request, channel_id):
    """Send a test message (a task: no web request waits on the listener's server)."""
    channel = get_object_or_404(InstantChannel.objects.for_user(request.user), pk=channel_id)
    enqueue_api_task("alerts.test_channel", channel.pk)
    messages.success(request, _("A test message is on its way; its outcome shows here as the last delivery or error."))
    return redirect(reverse("alerts:inbox") + "#channels")


@login_required
@require_POST
def channel_delete(request, channel_id):
    get_object_or_404(InstantChannel.objects.for_user(request.user), pk=channel_id).delete()
    return redirect(reverse("alerts:inbox") + "#channels")


@login_required
@require_POST
def rotate_calendar(request):
    AlertSettings.for_user(request.user).rotate_calendar_token()
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("alerts:inbox")


@require_GET
def service_worker(request):
    """The push service worker, served from the site's root so its scope is the whole site."""
    response = HttpResponse(render_to_string("alerts/sw.js", request=request), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_GET
def unread_count(request):
    count = Notification.objects.for_user(request.user).unread().count()
    return render(request, "alerts/_unread.html", {"unread": count})


@login_required
@require_POST
def mark_read(request, notification_id):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=notification_id)
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    notification.refresh_from_db()
    if request.htmx:
        return render(request, "alerts/_notification.html", {"notification": notification})
    return redirect("alerts:inbox")


@login_required
@require_POST
def mark_all_read(request):
    Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    return redirect("alerts:inbox")


@login_required
@require_POST
def save_settings(request):
    form = AlertSettingsForm(request.POST, instance=AlertSettings.for_user(request.user))
    if form.is_valid():
        form.save()
        messages.success(request, _("Alert settings saved."))
    else:
        messages.error(request, _("Those settings were not valid."))
    return redirect("alerts:inbox")


@login_required
@require_POST
def rotate_feed(request):
    AlertSettings.for_user(request.user).rotate_feed_token()
    messages.success(
        request,
        _("Your feed has a new address; the old one no longer works, nor do the unsubscribe links of emails already sent."),
    )
    return redirect("alerts:inbox")


@login_required
@require_POST
def rotate_email_links(request):
    AlertSettings.for_user(request.user).rotate_email_secret()
    messages.success(request, _("The unsubscribe links of emails already sent no longer work; the next email has a new one."))
    return redirect("alerts:inbox")


@login_required
@require_POST
def follow_artist(request, artist_id):
    """Follow an artist (follow=1) or mute it (follow=0) for new-album and new-pressing alerts."""
    artist = get_object_or_404(Artist, pk=artist_id)
    following = request.POST.get("follow", "1") == "1"
    ArtistFollow.objects.update_or_create(user=request.user, artist=artist, defaults={"following": following})
    return redirect("alerts:inbox")


@csrf_exempt  # the signed token is the credential; mail clients post one-click unsubscribes (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks to confirm (link scanners must not unsubscribe anyone); POST unsubscribes."""
    user_id = delivery.user_id_from_unsubscribe_token(token)
    if user_id is None or not get_user_model().objects.filter(pk=user_id).exists():
        return render(request, "alerts/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        delivery.unsubscribe(user_id)
        return render(request, "alerts/unsubscribe.html", {"done": True})
    return render(request, "alerts/unsubscribe.html", {"token": token})

"""A listener's private iCal feed (RFC 5545, `text/calendar`) of the upcoming vinyl of the artists
they follow: one all-day event per pressing whose whole release date is today or later.

Like the Atom feed it sits behind a secret token the listener can rotate (a calendar app has no
session); it has its own token, so sharing one does not share the other. The catalog holds vinyl
pressings only, so every event is vinyl.
"""

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from accounts.language import language_of
from catalog.models import Release
from catalog.seo import absolute_url

from . import describe, follows
from .models import AlertSettings

MAX_EVENTS = 500


def upcoming_vinyl(user, today):
    """Pressings of the listener's followed artists out today or later, soonest first."""
    releases = Release.objects.linked().filter(
        album__artist__in=follows.followed_artist_ids(user), released__gte=today.isoformat()
    )
    dated = ((follows.release_date(release), release) for release in releases.select_related("album__artist"))
    return sorted(((day, release) for day, release in dated if day and day >= today), key=lambda pair: (pair[0], pair[1].pk))[
        :MAX_EVENTS
    ]


def _event(day, release, stamp):
    event = Event()
    event.add("uid", f"vinilogy-release-{release.discogs_id}@vinilogy")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", f"{release.album.artist.name} — {release.album.title} ({release.format_summary or _('vinyl')})")
    label = f" · {release.label}" if release.label else ""
    event.add("description", f"{describe.pressing_phrase(release)}{label}")
    event.add("url", absolute_url(reverse("catalog:album", args=[release.album_id])))
    event.add("transp", "TRANSPARENT")
    return event


def build(user, today=None):
    """The calendar's bytes."""
    today = today or timezone.localdate()
    calendar = Calendar()
    calendar.add("prodid", "-//Vinilogy//Upcoming vinyl//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Upcoming vinyl of the artists you follow"))
    stamp = timezone.now()
    for day, release in upcoming_vinyl(user, today):
        calendar.add_component(_event(day, release, stamp))
    return calendar.to_ical()


@require_GET
def calendar_feed(request, token):
    settings = get_object_or_404(AlertSettings.objects.select_related("user"), calendar_token=token, user__is_active=True)
    with translation.override(language_of(settings.user)):  # a calendar app sends no language we could trust
        body = build(settings.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="vinilogy-upcoming-vinyl.ics"'
    return response

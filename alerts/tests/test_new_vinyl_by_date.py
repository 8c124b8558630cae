"""New vinyl of a followed artist is told once when announced, once more on its release date when
that was still ahead, and once when it is first on sale to the listener's country; the private
iCal feed lists the upcoming vinyl of followed artists only (parsed with icalendar to prove it
is valid RFC 5545) at a secret address the listener can rotate."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.factories import UserFactory
from alerts import follows
from alerts.models import AlertSettings, ArtistFollow, Notification, VinylNotice
from alerts.tests.test_watches import observe
from catalog.factories import AlbumFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def fan():
    user = UserFactory(username="fan")
    user.profile.country = "ES"
    user.profile.save()
    return user


@pytest.fixture
def upcoming(fan, today):
    """A pressing of a followed artist, due in three weeks."""
    album = AlbumFactory(title="Wall of Eyes", artist__name="The Smile")
    ArtistFollow.objects.create(user=fan, artist=album.artist)
    return ReleaseFactory(album=album, released=(today + timedelta(days=21)).isoformat(), year=today.year, country="Europe")


def kinds(user):
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


def test_a_new_pressing_is_told_once_however_often_it_is_announced(fan, upcoming):
    follows.notify_new_pressings(upcoming.album_id, [upcoming.pk])
    follows.notify_new_pressings(upcoming.album_id, [upcoming.pk])
    assert kinds(fan) == ["pressing"]


def test_a_new_album_is_told_once(fan, upcoming):
    follows.notify_new_albums(upcoming.album.artist_id, [upcoming.album_id])
    follows.notify_new_albums(upcoming.album.artist_id, [upcoming.album_id])
    assert kinds(fan) == ["album"]


def test_on_its_release_date_a_pressing_announced_before_is_told_again_once(fan, upcoming, today):
    follows.notify_new_pressings(upcoming.album_id, [upcoming.pk])
    VinylNotice.objects.update(created_at=timezone.now() - timedelta(days=20))  # announced three weeks ahead
    release_day = today + timedelta(days=21)

    assert len(follows.notify_release_days(today=release_day)) == 1
    assert follows.notify_release_days(today=release_day) == []
    [note] = Notification.objects.filter(user=fan, kind="release_day")
    assert note.release == upcoming and note.message.startswith("Out today:") and "Wall of Eyes" in note.message


def test_a_pressing_announced_on_its_release_date_is_not_told_twice_that_day(fan, upcoming, today):
    upcoming.released = today.isoformat()
    upcoming.save()
    follows.notify_new_pressings(upcoming.album_id, [upcoming.pk])
    assert follows.notify_release_days(today=today) == []
    assert kinds(fan) == ["pressing"]


def test_a_listener_who_never_heard_of_it_is_not_told_on_its_date(fan, upcoming, today):
    assert follows.notify_release_days(today=today + timedelta(days=21)) == []


def test_first_on_sale_to_the_listeners_country_is_told_once(fan, upcoming):
    follows.notify_new_pressings(upcoming.album_id, [upcoming.pk])
    observe(upcoming, "27.00", shipping="6.00")  # quotes_changed → alerts.notify_first_priced
    observe(upcoming, "25.00", shipping="6.00", offer_key="listing-2")
    [note] = Notification.objects.filter(user=fan, kind="priced")
    assert note.release == upcoming and "€33.00" in note.message and note.url
    assert not follows.awaiting_first_price([upcoming.album_id]).exists()  # later refreshes ask nothing more


def test_a_price_to_another_country_is_not_a_first_price_here(fan, upcoming):
    fan.profile.country = "FR"
    fan.profile.save()
    follows.notify_new_pressings(upcoming.album_id, [upcoming.pk])
    observe(upcoming, "27.00", shipping="6.00")  # ships to ES
    assert not Notification.objects.filter(user=fan, kind="priced").exists()


def test_the_calendar_lists_upcoming_vinyl_of_followed_artists_only(client, fan, upcoming, today):
    ReleaseFactory(album=upcoming.album, released=(today - timedelta(days=3)).isoformat())  # already out
    ReleaseFactory(album=upcoming.album, released=str(today.year + 1))  # no whole date
    ReleaseFactory(album__title="Not Followed", released=(today + timedelta(days=5)).isoformat())
    url = reverse("alerts:calendar", args=[AlertSettings.for_user(fan).calendar_token])

    response = client.get(url)  # a calendar app: no session

    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0" and calendar["prodid"]
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == today + timedelta(days=21)
    assert "The Smile — Wall of Eyes" in str(event["summary"]) and str(event["uid"]).endswith("@vinilogy")
    assert str(event["url"]).endswith(reverse("catalog:album", args=[upcoming.album_id]))


def test_a_rotated_calendar_address_no_longer_answers(client, fan, upcoming):
    old = AlertSettings.for_user(fan).calendar_token
    client.force_login(fan)
    assert client.post(reverse("alerts:rotate_calendar")).status_code == 302
    client.logout()
    assert client.get(reverse("alerts:calendar", args=[old])).status_code == 404
    assert client.get(reverse("alerts:calendar", args=[AlertSettings.for_user(fan).calendar_token])).status_code == 200


def test_the_calendar_token_is_not_the_feed_token(fan):
    settings = AlertSettings.for_user(fan)
    assert settings.calendar_token and settings.calendar_token != settings.feed_token

"""Every user-scoped URL, tried as its owner, as another user (404, or only their own rows) and
anonymously (sent to sign in). A new user-scoped URL is added to one of the lists below."""
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from alerts.factories import NotificationFactory, WatchFactory
from alerts.models import AlertSettings, Notification, Watch
from vinilogy import personal_data

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def rows():
    owner, other = UserFactory(username="owner"), UserFactory(username="other")
    watch = WatchFactory(user=owner, max_total_eur=Decimal("25.00"))
    note = NotificationFactory(user=owner, album=watch.album, message="Owner's secret pressing appeared.")
    return owner, other, watch, note


# (name, method, args from the rows, owner's status): rows of one listener by id or token.
OBJECT_URLS = [
    ("alerts:watch_delete", "post", lambda w, n, o: [w.pk], 302),
    ("alerts:mark_read", "post", lambda w, n, o: [n.pk], 302),
    ("delete_account_confirm", "get", lambda w, n, o: [personal_data.delete_link_token(o)], 200),
]
# (name, method, args, data): pages of "my" rows, without an id: another user sees only theirs.
OWN_PAGES = [
    ("alerts:inbox", "get", lambda w, n, o: [], {}),
    ("alerts:unread", "get", lambda w, n, o: [], {}),
    ("alerts:read_all", "post", lambda w, n, o: [], {}),
    ("alerts:settings", "post", lambda w, n, o: [], {"email": "off", "follow_top_artists": "5"}),
    ("alerts:rotate_feed", "post", lambda w, n, o: [], {}),
    ("alerts:watch_box", "get", lambda w, n, o: [w.album_id], {}),
    ("alerts:watch_create", "post", lambda w, n, o: [w.album_id], {"max_total_eur": "99"}),
    ("alerts:follow", "post", lambda w, n, o: [w.album.artist_id], {"follow": "0"}),
    ("your_data", "get", lambda w, n, o: [], {}),
    ("data_export", "get", lambda w, n, o: [], {}),
    ("delete_account", "post", lambda w, n, o: [], {"password": "vinyl-lover-123"}),
    ("delete_account_link", "post", lambda w, n, o: [], {}),
]


def _call(client, method, name, args, data=None):
    return getattr(client, method)(reverse(name, args=args), data or {})


@pytest.mark.parametrize("name,method,args,status", OBJECT_URLS, ids=[u[0] for u in OBJECT_URLS])
def test_an_object_url_answers_its_owner_404_to_another_user_and_sends_anonymous_to_sign_in(client, rows, name, method, args, status):
    owner, other, watch, note = rows
    url_args = args(watch, note, owner)
    anonymous = _call(client, method, name, url_args)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(other)
    assert _call(client, method, name, url_args).status_code == 404
    client.force_login(owner)
    assert _call(client, method, name, url_args).status_code == status


@pytest.mark.parametrize("name,method,args,data", OWN_PAGES, ids=[u[0] for u in OWN_PAGES])
def test_an_own_page_sends_anonymous_to_sign_in_and_never_touches_another_users_rows(client, rows, name, method, args, data):
    owner, other, watch, note = rows
    before = (Watch.objects.filter(user=owner).values_list("max_total_eur", flat=True)[0],
              Notification.objects.get(pk=note.pk).read_at, AlertSettings.for_user(owner).feed_token, AlertSettings.for_user(owner).email)
    anonymous = _call(client, method, name, args(watch, note, owner), data)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(other)
    response = _call(client, method, name, args(watch, note, owner), data)
    assert response.status_code in (200, 302)
    assert "Owner's secret pressing" not in response.content.decode(errors="replace")
    assert UserFactory._meta.model.objects.filter(pk=owner.pk).exists()
    after = (Watch.objects.filter(user=owner).values_list("max_total_eur", flat=True)[0],
             Notification.objects.get(pk=note.pk).read_at, AlertSettings.for_user(owner).feed_token, AlertSettings.for_user(owner).email)
    assert after == before
    client.force_login(owner)
    assert _call(client, method, name, args(watch, note, owner), data).status_code in (200, 302)


def test_the_feed_answers_its_token_only_whoever_asks(client, rows):
    owner, other, watch, note = rows
    url = reverse("alerts:feed", args=[AlertSettings.for_user(owner).feed_token])
    assert "Owner's secret pressing" in client.get(url).content.decode()  # a feed reader has no session
    client.force_login(other)
    mine = client.get(reverse("alerts:feed", args=[AlertSettings.for_user(other).feed_token])).content.decode()
    assert "Owner's secret pressing" not in mine
    assert client.get(reverse("alerts:feed", args=["guessed"])).status_code == 404

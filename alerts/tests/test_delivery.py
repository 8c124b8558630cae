"""Email at once or in a digest, each once: a duplicated delivery task sends one mail, a digest
collects what waited and is sent once; every mail carries a one-click unsubscribe."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from alerts import delivery, notify
from alerts.factories import NotificationFactory
from alerts.models import AlertSettings, Notification
from catalog.factories import AlbumFactory
from integrations.queue import task

pytestmark = pytest.mark.django_db
Delivery = Notification.Delivery


def listener(email="instant"):
    user = UserFactory()
    AlertSettings.objects.create(user=user, email=email)
    return user


def test_an_instant_notification_is_mailed_once_even_when_its_task_runs_twice(mailoutbox, django_capture_on_commit_callbacks):
    user = listener("instant")
    with django_capture_on_commit_callbacks(execute=True):
        note = notify.create(user, Notification.Kind.PRESSING, AlbumFactory(), "A 2024 EU pressing of OK Computer appeared.")
    task("alerts.deliver_notification").apply(args=[note.pk])  # the duplicate
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [user.email] and "A 2024 EU pressing of OK Computer appeared." in mail.body
    assert (
        "List-Unsubscribe" in mail.extra_headers and mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    note.refresh_from_db()
    assert note.delivery == Delivery.SENT and note.emailed_at and note.delivery_attempts == 1


def test_a_failed_send_is_put_back_and_retried_then_marked_failed(monkeypatch):
    user = listener("instant")
    note = NotificationFactory(user=user, delivery=Delivery.QUEUED)

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(ConnectionRefusedError):
        delivery.deliver(note.pk)
    note.refresh_from_db()
    assert note.delivery == Delivery.QUEUED and "SMTP down" in note.delivery_error
    Notification.objects.filter(pk=note.pk).update(delivery_attempts=delivery.MAX_ATTEMPTS - 1)
    with pytest.raises(ConnectionRefusedError):
        delivery.deliver(note.pk)
    note.refresh_from_db()
    assert note.delivery == Delivery.FAILED


def test_a_daily_digest_collects_what_waited_and_is_sent_once(mailoutbox, django_capture_on_commit_callbacks):
    daily, weekly = listener("daily"), listener("weekly")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            notify.create(daily, Notification.Kind.PRESSING, AlbumFactory(), f"Pressing number {n} appeared.")
        notify.create(weekly, Notification.Kind.PRESSING, AlbumFactory(), "Weekly news.")
    assert mailoutbox == []  # nothing at once

    assert task("alerts.send_digests").apply(args=["daily"]).get() == 1
    task("alerts.send_digest").apply(args=[daily.pk])  # a duplicated digest task
    task("alerts.send_digests").apply(args=["daily"])  # and the beat again
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [daily.email] and all(f"Pressing number {n}" in mailoutbox[0].body for n in range(3))
    assert "3 alerts" in mailoutbox[0].subject
    assert Notification.objects.filter(user=weekly, delivery=Delivery.DIGEST).count() == 1


def test_the_digest_schedules_are_in_beat():
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("sync_schedules")  # schedules live in vinilogy/schedules.py, not in migrations
    kwargs = sorted(PeriodicTask.objects.filter(task="alerts.send_digests").values_list("kwargs", flat=True))
    assert kwargs == ['{"frequency": "daily"}', '{"frequency": "weekly"}']


def test_one_click_unsubscribe_needs_a_valid_token_and_a_post(client, mailoutbox):
    user = listener("daily")
    NotificationFactory(user=user, delivery=Delivery.DIGEST)
    url = reverse("alerts:unsubscribe", args=[delivery.unsubscribe_token(user)])
    assert client.get(url).status_code == 200  # a link scanner's GET changes nothing
    assert AlertSettings.objects.get(user=user).email == "daily"
    assert client.post(reverse("alerts:unsubscribe", args=["forged-token"])).status_code == 404
    assert client.post(url).status_code == 200
    assert AlertSettings.objects.get(user=user).email == "off"
    assert delivery.digest_user_ids("daily") == [] and not Notification.objects.filter(delivery=Delivery.DIGEST).exists()


def test_a_listener_without_email_or_off_gets_no_mail_queued():
    off = listener("off")
    note = notify.create(off, Notification.Kind.PRESSING, AlbumFactory(), "x")
    assert note.delivery == Delivery.NONE

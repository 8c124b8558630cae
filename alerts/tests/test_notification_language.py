"""A notification is written in its listener's language and read in the reader's: a price alert
written in English reads in Spanish (and back), from what the offer was when it fired."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from alerts import describe, follows
from alerts.factories import WatchFactory
from alerts.models import Notification
from catalog.factories import AlbumFactory, ReleaseFactory

from .test_watches import observe

pytestmark = pytest.mark.django_db


@pytest.fixture
def pressing():
    return ReleaseFactory(
        album__title="OK Computer", album__artist__name="Radiohead", country="Europe", year=2024, label="Parlophone"
    )


def _watch(pressing, language):
    watch = WatchFactory(album=pressing.album, max_total_eur=Decimal("30.00"))
    profile = watch.user.profile
    profile.country, profile.language = "ES", language
    profile.save()
    return watch


def test_a_price_alert_is_written_in_its_listeners_language(pressing):
    watch = _watch(pressing, "es")
    observe(pressing, "21.00", shipping="6.90")
    [note] = Notification.objects.filter(watch=watch)
    assert note.language == "es" and "27,90\xa0€" in note.message and "OK Computer" in note.message


def test_an_english_price_alert_reads_in_spanish_as_it_was_when_it_fired(pressing, client):
    watch = _watch(pressing, "en")
    quote = observe(pressing, "21.00", shipping="6.90")
    [note] = Notification.objects.filter(watch=watch)
    assert note.language == "en" and "€27.90 incl. shipping from Germany" in note.message
    quote.total_eur, quote.item_eur = Decimal("99.00"), Decimal("90.00")
    quote.save()  # the offer's next refresh: the alert still says what it fired on
    with translation.override("es"):
        spanish = describe.in_reader_language(Notification.objects.get(pk=note.pk))
    assert "27,90\xa0€" in spanish and "99" not in spanish and "incl. shipping" not in spanish
    with translation.override("en"):
        assert describe.in_reader_language(note) == note.message
    client.force_login(watch.user)
    with translation.override("en"):  # the request activates Spanish: not for the tests after this one
        page = client.get(reverse("alerts:inbox"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "27,90\xa0€" in page and "€27.90" not in page


def test_new_pressing_and_album_alerts_read_in_the_readers_language(pressing):
    watch = _watch(pressing, "en")
    [pressing_note] = follows.notify_new_pressings(pressing.album_id, [pressing.pk])
    album = AlbumFactory(title="Kid A", artist=pressing.album.artist, first_release_year=2000)
    assert pressing_note.user == watch.user and "appeared on Parlophone" in pressing_note.message
    with translation.override("es"):
        spanish = describe.in_reader_language(pressing_note)
        assert "ha aparecido en Parlophone" in spanish and "UE" in spanish
        note = Notification(user=watch.user, kind=Notification.Kind.ALBUM, album=album, message="x", language="en")
        assert describe.in_reader_language(note) == "Un nuevo álbum de estudio de Radiohead: Kid A (2000)."


def test_a_message_that_cannot_be_told_again_is_shown_as_stored(pressing):
    note = Notification(
        user=_watch(pressing, "en").user, kind=Notification.Kind.PRICE, album=pressing.album, message="Stored.", language="en"
    )
    with translation.override("es"):
        assert describe.in_reader_language(note) == "Stored."

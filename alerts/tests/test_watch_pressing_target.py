"""Watch what you mean (issue 23, point 6): a watch targets any pressing (the default), originals
only, a remaster, or one pressing; matching obeys it, and an offer the listing does not put on a
pressing (an unmatched eBay listing) counts only for "any pressing". The form, the JSON API, the
watch box and the admin carry the choice."""

import json
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from accounts.factories import UserFactory
from alerts import watches
from alerts.admin import WatchAdmin
from alerts.factories import WatchFactory
from alerts.forms import WatchForm
from alerts.models import Notification, Watch
from catalog.factories import AlbumFactory, ReleaseFactory
from pricing.factories import StoreFactory
from pricing.offers import Offer, record_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def album():
    album = AlbumFactory(title="The Dark Side Of The Moon", artist__name="Pink Floyd")
    ReleaseFactory(
        album=album, discogs_id=1873013, country="UK", year=1973, label="Harvest", catalog_number="SHVL 804", edition="original"
    )
    ReleaseFactory(
        album=album,
        discogs_id=9287809,
        country="Europe",
        year=2016,
        label="Pink Floyd Records",
        catalog_number="PFRLP8",
        edition="remaster",
    )
    ReleaseFactory(
        album=album, discogs_id=1000001, country="UK", year=1979, label="Harvest", catalog_number="SHVL 804", edition="repress"
    )
    return album


def pressing(album, edition):
    return album.releases.get(edition=edition)


def offer(album, key, release=None, amount="20.00"):
    store = StoreFactory(name="eBay", kind="ebay")
    return record_offer(
        Offer(
            album=album,
            store=store,
            offer_key=key,
            release=release,
            currency="EUR",
            amount=Decimal(amount),
            shipping=Decimal("5.00"),
            ships_to="ES",
            item_location="DE",
            condition="new",
            match_source="title" if release else "",
            match_confidence=0.9 if release else 0.3,
        ),
        rates={},
    )


def watch_of(album, target, releases=()):
    watch = WatchFactory(album=album, max_total_eur=Decimal("40.00"), pressing_target=target)
    watch.user.profile.country = "ES"
    watch.user.profile.save()
    watch.releases.set(releases)
    return watch


@pytest.fixture
def offers(album):
    return {
        "original": offer(album, "item:1", pressing(album, "original")),
        "remaster": offer(album, "item:2", pressing(album, "remaster")),
        "repress": offer(album, "item:3", pressing(album, "repress")),
        "unmatched": offer(album, "item:4"),
    }


def matched(watch, offers):
    keys = set(watches.matching_quotes(watch).values_list("offer_key", flat=True))
    return {name for name, quote in offers.items() if quote.offer_key in keys}


def test_any_pressing_is_the_default_and_takes_every_offer_even_one_the_listing_does_not_place(album, offers):
    assert Watch._meta.get_field("pressing_target").default == Watch.Pressings.ANY
    assert matched(watch_of(album, Watch.Pressings.ANY), offers) == {"original", "remaster", "repress", "unmatched"}


def test_originals_only_takes_only_offers_on_a_pressing_marked_original(album, offers):
    assert matched(watch_of(album, Watch.Pressings.ORIGINALS), offers) == {"original"}


def test_a_remaster_takes_only_offers_on_a_remastered_pressing(album, offers):
    assert matched(watch_of(album, Watch.Pressings.REMASTER), offers) == {"remaster"}


def test_one_pressing_takes_only_that_pressings_offers(album, offers):
    assert matched(watch_of(album, Watch.Pressings.ONE, [pressing(album, "repress")]), offers) == {"repress"}


def test_the_alert_of_an_originals_watch_names_the_pressing(album, offers):
    watch = watch_of(album, Watch.Pressings.ORIGINALS)

    [notification] = watches.evaluate_watch(watch)

    assert notification.message.startswith(
        "An original pressing (1973, UK, Harvest, SHVL 804) of The Dark Side Of The Moon by Pink Floyd"
    )
    assert notification.release == pressing(album, "original") and notification.kind == Notification.Kind.PRICE


def test_the_form_wants_the_one_pressing_picked_and_defaults_to_any(album):
    one = WatchForm({"max_total_eur": "30", "pressing_target": "one"}, album=album)
    default = WatchForm({"max_total_eur": "30"}, album=album)
    picked = WatchForm({"max_total_eur": "30", "releases": [pressing(album, "original").pk]}, album=album)

    assert not one.is_valid() and one.errors["releases"] == ["Pick the one pressing to watch."]
    assert default.is_valid() and default.cleaned_data["pressing_target"] == Watch.Pressings.ANY
    assert picked.is_valid() and picked.cleaned_data["pressing_target"] == Watch.Pressings.ONE


def test_the_api_sets_and_answers_the_target(client, album, offers):
    user = UserFactory()
    user.profile.country = "ES"
    user.profile.save()
    client.force_login(user)

    created = client.post(
        reverse("api:watch_create"),
        json.dumps({"album_id": album.pk, "max_total_eur": "40", "pressing_target": "original"}),
        content_type="application/json",
    )

    assert created.status_code == 201 and created.json()["pressing_target"] == "original" and created.json()["fired"] == 1
    assert client.get(reverse("api:watches")).json()[0]["pressing_target"] == "original"
    refused = client.post(
        reverse("api:watch_create"),
        json.dumps({"album_id": album.pk, "max_total_eur": "40", "pressing_target": "one"}),
        content_type="application/json",
    )
    assert refused.status_code == 422


def test_the_watch_box_offers_the_targets_and_the_albums_pressings(client, album):
    client.force_login(UserFactory())

    html = client.get(reverse("alerts:watch_box", args=[album.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert 'name="pressing_target"' in html and "Originals only" in html and "A remaster" in html
    assert 'name="releases"' in html and "UK 1973 Harvest SHVL 804" in html


def test_the_admin_lists_and_filters_watches_by_target():
    admin = WatchAdmin(Watch, site)

    assert "pressing_target" in admin.list_display and "pressing_target" in admin.list_filter


def test_the_watch_box_posts_no_pressing_picked_as_an_empty_choice(client, album):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("alerts:watch_create", args=[album.pk]),
        {"max_total_eur": "40", "pressing_target": "original", "releases": ""},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert Watch.objects.get(user=user, album=album).pressing_target == Watch.Pressings.ORIGINALS

"""Freshness (catalog.freshness): the model properties, the QuerySet methods and the releases
claim agree on which rows are due, at the edge of each window read from settings."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from catalog import services
from catalog.factories import AlbumFactory, ArtistFactory
from catalog.models import Album, Artist

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


@override_settings(ARTIST_FRESHNESS_DAYS=7)
def test_an_artist_is_due_when_never_fetched_or_older_than_its_window():
    never, old, recent = (ArtistFactory(refreshed_at=stamp) for stamp in (None, days_ago(8), days_ago(6)))

    assert [a.is_stale for a in (never, old, recent)] == [True, True, False]
    assert set(Artist.objects.stale()) == {never, old}


@override_settings(SIMILARS_FRESHNESS_DAYS=3)
def test_similar_artists_expire_only_once_fetched():
    never, old, recent = (ArtistFactory(similars_refreshed_at=stamp) for stamp in (None, days_ago(4), days_ago(2)))

    assert [a.similars_stale for a in (never, old, recent)] == [True, True, False]
    assert list(Artist.objects.similars_expired()) == [old]


@override_settings(RELEASES_FRESHNESS_DAYS=30)
def test_only_an_album_whose_pressings_are_due_can_be_claimed():
    old, recent = AlbumFactory(releases_refreshed_at=days_ago(31)), AlbumFactory(releases_refreshed_at=days_ago(29))

    assert [a.releases_stale for a in (old, recent)] == [True, False]
    assert list(Album.objects.releases_due()) == [old]
    assert (services.claim_releases_sync(old), services.claim_releases_sync(recent)) == (True, False)
    assert services.claim_releases_sync(recent, force=True)


@override_settings(PRICES_FRESHNESS_HOURS=24)
def test_prices_are_due_after_their_window_in_hours():
    old = AlbumFactory(prices_refreshed_at=timezone.now() - timedelta(hours=25))
    recent = AlbumFactory(prices_refreshed_at=timezone.now() - timedelta(hours=23))

    assert [a.prices_stale for a in (old, recent)] == [True, False]
    assert list(Album.objects.prices_due()) == [old]

"""A listener's buying filters: kept on the profile, edited on the profile page, handed to pricing."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.filters import buying_filters
from pricing.filters import BuyingFilters, SellerRegion

pytestmark = pytest.mark.django_db


def test_a_new_listener_has_the_default_filters_for_their_country():
    user = UserFactory()
    user.profile.country = "DE"
    user.profile.save()

    filters = buying_filters(user)

    assert filters == BuyingFilters("DE") and filters.is_default


def test_the_profile_fields_become_buying_filters_and_leaving_out_ebay_excludes_its_source():
    user = UserFactory()
    profile = user.profile
    profile.country, profile.min_condition, profile.seller_region = "ES", "VG+", SellerRegion.EU
    profile.max_shipping_eur, profile.excluded_sources = Decimal("12.50"), ["ebay"]
    profile.save()

    assert buying_filters(user) == BuyingFilters(
        "ES", min_condition="VG+", seller_region="eu", max_shipping_eur=Decimal("12.50"), excluded_sources=frozenset({"ebay"})
    )


def test_an_anonymous_visitor_gets_the_site_defaults(settings):
    assert buying_filters(AnonymousUser()) == BuyingFilters(settings.DEFAULT_COUNTRY)


def test_the_profile_page_saves_the_filters(client):
    user = UserFactory()
    client.force_login(user)
    data = {
        "lastfm_username": "",
        "listenbrainz_username": "",
        "discogs_username": "",
        "country": "FR",
        "min_tracks_per_album": 6,
        "blocked": "",
        "min_condition": "NM",
        "seller_region": "mine",
        "max_shipping_eur": "9",
    }  # the eBay box unticked

    assert client.post(reverse("accounts:profile_update"), data).status_code == 302

    user.profile.refresh_from_db()
    filters = buying_filters(user)
    assert (filters.min_condition, filters.seller_region, filters.max_shipping_eur) == ("NM", "mine", Decimal("9"))
    assert filters.excluded_sources == {"ebay"}
    page = client.get(reverse("accounts:onboarding")).content.decode()
    assert "Minimum record condition" in page and "Include eBay offers" in page


def test_a_negative_shipping_cap_is_refused(client):
    user = UserFactory()
    client.force_login(user)
    data = {"country": "FR", "min_tracks_per_album": 6, "seller_region": "anywhere", "max_shipping_eur": "-1"}

    response = client.post(reverse("accounts:profile_update"), data)

    assert response.status_code == 400 and "less than nothing" in response.content.decode()

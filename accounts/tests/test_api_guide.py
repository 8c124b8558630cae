"""GET /api/albums/{id}/guide (pricing.api): the pressing guide as JSON, for a visitor (the
site's country, no filters) and for a listener (their country and buying filters); documented
in the OpenAPI schema."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from catalog.editions import classify_albums
from catalog.factories import AlbumFactory, ReleaseFactory
from pricing.factories import PriceQuoteFactory, StoreFactory
from vinilogy.api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def album():
    album = AlbumFactory(title="Live At The Witch Trials", artist__name="The Fall")
    original = ReleaseFactory(
        album=album, discogs_id=372000, country="UK", year=1979, label="Step-Forward Records", catalog_number="SFLP 1"
    )
    reissue = ReleaseFactory(
        album=album,
        discogs_id=8689761,
        country="US",
        year=2016,
        label="Superior Viaduct",
        catalog_number="SV111",
        format_summary="LP, Album, RE",
        rating_average=4.4,
        rating_count=30,
    )
    ReleaseFactory(
        album=album,
        discogs_id=2667679,
        country="UK",
        year=1985,
        label="Step-Forward Records",
        catalog_number="SFLP 1",
        format_summary="LP, Album, RE",
    )
    store = StoreFactory(name="Discogs", kind="discogs")
    for country in ("ES", "DE"):
        PriceQuoteFactory(
            release=reissue,
            album=album,
            store=store,
            amount=Decimal("22"),
            shipping=Decimal("6"),
            ships_to=country,
            condition="NM",
            item_location="DE",
        )
        PriceQuoteFactory(
            release=original,
            album=album,
            store=store,
            amount=Decimal("60"),
            shipping=Decimal("8"),
            ships_to=country,
            condition="VG",
            item_location="GB",
        )
    classify_albums([album.pk])
    return album


def guide(client, album_id):
    return client.get(reverse("api:album_guide", args=[album_id]))


def test_a_visitor_gets_the_guide_with_reasons_and_landed_prices(client, album, settings):
    response = guide(client, album.pk)
    assert response.status_code == 200
    body = response.json()
    assert body["album"]["title"] == "Live At The Witch Trials" and body["pressings"] == 3
    picks = {pick["kind"]: pick for pick in body["picks"]}
    assert picks["original"]["release"]["discogs_id"] == 372000 and picks["original"]["release"]["edition"] == "original"
    assert picks["original"]["why"].startswith("UK 1979, Step-Forward Records SFLP 1 original: earliest UK release")
    assert all(pick["why"] for pick in body["picks"]) and len(body["picks"]) >= 2
    assert picks["cheapest_at_condition"]["landed"]["total_eur"] == "28.00"
    assert picks["cheapest_at_condition"]["release"]["descriptions"] == ["LP", "Album", "RE"]


def test_a_listener_gets_their_minimum_condition_applied(client, album):
    user = UserFactory()
    user.profile.country, user.profile.min_condition = "DE", "VG+"
    user.profile.save()
    client.force_login(user)
    picks = {pick["kind"]: pick for pick in guide(client, album.pk).json()["picks"]}
    assert picks["original"]["landed"] is None  # its only offer is VG, below the listener's VG+
    assert picks["cheapest_at_condition"]["release"]["discogs_id"] == 8689761
    assert picks["cheapest_at_condition"]["landed"]["ships_to"] == "DE"
    assert "at VG+ or better" in picks["cheapest_at_condition"]["why"]


def test_an_unknown_album_is_a_404_with_a_json_body(client):
    for album_id in (999999, 2**70):
        response = guide(client, album_id)
        assert response.status_code == 404 and response.json()["detail"]


def test_the_openapi_schema_documents_the_guide():
    operation = api.get_openapi_schema()["paths"]["/api/albums/{album_id}/guide"]["get"]
    assert {200, 404} <= set(operation["responses"]) and operation["description"]
    assert not operation.get("security")

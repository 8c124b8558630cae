"""The four record shops are where they are: two in Madrid, one in Granada, one in Barcelona."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.factories import AlbumFactory
from pricing.factories import PriceQuoteFactory
from pricing.models import Store

pytestmark = pytest.mark.django_db


def test_the_seeded_shops_keep_their_true_cities():
    cities = dict(Store.objects.filter(kind="local").values_list("name", "city"))
    assert cities == {"Marilians": "Madrid", "Bajo el Volcán": "Madrid", "Bora Bora": "Granada", "Revolver": "Barcelona"}


def test_the_album_page_shows_each_shop_with_its_city(client):
    album = AlbumFactory()
    PriceQuoteFactory(
        album=album, release=None, store=Store.objects.get(name="Bora Bora"), amount=Decimal("21.00"), shipping=Decimal("4.00")
    )

    html = client.get(reverse("pricing:album_offers", args=[album.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert (
        'Bora Bora</a> <span class="muted">Granada</span>' in html and 'Revolver</a> <span class="muted">Barcelona</span>' in html
    )
    assert "€25.00 incl. shipping (exact)" in html and "Bora Bora, Granada" in html

"""On the demo, landed offers show deal levels: sample prices judged against the sample price
history only (add_sample_price_history), and marked so; no real quote is judged by a sample."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from pricing import deals
from pricing.models import PriceQuote
from vinilogy import demo

pytestmark = pytest.mark.django_db


def test_demo_offers_have_deal_levels_judged_on_sample_history_only(demo_db):
    history = PriceQuote.objects.filter(offer_key__startswith="sample-history:")
    assert history.exists() and not history.filter(sample=False).exists() and not history.filter(is_current=True).exists()
    offers = list(PriceQuote.objects.current().landed().filter(sample=True, release__isnull=False))
    judged = deals.deals_for(offers)
    levels = {deal.level for deal in judged.values() if deal}
    assert levels == set(deals.LEVELS), levels  # every level shows somewhere on the demo
    assert all(deal.sample and deal.basis == deals.OBSERVATIONS for deal in judged.values() if deal)
    assert demo.add_sample_price_history() == 0  # a second run adds nothing


def test_the_demo_album_page_and_api_show_the_levels(demo_db):
    quote = next(
        q
        for q in PriceQuote.objects.current()
        .landed()
        .filter(sample=True, release__isnull=False, ships_to="ES")
        .select_related("album")
        if deals.deals_for([q])[q.pk]
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username=demo.DEMO_USERNAME))
    html = client.get(
        reverse("pricing:album_offers", args=[quote.album_id]), {"sort": "deal"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "the usual" in html and "sample prices, judged against sample prices only" in html
    offers = client.get(reverse("api:album_offers", args=[quote.album_id])).json()["offers"]
    assert any(offer["deal"] and offer["deal"]["sample"] for offer in offers)

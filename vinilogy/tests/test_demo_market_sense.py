"""Issue 24 on the demo: the sellers-for-wants page lists the demo's sample sellers with counts and
totals, and the demo listener's collection has a value, said to come from sample prices."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from pricing.models import PriceQuote
from vinilogy import demo

pytestmark = pytest.mark.django_db


def test_the_demo_listener_sees_sellers_holding_their_wants_and_a_collection_value():
    call_command("load_demo", "--no-progress", stdout=StringIO())
    client = Client()
    client.force_login(get_user_model().objects.get(username=demo.DEMO_USERNAME))

    sellers = client.get(reverse("api:sellers_for_wants")).json()
    assert sellers["wanted"] > 0 and len(sellers["sellers"]) >= 3
    assert all(seller["seller"].startswith("SAMPLE-") and seller["albums"] >= 1 for seller in sellers["sellers"])
    assert all(all(item["sample"] for item in seller["items"]) for seller in sellers["sellers"])
    counts = [seller["albums"] for seller in sellers["sellers"]]
    assert counts == sorted(counts, reverse=True)
    page = client.get(reverse("recommendations:sellers_for_wants")).content.decode()
    assert sellers["sellers"][0]["seller"] in page and "sample price" in page

    value = client.get(reverse("api:collection_value")).json()
    assert float(value["total_eur"]) > 0 and value["valued"] >= 1 and value["sample"] == value["valued"]
    assert PriceQuote.objects.filter(offer_key__startswith="sample-collection:", sample=False).count() == 0
    page = client.get(reverse("accounts:collection_value")).content.decode()
    assert "valued from sample prices" in page

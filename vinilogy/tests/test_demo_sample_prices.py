"""The demo's sample seller inventories: landed prices on the demo listener's cards, flagged sample.

The session's one demo load (`demo_db`, tests/shared_demo.py) for the behaviours that need it;
the rule that only load_demo makes sample quotes is checked over the source too.
"""

import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Min
from django.test import Client
from django.urls import reverse

from pricing.filters import BuyingFilters, filter_quotes
from pricing.models import PriceQuote, Seller
from recommendations import services
from vinilogy import demo

pytestmark = pytest.mark.django_db


def cheapest(album_ids, filters):
    rows = (
        filter_quotes(PriceQuote.objects.filter(album_id__in=album_ids), filters)
        .values("album_id")
        .annotate(best=Min("total_eur"))
    )
    return {row["album_id"]: row["best"] for row in rows}


def test_the_demo_listener_sees_landed_sample_prices_from_several_sellers(settings, demo_db):
    settings.BUILD_CATALOG_ON_TASTE = True  # as bin/serve runs it
    listener = get_user_model().objects.get(username=demo.DEMO_USERNAME)
    services.generate_now(listener)
    client = Client()
    client.force_login(listener)
    items = client.get(reverse("api:recs")).json()["items"]
    album_ids = [item["album"]["id"] for item in items]

    landed = [item for item in items if item["best_price"] is not None]
    assert len(items) == 24 and len(landed) >= 18

    # The basket page: the demo listener's wanted albums from two or more sellers, cheaper than
    # buying each at its own cheapest price.
    basket = client.get(reverse("api:basket")).json()
    assert len(basket["sellers"]) >= 2
    assert Decimal(basket["saving_eur"]) > 0 and Decimal(basket["total_eur"]) < Decimal(basket["separate_eur"])

    samples = PriceQuote.objects.filter(sample=True)
    assert samples.exists() and not samples.exclude(seller__startswith="SAMPLE-").exists()
    assert not PriceQuote.objects.filter(seller_account__discogs_username__startswith="SAMPLE-", sample=False).exists()
    assert set(Seller.objects.filter(discogs_username__startswith="SAMPLE-").values_list("country", flat=True)) >= {
        "ES",
        "DE",
        "FR",
    }
    assert not Seller.objects.filter(discogs_username__startswith="SAMPLE-", is_active=True).exists()

    # The basket can beat separate purchases only if sellers overlap on albums at different prices.
    sellers_of = defaultdict(set)
    for album_id, seller in samples.filter(album_id__in=album_ids).values_list("album_id", "seller"):
        sellers_of[album_id].add(seller)
    assert sum(len(sellers) >= 2 for sellers in sellers_of.values()) >= 10

    any_condition, good_only = (
        cheapest(album_ids, BuyingFilters("ES")),
        cheapest(album_ids, BuyingFilters("ES", min_condition="VG+")),
    )
    assert any(good_only.get(album_id) != best for album_id, best in any_condition.items())

    # The recorded marketplace sample keeps when it was seen, not when the demo was loaded.
    recorded = PriceQuote.objects.filter(offer_key__startswith="sample:")
    assert recorded.exists() and set(recorded.values_list("fetched_at", flat=True)) == {demo.SAMPLE_OBSERVED_AT}
    assert not recorded.filter(sample=True).exists()


SETS_SAMPLE = re.compile(r"sample\s*=\s*True|[\"']sample[\"']\s*:\s*True")


def test_no_code_but_the_demo_loader_flags_a_quote_as_sample():
    root = Path(settings.BASE_DIR)
    # benchmarks/scale.py fills a throwaway benchmark database, every synthetic quote a sample too.
    skipped = {".venv", "tests", "migrations", "node_modules", "benchmarks"}
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if not skipped & set(path.relative_to(root).parts) and SETS_SAMPLE.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == ["vinilogy/demo.py"]

"""eBay Browse getItem: an item's specifics (localizedAspects) for the pressing matcher."""

import uuid

import pytest
from django.core.cache import cache

from integrations import ebay
from integrations.ebay import ApplicationToken, EbayClient

from .conftest import recording, serve

ITEM_URL = "https://api.ebay.com/buy/browse/v1/item/v1%7C110000000002%7C0"


def test_the_aspects_of_a_built_getitem_answer_are_name_value_pairs():
    aspects = ebay.parse_aspects(recording("ebay/item_built_v1-110000000002-0_aspects.json"))

    assert ("Numéro de catalogue", "9362-49786-8") in aspects and ("Année de sortie", "2009") in aspects
    assert ebay.parse_aspects({}) == [] and ebay.parse_aspects({"localizedAspects": [{"name": "Label"}]}) == []


@pytest.mark.django_db
def test_item_aspects_asks_getitem_for_the_encoded_item_id_in_the_marketplace(provider_api):
    token = ApplicationToken(f"app-{uuid.uuid4().hex[:8]}", "secret", cache=cache)
    cache.set(token.cache_key, "a-token", 60)
    serve(
        provider_api,
        ITEM_URL,
        "ebay/item_built_v1-110000000002-0_aspects.json",
        headers={"X-EBAY-C-MARKETPLACE-ID": "EBAY_DE", "Authorization": "Bearer a-token"},
    )

    aspects = EbayClient(token, marketplace_id="EBAY_DE", category_id="176985").item_aspects("v1|110000000002|0")

    assert ("Label", "Reprise Records") in aspects and len(provider_api.calls) == 1
    token.forget()

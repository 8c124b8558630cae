"""eBay Browse client: item summaries parsed from recordings, the EU re-check, the search
request (filter, category, headers), `next` paging, and the cached application token."""

import base64
import json
import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from responses import matchers

from integrations import ebay, ratelimit
from integrations.ebay import ApplicationToken, EbayClient
from integrations.errors import BudgetExhausted
from integrations.types import Money

from .conftest import recording, recording_text, serve

SEARCH_URL = "https://api.ebay.com/buy/browse/v1/item_summary/search"
TOKEN_URL = "https://api.ebay.com/identity/v1/oauth2/token"
DOCS_TOKEN = "v^1.1#i^1#p^1#r^0#I^3#f^0#t^H4s...wu4AAA=="
SECRET = "ebay-client-secret-xyz"
VINYL = "176985"  # the category the recorded and built searches were made in
TAXONOMY = "https://api.ebay.com/commerce/taxonomy/v1"


@pytest.fixture
def app_token():
    """An application token for a fresh client id, forgotten afterwards (the cache may be Redis)."""
    token = ApplicationToken(f"app-{uuid.uuid4().hex[:8]}", SECRET, cache=cache)
    yield token
    token.forget()


def locmem():
    """A cache of the test's own: a resolved category must not leak into other tests."""
    return LocMemCache(f"ebay-categories-{uuid.uuid4().hex}", {})


def serve_token(mock, token):
    basic = "Basic " + base64.b64encode(f"{token.client_id}:{SECRET}".encode()).decode()
    return serve(
        mock,
        TOKEN_URL,
        "ebay/oauth2_token_client-credentials_docs-example.json",
        method="POST",
        headers={"Authorization": basic},
        match=[
            matchers.urlencoded_params_matcher(
                {"grant_type": "client_credentials", "scope": "https://api.ebay.com/oauth/api_scope"}
            )
        ],
    )


def search_params(country="ES", limit="50", category=VINYL):
    return {
        "q": "Neil Young Neil Young vinyl",
        "category_ids": category,
        "filter": f"itemLocationRegion:EUROPEAN_UNION,deliveryCountry:{country},buyingOptions:{{FIXED_PRICE}}",
        "limit": limit,
        "offset": "0",
    }


def search_headers(country="ES", marketplace="EBAY_ES"):
    return {
        "X-EBAY-C-MARKETPLACE-ID": marketplace,
        "X-EBAY-C-ENDUSERCTX": f"contextualLocation=country%3D{country}",
        "Authorization": f"Bearer {DOCS_TOKEN}",
    }


# --- parsing ---------------------------------------------------------------------------------


def test_first_recorded_page_field_by_field():
    page = ebay.parse_search_page(recording("ebay/item_summary_search_page1.json"))

    first = page.items[0]
    assert (first.item_id, first.condition, first.seller, first.item_country) == (
        "v1|176033835717|0",
        "New",
        "scrambled",
        "IL",
    )
    assert first.title == "PNY NVIDIA RTX A5000 24GB GDDR6 Graphics Card - NEW!!!   Sealed !!!! - OFFER !"
    assert (first.price, first.shipping) == (Money(Decimal("1370.00"), "USD"), Money(Decimal("198.00"), "USD"))
    assert first.total == Money(Decimal("1568.00"), "USD")
    assert first.url.startswith("https://www.ebay.com/itm/176033835717?hash=item28fc6f2ac5")
    assert [o.item_country for o in page.items] == ["IL", "US", "AE"]
    assert page.items[1].shipping == Money(Decimal("0.00"), "USD")
    assert (page.total, page.next_cursor) == (
        6950,
        "https://api.ebay.com/buy/browse/v1/item_summary/search?q=NVIDIA+RTX+A5000&limit=3&offset=3",
    )


def test_listings_without_a_price_are_skipped_but_the_page_still_leads_on():
    page = ebay.parse_search_page(recording("ebay/item_summary_search_page2.json"))

    assert (page.items, page.received, page.is_empty, page.is_last) == ([], 3, False, False)


def test_last_recorded_page_has_no_next_link():
    page = ebay.parse_search_page(recording("ebay/item_summary_search_page3_last.json"))

    assert page.is_last and page.total == 1602
    assert [(o.item_id, o.price.amount, o.item_country) for o in page.items] == [
        ("v1|155888973827|0", Decimal("1749.97"), "US"),
        ("v1|353853667734|0", Decimal("211.99"), "KR"),
        ("v1|324685336153|0", Decimal("222.29"), "KR"),
    ]


def test_single_search_recording_parses_every_item():
    raw = recording("ebay/item_summary_search_q-nvidia-rtx-a5000_limit3.json")
    page = ebay.parse_search_page(raw)

    assert [o.item_id for o in page.items] == [item["itemId"] for item in raw["itemSummaries"]]
    assert [str(o.price.amount) for o in page.items] == [item["price"]["value"] for item in raw["itemSummaries"]]


def test_offer_without_stated_shipping_has_unknown_shipping_and_total():
    page = ebay.parse_search_page(recording("ebay/item_summary_search_built_vinyl-eu.json"))

    french = page.items[1]
    assert (french.item_country, french.price, french.shipping, french.total) == (
        "FR",
        Money(Decimal("31.50"), "EUR"),
        None,
        None,
    )


def test_token_answer_gives_token_and_lifetime():
    assert ebay.parse_token(recording("ebay/oauth2_token_client-credentials_docs-example.json")) == (DOCS_TOKEN, 7200)


# --- the client --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_follows_next_links_to_the_last_page_and_keeps_only_eu_sellers(provider_api, app_token):
    serve_token(provider_api, app_token)
    serve(
        provider_api,
        SEARCH_URL,
        "ebay/item_summary_search_page1.json",
        params=search_params(),
        headers=search_headers(),
    )
    serve(
        provider_api,
        SEARCH_URL,
        "ebay/item_summary_search_page2.json",
        params={"q": "NVIDIA RTX A5000", "limit": "3", "offset": "3"},
        headers=search_headers(),
    )
    serve(
        provider_api,
        SEARCH_URL,
        "ebay/item_summary_search_page3_last.json",
        params={"q": "NVIDIA RTX A5000", "limit": "3", "offset": "6"},
        headers=search_headers(),
    )

    offers = EbayClient(app_token, category_id=VINYL).search_offers("Neil Young", "Neil Young", country="es")

    # Israel, the US, the Emirates and Korea are not in the EU: nothing is kept.
    assert offers == []
    assert len(provider_api.calls) == 4  # one token, three pages


@pytest.mark.django_db
def test_eu_offers_are_kept_and_others_dropped(provider_api, app_token):
    serve_token(provider_api, app_token)
    serve(
        provider_api,
        SEARCH_URL,
        "ebay/item_summary_search_built_vinyl-eu.json",
        params=search_params(),
        headers=search_headers(),
    )

    offers = EbayClient(app_token, category_id=VINYL).search_offers("Neil Young", "Neil Young", country="ES")

    assert [(o.item_country, o.seller, o.price.amount) for o in offers] == [
        ("DE", "plattenkiste_berlin", Decimal("24.99")),
        ("FR", "disques_lyon", Decimal("31.50")),
    ]
    assert offers[0].shipping == Money(Decimal("6.99"), "EUR") and offers[0].total == Money(Decimal("31.98"), "EUR")
    assert offers[0].url == "https://www.ebay.de/itm/110000000001"


@pytest.mark.django_db
def test_the_token_is_fetched_once_and_shared_through_the_cache(provider_api, app_token):
    serve_token(provider_api, app_token)
    serve(
        provider_api,
        SEARCH_URL,
        "ebay/item_summary_search_built_vinyl-eu.json",
        params=search_params(),
        headers=search_headers(),
    )

    EbayClient(app_token, category_id=VINYL).search_offers("Neil Young", "Neil Young", country="ES")
    other_process = ApplicationToken(app_token.client_id, SECRET, cache=cache)
    EbayClient(other_process, category_id=VINYL).search_offers("Neil Young", "Neil Young", country="ES")

    token_calls = [call for call in provider_api.calls if call.request.url == TOKEN_URL]
    assert len(token_calls) == 1
    assert all(SECRET not in call.request.url for call in provider_api.calls)


@pytest.mark.django_db
def test_a_token_rejected_early_is_renewed_and_the_search_retried(provider_api, app_token):
    serve_token(provider_api, app_token)
    serve(
        provider_api,
        SEARCH_URL,
        status=401,
        body='{"errors": [{"errorId": 1001, "message": "Invalid access token"}]}',
        params=search_params(),
    )
    serve(provider_api, SEARCH_URL, "ebay/item_summary_search_built_vinyl-eu.json", params=search_params())

    offers = EbayClient(app_token, category_id=VINYL).search_offers("Neil Young", "Neil Young", country="ES")

    assert len(offers) == 2
    assert [call.request.url for call in provider_api.calls].count(TOKEN_URL) == 2


@pytest.mark.django_db
def test_the_token_is_cached_for_its_lifetime_minus_a_safety_margin(provider_api):
    class RecordingCache(dict):
        def set(self, key, value, timeout):
            self[key] = (value, timeout)

    token = ApplicationToken("app", SECRET, cache=RecordingCache())
    serve_token(provider_api, token)

    assert token.fetch() == DOCS_TOKEN
    assert token.cache[token.cache_key] == (DOCS_TOKEN, 7200 - ebay.TOKEN_SAFETY_MARGIN_SECONDS)


def test_missing_credentials_fail_loudly():
    with pytest.raises(ValueError, match="EBAY_CLIENT_ID"):
        ApplicationToken("", "")


def test_from_settings_uses_the_configured_marketplace(settings):
    settings.EBAY_CLIENT_ID, settings.EBAY_CLIENT_SECRET, settings.EBAY_MARKETPLACE_ID = "id", "secret", "EBAY_DE"

    assert EbayClient.from_settings().marketplace_id == "EBAY_DE"


@pytest.mark.django_db
def test_token_calls_spend_their_own_daily_budget_not_the_browse_one(provider_api, app_token, settings):
    settings.DAILY_BUDGETS = {"ebay": 5000, "ebay_token": 1}
    serve_token(provider_api, app_token)

    app_token.fetch()
    with pytest.raises(BudgetExhausted):
        app_token.fetch()

    assert ratelimit.get_limiter("ebay_token").spent_today() == 1
    assert ratelimit.get_limiter("ebay").spent_today() == 0


def test_the_seller_is_stored_by_its_immutable_user_id_when_ebay_sends_one():
    item = recording("ebay/item_summary_search_page1.json")["itemSummaries"][0]
    # Documented field (eBay data handling update): an immutable user id beside the username.
    with_id = {**item, "seller": {**item["seller"], "userId": "u3xq5vzmrk1"}}

    assert ebay.parse_offer(with_id).seller == "u3xq5vzmrk1"
    assert ebay.parse_offer(item).seller == "scrambled"


# Placeholder tree and category ids, one per marketplace, so the test can tell them apart.
MARKETPLACES = {
    "EBAY_ES": ("tree-es", "cat-es", "discos de vinilo"),
    "EBAY_DE": ("tree-de", "cat-de", "Schallplatten Vinyl"),
    "EBAY_FR": ("tree-fr", "cat-fr", "disques vinyles"),
    "EBAY_IT": ("tree-it", "cat-it", "dischi in vinile"),
    "EBAY_GB": ("tree-gb", "cat-gb", "vinyl records"),
}


def serve_vinyl_category(mock, marketplace):
    tree_id, category_id, words = MARKETPLACES[marketplace]
    tree = {**recording("ebay/taxonomy_get_default_category_tree_id_docs-example.json"), "categoryTreeId": tree_id}
    suggestions = recording("ebay/taxonomy_get_category_suggestions_built.json")
    suggestions["categorySuggestions"][0]["category"]["categoryId"] = category_id
    tree_url = f"{TAXONOMY}/get_default_category_tree_id"
    serve(mock, tree_url, body=json.dumps(tree), params={"marketplace_id": marketplace})
    suggest_url = f"{TAXONOMY}/category_tree/{tree_id}/get_category_suggestions"
    serve(mock, suggest_url, body=json.dumps(suggestions), params={"q": words})


@pytest.mark.django_db
@pytest.mark.parametrize("marketplace", sorted(MARKETPLACES))
def test_each_marketplace_searches_the_vinyl_category_of_its_own_tree(provider_api, app_token, marketplace):
    serve_token(provider_api, app_token)
    serve_vinyl_category(provider_api, marketplace)
    category = MARKETPLACES[marketplace][1]
    headers = search_headers(marketplace=marketplace)
    serve(
        provider_api,
        SEARCH_URL,
        "ebay/item_summary_search_built_vinyl-eu.json",
        params=search_params(category=category),
        headers=headers,
    )

    client = EbayClient(app_token, marketplace_id=marketplace, cache=locmem())

    assert len(client.search_offers("Neil Young", "Neil Young", country="ES")) == 2


@pytest.mark.django_db
def test_the_resolved_category_is_cached_so_later_searches_ask_eBay_once(provider_api, app_token):
    serve_token(provider_api, app_token)
    serve_vinyl_category(provider_api, "EBAY_DE")
    serve(provider_api, SEARCH_URL, "ebay/item_summary_search_built_vinyl-eu.json", params=search_params(category="cat-de"))
    categories = locmem()

    for _ in range(2):
        EbayClient(app_token, marketplace_id="EBAY_DE", cache=categories).search_offers("Neil Young", "Neil Young", country="ES")

    taxonomy_calls = [call for call in provider_api.calls if call.request.url.startswith(TAXONOMY)]
    assert len(taxonomy_calls) == 2  # tree id + suggestions, once


def test_a_category_set_by_the_operator_is_used_as_is(settings):
    settings.EBAY_CLIENT_ID, settings.EBAY_CLIENT_SECRET, settings.EBAY_CATEGORY_ID = "id", "secret", "176985"

    assert EbayClient.from_settings().vinyl_category() == "176985"


def test_a_marketplace_without_known_vinyl_words_needs_a_configured_category():
    with pytest.raises(ValueError, match="EBAY_CATEGORY_ID"):
        EbayClient(object(), marketplace_id="EBAY_US")


@pytest.mark.django_db
def test_ping_reads_the_marketplaces_default_category_tree_with_the_app_token(provider_api, app_token):
    serve_token(provider_api, app_token)
    tree = recording_text("ebay/taxonomy_get_default_category_tree_id_docs-example.json")
    bearer = {"Authorization": f"Bearer {DOCS_TOKEN}"}
    serve(
        provider_api, f"{TAXONOMY}/get_default_category_tree_id", body=tree, params={"marketplace_id": "EBAY_GB"}, headers=bearer
    )

    assert EbayClient(app_token, marketplace_id="EBAY_GB").ping() == "category tree 0 for EBAY_GB"

"""The deal score: the usual price of the same pressing in the same condition (our observations,
else Discogs' suggestion, else none), the difference, the level, and the sample rule."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override

from catalog.factories import ReleaseFactory
from integrations.discogs import parse_price_suggestions
from integrations.tests.conftest import recording
from pricing import deals
from pricing.factories import PriceQuoteFactory, StoreFactory
from pricing.formats import money
from pricing.models import PriceSuggestion
from pricing.suggestions import pressings_wanting_suggestions, save_suggestions

pytestmark = pytest.mark.django_db


def seen(release, totals, condition="VG+", days_ago=10, **fields):
    """Offers of `release` observed `days_ago`, one per landed total (item = total − 5 shipping)."""
    at = timezone.now() - timedelta(days=days_ago)
    return [
        PriceQuoteFactory(
            release=release, amount=Decimal(total) - 5, condition=condition, fetched_at=at, is_current=False, **fields
        )
        for total in totals
    ]


def offer(release, total, condition="VG+", **fields):
    return PriceQuoteFactory(release=release, amount=Decimal(total) - 5, condition=condition, **fields)


def judged(quote):
    return deals.deals_for([quote])[quote.pk]


@pytest.mark.parametrize(
    "pct, level",
    [
        (-40, "excellent"),
        (-25, "excellent"),
        (Decimal("-24.9"), "good"),
        (-10, "good"),
        (Decimal("-9.9"), "fair"),
        (0, "fair"),
        (Decimal("9.9"), "fair"),
        (10, "high"),
        (60, "high"),
    ],
)
def test_levels_follow_the_documented_thresholds(pct, level):
    assert deals.level_of(Decimal(pct)) == level


def test_the_usual_price_is_the_median_of_the_last_180_days_at_the_same_condition():
    release = ReleaseFactory()
    seen(release, [40, 41, 45])
    seen(release, [10, 10, 10], condition="G")  # another condition class
    seen(release, [90, 90, 90], days_ago=200)  # too old
    deal = judged(offer(release, "27.88"))
    assert (deal.usual_eur, deal.basis, deal.observations, deal.pressing) == (Decimal("41.00"), deals.OBSERVATIONS, 3, True)
    assert (deal.difference_eur, deal.difference_pct, deal.level) == (Decimal("-13.12"), -32, "excellent")
    with override("en"):
        assert deal.sentence == "32% under the usual €41.00 for a VG+ copy of this pressing"
        assert deal.basis_text == "median of 3 offers seen in the last 180 days"
    with override("es"):
        assert deal.sentence == f"32% por debajo del precio habitual de {money(41)} para una copia VG+ de esta edición"
        assert money(41).startswith("41,00")


def test_one_offer_seen_many_times_counts_once_at_its_newest_price():
    release = ReleaseFactory()
    store = StoreFactory()
    for days_ago, total in [(30, 80), (20, 70), (5, 40)]:
        PriceQuoteFactory(
            release=release,
            store=store,
            offer_key="listing:1",
            amount=Decimal(total - 5),
            condition="VG+",
            fetched_at=timezone.now() - timedelta(days=days_ago),
            is_current=False,
        )
    seen(release, [42])
    judged_offer = offer(release, 30)
    assert judged(judged_offer) is None  # two distinct offers besides it: fewer than three, no usual price
    seen(release, [44])
    assert judged(judged_offer).usual_eur == Decimal("42.00")  # 40 (not 80 nor 70), 42, 44


def test_the_offer_judged_is_not_its_own_usual_price():
    release = ReleaseFactory()
    seen(release, [40, 41])
    assert judged(offer(release, 30)) is None


def test_new_counts_as_mint_and_an_ungraded_copy_is_judged_only_against_its_like():
    release = ReleaseFactory()
    seen(release, [50, 50, 50], condition="M")
    assert judged(offer(release, 50, condition="new")).level == "fair"
    assert judged(offer(release, 50, condition="used")) is None
    seen(release, [20, 20, 20], condition="")
    deal = judged(offer(release, 25, condition=""))
    with override("en"):
        assert deal.sentence == "25% over the usual €20.00 for a copy of this pressing in unstated condition"
    assert deal.level == "high"


def test_an_offer_on_no_pressing_is_judged_against_the_albums_offers():
    release = ReleaseFactory()
    seen(release, [30, 30])
    seen(ReleaseFactory(album=release.album), [36])  # another pressing of the album
    deal = judged(PriceQuoteFactory(release=None, album=release.album, amount=Decimal(25), condition="VG+"))
    with override("en"):
        assert deal.sentence == "at the usual €30.00 for a VG+ copy of this album"
    assert (deal.pressing, deal.level) == (False, "fair")


def test_sample_quotes_never_feed_a_real_pressings_usual_price_and_samples_are_judged_only_by_samples():
    release = ReleaseFactory()
    seen(release, [40, 40, 40], sample=True)
    assert judged(offer(release, 20)) is None
    sample_deal = judged(offer(release, 30, sample=True))
    assert (sample_deal.usual_eur, sample_deal.level, sample_deal.sample) == (Decimal("40.00"), "excellent", True)
    with override("en"):
        assert "sample prices, judged against sample prices only" in sample_deal.basis_text
    seen(release, [60, 60, 60])
    assert judged(offer(release, 30, sample=True)).usual_eur == Decimal("40.00")  # real history never judges a sample


def test_discogs_suggestion_is_the_usual_item_price_plus_this_offers_shipping_when_we_have_too_few():
    release = ReleaseFactory()
    # The recorded answer (USD), converted at 1.08 USD per EUR: VG+ 4.900277… USD → 4.54 EUR.
    save_suggestions(
        release,
        parse_price_suggestions(recording("discogs/marketplace_price_suggestions_2576104.json")),
        {"USD": Decimal("1.08")},
    )
    assert PriceSuggestion.objects.filter(release=release).count() == 8
    quote = PriceQuoteFactory(release=release, amount=Decimal("3.00"), shipping=Decimal("5.00"), condition="VG+")
    deal = judged(quote)
    assert (deal.basis, deal.usual_eur, deal.observations) == (deals.DISCOGS, Decimal("9.54"), 0)
    assert (deal.difference_pct, deal.level) == (-16, "good")
    seen(release, [12, 12, 12])
    assert judged(quote).basis == deals.OBSERVATIONS  # our own observations come first


def test_no_suggestion_for_a_sample_offer_nor_an_empty_answer():
    release = ReleaseFactory()
    assert (
        save_suggestions(
            release, parse_price_suggestions(recording("discogs/marketplace_price_suggestions_2576105_empty.json")), {}
        )
        == 0
    )
    PriceSuggestion.objects.create(release=release, condition="VG+", item_eur=Decimal(20), fetched_at=timezone.now())
    assert judged(offer(release, 20, sample=True)) is None


def test_an_item_only_quote_has_no_deal_and_pressings_without_a_usual_price_want_a_suggestion():
    release = ReleaseFactory()
    item_only = PriceQuoteFactory(release=release, shipping=None)
    assert deals.deals_for([item_only]) == {}
    offer(release, 30)
    assert pressings_wanting_suggestions(release.album) == [release]
    PriceSuggestion.objects.create(release=release, condition="VG+", item_eur=Decimal(20), fetched_at=timezone.now())
    assert pressings_wanting_suggestions(release.album) == []


def test_best_deals_sort_first_and_offers_without_a_usual_price_last():
    release = ReleaseFactory()
    seen(release, [40, 40, 40])
    cheap_unjudged = offer(release, 10, condition="G")
    fair, excellent = offer(release, 40), offer(release, 20)
    ordered = deals.by_deal(deals.attach_deals([cheap_unjudged, fair, excellent]))
    assert ordered == [excellent, fair, cheap_unjudged]


def test_the_median_leaving_one_offer_out_is_the_median_of_the_rest():
    import random
    from statistics import median

    rng = random.Random(24)
    for size in range(1, 40):
        totals = sorted(Decimal(rng.randint(100, 9000)) / 100 for _ in range(size))
        left_out = rng.choice(totals)
        rest = list(totals)
        rest.remove(left_out)
        if rest:
            assert deals._median_without(totals, left_out) == median(rest)
        assert deals._median_without(totals, None) == median(totals)


def test_a_price_refresh_asks_discogs_with_the_sites_account_and_never_anonymously(http_responses):
    from integrations.discogs import DiscogsClient, DiscogsTokenAuth
    from integrations.tests.conftest import serve
    from pricing.suggestions import refresh_price_suggestions

    release = ReleaseFactory(discogs_id=2576104)
    offer(release, 9)  # a real landed VG+ offer with no history: its pressing wants a suggestion
    assert (
        refresh_price_suggestions(release.album, {"USD": Decimal("1.08")}, client=DiscogsClient()) == 0
    )  # anonymous: nothing sent
    serve(
        http_responses,
        "https://api.discogs.com/marketplace/price_suggestions/2576104",
        "discogs/marketplace_price_suggestions_2576104.json",
    )
    client = DiscogsClient(DiscogsTokenAuth("site-token"))
    assert refresh_price_suggestions(release.album, {"USD": Decimal("1.08")}, client=client) == 8
    assert PriceSuggestion.objects.get(release=release, condition="VG+").item_eur == Decimal("4.54")
    assert refresh_price_suggestions(release.album, {"USD": Decimal("1.08")}, client=client) == 0  # asked lately: not again
    assert len(http_responses.calls) == 1

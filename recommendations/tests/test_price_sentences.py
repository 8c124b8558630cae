"""Price sentences claim only what we know, in the recommendations' producers (issue 21, Build 3):
the card, the "Why?" explanation, the score reason, the API's `explanation` and `reason`, the
basket. A sample price says "sample" in the sentence that states it and is never "exact" nor
"seen"; an item-only price five years old is shown as "last seen", never as a from-price."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pricing.best_price import update_best_prices
from pricing.factories import PriceQuoteFactory, StoreFactory
from pricing.models import PriceQuote
from recommendations import services
from recommendations.factories import FeedbackFactory

from .world import build_world

pytestmark = pytest.mark.django_db
SAMPLE_PRICE = "€27.40"  # OK Computer's, made a sample below
OLD_PRICE = "€218.40"  # Amnesiac's only price, five years old
SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z])|\n")


def sentences_with(text, needle):
    """Every sentence of `text` (HTML tags dropped) that states `needle`; at least one."""
    plain = re.sub(r"[ \t]+", " ", re.sub(r"<[^>]+>", " ", text))
    found = [sentence for sentence in SENTENCE_END.split(plain) if needle in sentence]
    assert found, f"{needle!r} is not stated in: {plain}"
    return found


def assert_said_as_sample(text, price=SAMPLE_PRICE):
    for sentence in sentences_with(text, price):
        assert "sample" in sentence and "exact" not in sentence and "seen" not in sentence, sentence


@pytest.fixture
def world(settings, client, django_capture_on_commit_callbacks):
    """The recommendation world, OK Computer priced by a demo sample and Amnesiac by a Discogs
    item price from five years ago; the listener wants both and sees the whole set."""
    settings.RECOMMENDATION_SET_SIZE = 24
    world = build_world()
    ok, amnesiac = world.album("OK Computer"), world.album("Amnesiac")
    PriceQuote.objects.filter(album=ok).update(sample=True)
    PriceQuoteFactory(
        release=world.releases["Amnesiac"],
        store=StoreFactory(name="Discogs marketplace"),
        amount=Decimal("218.40"),
        shipping=None,
        ships_to="",
        fetched_at=timezone.now() - timedelta(days=5 * 365 + 3),
    )
    update_best_prices([ok.pk, amnesiac.pk])
    for album in (ok, amnesiac):
        FeedbackFactory(user=world.user, album=album, kind="wantlist")
    with django_capture_on_commit_callbacks(execute=True):
        world.set = services.request_generation(world.user)
    client.force_login(world.user)
    return world


def item(world, title):
    return world.set.items.get(album__title=title)


def test_the_card_says_sample_in_its_price_line(client, world):
    page = client.get(reverse("recommendations:page")).content.decode()
    card = page[page.index(f'id="item-{item(world, "OK Computer").pk}"') :]
    card = card[: card.index("</article>")]
    assert_said_as_sample(card[card.index('class="rec-price"') : card.index("<details")])


def test_the_why_explanation_says_sample_where_it_states_the_price(world):
    assert_said_as_sample(item(world, "OK Computer").explanation)


def test_the_score_reason_states_no_price(world):
    assert all("€" not in reason for reason in world.set.items.values_list("reason", flat=True))


def test_the_api_explanation_says_sample_and_the_reason_states_no_price(client, world):
    items = {entry["album"]["title"]: entry for entry in client.get(reverse("api:recs")).json()["items"]}
    ok = items["OK Computer"]
    assert_said_as_sample(ok["explanation"])
    assert "€" not in ok["reason"] and ok["best_price"]["sample"] is True


def test_the_basket_says_sample_for_the_line_the_parcel_and_the_total(client, world):
    page = client.get(reverse("recommendations:basket")).content.decode()
    assert_said_as_sample(page)  # the line, its parcel's total and the basket's summary
    assert "includes 1 sample price, not a live offer" in page


def test_an_item_price_five_years_old_is_shown_as_last_seen_never_as_a_from_price(client, world):
    amnesiac = item(world, "Amnesiac")
    page = client.get(reverse("recommendations:page")).content.decode()
    card = page[page.index(f'id="item-{amnesiac.pk}"') :]
    card = card[: card.index("</article>")]
    assert '<span class="muted last-seen">last seen 5 years ago at €218.40 on Discogs marketplace</span>' in card
    assert f"from {OLD_PRICE}" not in card and OLD_PRICE not in amnesiac.explanation
    entry = next(e for e in client.get(reverse("api:recs")).json()["items"] if e["album"]["title"] == "Amnesiac")
    assert entry["best_price"] is None and entry["from_price"] is None
    basket = client.get(reverse("recommendations:basket")).content.decode()
    assert OLD_PRICE not in basket

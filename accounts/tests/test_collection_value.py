"""Collection value: each record at its pressing's usual price (the deal score's rule: median of
at least 3 distinct offers to the listener's country in 180 days; sample offers only when real
ones are too few, and marked), the total, a point per week written by the weekly task, the
biggest movers, and Discogs' own estimate against its documented answer; page and API."""

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import responses
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.urls import reverse
from django.utils import timezone

from accounts import collection_value as values
from accounts.factories import CollectionItemFactory, UserFactory
from accounts.tasks import record_collection_values
from catalog.factories import ReleaseFactory
from integrations.discogs import CollectionValue, parse_collection_value, parse_display_money
from integrations.types import Money
from pricing.factories import ExchangeRateFactory, PriceQuoteFactory
from pricing.models import CollectionValuePoint
from vinilogy.schedules import SCHEDULES

pytestmark = pytest.mark.django_db
D = Decimal
FIXTURE = Path(__file__).resolve().parents[2] / "integrations/fixtures/discogs/user_collection_value_docs-example.json"


def offers(release, *totals, sample=False, days_ago=1, ships_to="ES"):
    for total in totals:
        PriceQuoteFactory(
            release=release,
            amount=D(total) - 5,
            shipping=D("5.00"),
            sample=sample,
            ships_to=ships_to,
            condition="VG+",
            fetched_at=timezone.now() - timedelta(days=days_ago),
        )


@pytest.fixture
def collector():
    """A collector in Spain: Blue with three real offers (20, 30, 40), Court with two, Hejira
    with three sample offers only."""
    user = UserFactory()
    user.profile.country = "ES"
    user.profile.save()
    blue, court, hejira = (ReleaseFactory(title=title, album__title=title) for title in ("Blue", "Court", "Hejira"))
    for release in (blue, court, hejira):
        CollectionItemFactory(user=user, release=release, folder="collection")
    offers(blue, "20.00", "30.00", "40.00")
    offers(court, "25.00", "35.00")
    offers(hejira, "10.00", "12.00", "14.00", sample=True)
    return user, (blue, court, hejira)


def test_each_record_is_valued_at_its_pressings_usual_price_or_left_out(collector):
    user, (blue, court, hejira) = collector
    value = values.collection_value(user, "ES")
    by_title = {record.item.release.title: record for record in value.records}
    assert by_title["Blue"].eur == D("30.00") and by_title["Blue"].usual.observations == 3 and not by_title["Blue"].usual.sample
    assert by_title["Court"].usual is None  # two offers are too few
    assert by_title["Hejira"].eur == D("12.00") and by_title["Hejira"].usual.sample
    assert (value.total_eur, len(value.records), value.valued, value.sample) == (D("42.00"), 3, 2, 1)
    assert [r.item.release.title for r in value.records] == ["Blue", "Hejira", "Court"]


def test_real_offers_win_over_sample_ones_and_old_or_elsewhere_offers_do_not_count(collector):
    user, (blue, court, hejira) = collector
    offers(hejira, "50.00", "60.00", "70.00")
    offers(court, "99.00", days_ago=200)
    offers(court, "99.00", ships_to="DE")
    value = values.collection_value(user, "ES")
    by_title = {record.item.release.title: record for record in value.records}
    assert by_title["Hejira"].eur == D("60.00") and not by_title["Hejira"].usual.sample
    assert by_title["Court"].usual is None


def test_the_weekly_task_writes_one_point_a_week_and_the_movers_follow(collector):
    user, (blue, court, hejira) = collector
    last_week = values.week_of(timezone.localdate()) - timedelta(days=7)
    blue_item = user.collection_items.get(release=blue)
    CollectionValuePoint.objects.create(
        user=user, week=last_week, total_eur=D("35.00"), records=3, valued=1, values={str(blue_item.pk): "25.00"}
    )
    assert record_collection_values() == 1
    assert record_collection_values() == 1  # twice in a week: the same point, rewritten
    history = list(CollectionValuePoint.objects.filter(user=user).order_by("week"))
    assert [(p.week, p.total_eur) for p in history] == [
        (last_week, D("35.00")),
        (values.week_of(timezone.localdate()), D("42.00")),
    ]
    assert history[-1].discogs_median_eur is None and history[-1].discogs_error == ""  # not connected
    [mover] = values.collection_value(user, "ES").movers
    assert (mover.item, mover.before_eur, mover.now_eur, mover.change_eur) == (blue_item, D("25.00"), D("30.00"), D("5.00"))


def test_the_weekly_task_is_declared_with_the_other_periodic_tasks():
    [weekly] = [s for s in SCHEDULES if s.task == "accounts.record_collection_values"]
    assert weekly.crontab["day_of_week"] == "1"


def test_discogs_documented_answer_is_read_as_money():
    estimate = parse_collection_value(json.loads(FIXTURE.read_text()))
    assert estimate == CollectionValue(Money(D("1.00"), "USD"), Money(D("5.00"), "USD"), Money(D("10.00"), "USD"))
    assert parse_display_money("€1,234.56") == Money(D("1234.56"), "EUR")
    assert parse_display_money("£5.00") == Money(D("5.00"), "GBP") and parse_display_money("?5") is None


def test_a_connected_collector_gets_discogs_estimate_in_euros_beside_ours(collector, settings):
    settings.DISCOGS_CONSUMER_KEY, settings.DISCOGS_CONSUMER_SECRET = "consumer", "consumer-secret"
    user, _ = collector
    account = SocialAccount.objects.create(user=user, provider="discogs", uid="1", extra_data={"username": "example"})
    SocialToken.objects.create(account=account, token="oauth-token", token_secret="oauth-secret")
    ExchangeRateFactory(currency="USD", rate=D("1.25"))
    with responses.RequestsMock() as api:
        api.get(
            "https://api.discogs.com/users/example/collection/value", body=FIXTURE.read_text(), content_type="application/json"
        )
        point = values.record_week(user, "ES")
        assert api.calls[0].request.headers["Authorization"].startswith("OAuth ")
    assert (point.discogs_minimum_eur, point.discogs_median_eur, point.discogs_maximum_eur) == (D("0.80"), D("4.00"), D("8.00"))
    with responses.RequestsMock() as api:
        api.get("https://api.discogs.com/users/example/collection/value", status=500)
        assert values.record_week(user, "ES").discogs_error  # kept for the admin; the figures stay as they were read
    assert values.collection_value(user, "ES").discogs is not None


def test_the_page_and_the_api_say_the_same(client, collector):
    user, _ = collector
    values.record_week(user, "ES")
    client.force_login(user)
    html = client.get(reverse("accounts:collection_value")).content.decode()
    assert "€42.00" in html and "2 of your 3 records have a usual price." in html
    assert "1 record is valued from sample prices" in html and "no usual price yet" in html
    body = client.get(reverse("api:collection_value")).json()
    assert (body["total_eur"], body["records"], body["valued"], body["sample"], body["discogs"]) == ("42.00", 3, 2, 1, None)
    assert body["history"] == [{"date": values.week_of(timezone.localdate()).isoformat(), "total_eur": "42.00"}]


def test_a_first_visit_writes_the_weeks_point(client, collector, django_capture_on_commit_callbacks):
    user, _ = collector
    client.force_login(user)
    client.get(reverse("accounts:collection_value"))
    assert CollectionValuePoint.objects.filter(user=user).count() == 1


def test_another_listener_sees_nothing_of_mine(client, collector):
    client.force_login(UserFactory(username="someone-else"))
    html = client.get(reverse("accounts:collection_value")).content.decode()
    assert "Blue" not in html and "Your collection is empty here" in html

"""The album's pressings fragment at any size: the first 50 pressings in the order a buyer
wants (cheapest landed offer, then most wanted), filters by country, decade and format, "show
more" through htmx, and the same queries for an album with 10 pressings as for one with 1,000."""

import random
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.factories import AlbumFactory, ReleaseFactory
from catalog.models import Release
from pricing.factories import PriceQuoteFactory, StoreFactory
from pricing.models import PriceQuote

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def album():
    return AlbumFactory(title="Kind of Blue", artist__name="Miles Davis", releases_refreshed_at=timezone.now())


def _pressings(album, n, **fields):
    """`n` pressings in one INSERT (a thousand through the factory one by one is slow)."""
    start = (Release.objects.order_by("-discogs_id").values_list("discogs_id", flat=True).first() or 7_000_000) + 1
    rows = [ReleaseFactory.build(album=album, discogs_id=start + i, want=i, **fields) for i in range(n)]
    return Release.objects.bulk_create(rows)


def _quote(release, store, total=None, item=None, ships_to="ES", **extra):
    """A landed quote (`total`, shipping included) or an item-only one (`item`, shipping unknown)."""
    if total is not None:
        return PriceQuoteFactory(
            release=release,
            album=release.album,
            store=store,
            amount=Decimal(total),
            shipping=Decimal("0"),
            ships_to=ships_to,
            **extra,
        )
    return PriceQuoteFactory(
        release=release, album=release.album, store=store, amount=Decimal(item), shipping=None, ships_to=ships_to, **extra
    )


def _rows(html):
    """The catalog numbers of the table's rows, in order."""
    return re.findall(r'data-label="Cat. no.">([^<]*)<', html)


def _get(client, album, **params):
    return client.get(reverse("pricing:album_pressings", args=[album.pk]), params, **HTMX).content.decode()


def test_the_first_fifty_come_cheapest_landed_first_then_most_wanted(client, album):
    store = StoreFactory(name="Discogs", kind="discogs")
    pressings = _pressings(album, 120)
    for i, pressing in enumerate(pressings):
        pressing.catalog_number = f"CAT-{i:03d}"
    Release.objects.bulk_update(pressings, ["catalog_number"])
    _quote(pressings[3], store, total="31.00")
    _quote(pressings[7], store, total="24.00")
    _quote(pressings[7], store, total="40.00")
    _quote(pressings[9], store, item="5.00")  # shipping unknown: not a landed price, ranks by wants
    _quote(pressings[11], store, total="19.00", ships_to="DE")  # does not ship to Spain

    html = _get(client, album)

    rows = _rows(html)
    assert len(rows) == 50
    assert rows[:2] == ["CAT-007", "CAT-003"]  # the two landed offers, cheapest first
    assert rows[2:5] == ["CAT-119", "CAT-118", "CAT-117"]  # then by Discogs wants (want = index)
    assert ">120<" in html and "50 of 120" in html
    assert "€24.00" in html and "€40.00" not in html and "€19.00" not in html


def test_show_more_returns_the_next_rows_alone_and_then_no_more_link(client, album):
    pressings = _pressings(album, 120)
    html = _get(client, album)
    first = _rows(html)
    assert "Show 50 more" in html and 'hx-target="closest tr"' in html

    more = _get(client, album, offset=50, rows=1)

    assert "<table" not in more and "<h2" not in more  # only rows, swapped in place of the link row
    assert len(_rows(more)) == 50 and "Show 20 more" in more
    last = _get(client, album, offset=100, rows=1)
    assert len(_rows(last)) == 20 and "more-pressings" not in last
    shown = [*first, *_rows(more), *_rows(last)]
    assert len(shown) == len(pressings)


def test_show_more_without_javascript_is_a_page_from_that_offset(client, album):
    _pressings(album, 60)
    response = client.get(reverse("pricing:album_pressings", args=[album.pk]), {"offset": 50})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert len(_rows(html)) == 10 and "Pressings 51–60 of 60" in html


def test_filters_narrow_by_country_decade_and_format_and_show_more_keeps_them(client, album):
    _pressings(album, 60, country="UK", year=1959, format_summary="LP, Album, Mono")
    _pressings(album, 3, country="US", year=1997, format_summary="2xLP, Album, RE")
    _pressings(album, 2, country="Japan", year=1976, format_summary='7", 45 RPM')
    _pressings(album, 1, country="Europe", year=2015, format_summary="Box Set, 5xLP")

    html = _get(client, album)
    for option in (
        'value="UK"',
        'value="Japan"',
        'value="1950"',
        'value="2010"',
        "One LP (60)",
        "Two or more LPs (3)",
        "7&quot; (2)",
        "Box set (1)",
    ):
        assert option in html
    assert 'value="10"' not in html  # no 10" pressing: not offered

    assert len(_rows(_get(client, album, country="US"))) == 3
    assert len(_rows(_get(client, album, decade=1970))) == 2
    assert len(_rows(_get(client, album, format="multi"))) == 3
    assert len(_rows(_get(client, album, format="box"))) == 1
    assert len(_rows(_get(client, album, country="UK", decade=1950, format="lp"))) == 50
    uk = _get(client, album, country="UK", format="lp")
    assert "country=UK" in uk and "format=lp" in uk and "offset=50" in uk
    assert len(_rows(_get(client, album, country="UK", format="lp", offset=50, rows=1))) == 10
    assert "No pressing of this album matches" in _get(client, album, country="UK", decade=2010)


def test_a_filter_the_album_cannot_give_is_named_and_the_others_still_apply(client, album):
    _pressings(album, 4, country="UK")
    _pressings(album, 2, country="US")
    html = _get(client, album, country="Narnia", decade="19x0", format="78")
    assert "“Narnia”" in html and "“19x0”" in html and "“78”" in html
    assert len(_rows(html)) == 6
    assert len(_rows(_get(client, album, country="US", decade="1890"))) == 2


def test_each_pressings_best_offer_is_its_cheapest_landed_else_its_cheapest_item_price(client, album):
    rng = random.Random(13)
    stores = [StoreFactory(name=f"Store {i}", kind="discogs") for i in range(3)]
    stores.append(StoreFactory(name="Closed", kind="discogs", is_active=False))
    pressings = _pressings(album, 30)
    for pressing in pressings:
        for _ in range(rng.randint(0, 4)):
            price = f"{rng.randint(1000, 6000) / 100:.2f}"
            landed = rng.random() < 0.6
            _quote(
                pressing,
                rng.choice(stores),
                total=price if landed else None,
                item=None if landed else price,
                ships_to=rng.choice(["ES", "ES", "", "DE"]),
                is_current=rng.random() < 0.85,
            )
    from catalog.pressing_filters import PressingFilters
    from pricing.queries import pressings_page

    shown, total = pressings_page(album, "ES", PressingFilters(), 0, 50)

    assert total == 30
    for pressing in shown:
        offers = [
            q
            for q in PriceQuote.objects.filter(release=pressing, is_current=True, ships_to__in=["ES", ""], store__is_active=True)
        ]
        landed = [q.total_eur for q in offers if q.total_eur is not None]
        expected = min(landed) if landed else (min(q.item_eur for q in offers) if offers else None)
        got = pressing.best_quote
        assert (got.total_eur if landed else (got.item_eur if got else None)) == expected
    totals = [p.best_quote.total_eur for p in shown if p.best_quote and p.best_quote.total_eur is not None]
    assert totals == sorted(totals)


@pytest.mark.parametrize("kind", ["plain", "filtered"])
def test_the_fragment_reads_the_same_queries_and_stays_small_for_10_or_1000_pressings(client, kind, django_assert_num_queries):
    store = StoreFactory(name="Discogs", kind="discogs")
    params = {"country": "UK", "decade": 1990, "format": "lp"} if kind == "filtered" else {}
    sizes = {}
    for n in (10, 60, 1000):
        album = AlbumFactory(releases_refreshed_at=timezone.now())
        pressings = _pressings(album, n)
        PriceQuote.objects.bulk_create(
            [
                PriceQuoteFactory.build(release=p, album=album, store=store, amount=Decimal(10 + i % 40))
                for i, p in enumerate(pressings)
            ]
        )
        url = reverse("pricing:album_pressings", args=[album.pk])
        # the album, the options' version, the cheapest landed total per pressing, the matching
        # pressings' ids and wants, the page, its best offers; the first time, the options too,
        # which the cache keeps for the next view (the guide is its own fragment: test_guide.py)
        with django_assert_num_queries(9):
            client.get(url, params, **HTMX)
        with django_assert_num_queries(6):
            response = client.get(url, params, **HTMX)
        assert len(_rows(response.content.decode())) == min(n, 50)
        sizes[n] = len(response.content)
    assert sizes[1000] < 100_000
    assert abs(sizes[1000] - sizes[60]) < 0.05 * sizes[60]  # past one page, the answer does not grow with the album


def test_the_filter_options_follow_a_new_pressing_at_once(client, album):
    """The options are cached under the album's pressings (how many, the last synced), so a
    new pressing is offered on the next visit."""
    _pressings(album, 3, country="UK")
    assert 'value="US"' not in _get(client, album)
    _pressings(album, 1, country="US")
    assert 'value="US"' in _get(client, album)

"""The wantlist page: albums marked "Wantlist" here and the Discogs wantlist as one list,
cheapest landed price first, each with its price sentence and a price chart per priced pressing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import CollectionItemFactory, UserFactory
from accounts.models import CollectionItem
from catalog.factories import AlbumFactory, ReleaseFactory
from pricing.factories import PriceQuoteFactory, StoreFactory
from recommendations.factories import FeedbackFactory
from recommendations.models import Feedback

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
WANTLIST_QUERIES = 10  # the 10th: the listener's Discogs username (SourceUsername), for the hint below the list


def _history(release, *totals, ships_to="ES"):
    """One retired quote a day, then the current one: the chart's history."""
    store = StoreFactory(name="Discogs", kind="discogs")
    start = timezone.now() - timedelta(days=len(totals))
    for day, total in enumerate(totals):
        is_last = day == len(totals) - 1
        PriceQuoteFactory(
            release=release,
            album=release.album,
            store=store,
            offer_key=f"lowest-{release.pk}",
            amount=Decimal(total),
            shipping=Decimal("0"),
            total_eur=Decimal(total),
            ships_to=ships_to,
            is_current=is_last,
            fetched_at=start + timedelta(days=day),
        )


def test_wantlist_shows_my_wantlisted_albums_with_a_price_chart_per_pressing(client, listener):
    album = AlbumFactory(title="Mezzanine", artist__name="Massive Attack")
    pressing = ReleaseFactory(album=album, country="UK", year=1998)
    ReleaseFactory(album=album, country="US")  # no price history: no chart
    _history(pressing, "31.00", "28.50", "26.00")
    FeedbackFactory(user=listener, album=album, kind=Feedback.Kind.WANTLIST)
    FeedbackFactory(user=listener, album=AlbumFactory(title="Locked Only"), kind=Feedback.Kind.LOCK)
    html = client.get(reverse("recommendations:wantlist")).content.decode()
    assert "Mezzanine" in html and "Massive Attack" in html and "Locked Only" not in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="price-chart"') == 1
    assert "€31" in html and "€26" in html  # the chart's axis labels


def test_wantlist_shows_my_discogs_wantlist_items(client, listener):
    release = ReleaseFactory(title="Dummy", album__title="Dummy", album__artist__name="Portishead")
    CollectionItemFactory(user=listener, release=release, folder=CollectionItem.Folder.WANTLIST)
    CollectionItemFactory(user=listener, release=ReleaseFactory(title="Owned Record"))  # collection, not wantlist
    html = client.get(reverse("recommendations:wantlist")).content.decode()
    assert "Dummy" in html and "Portishead" in html and "Owned Record" not in html


def test_wantlist_never_shows_another_listeners_items(client, listener):
    other = UserFactory(username="other")
    FeedbackFactory(user=other, album=AlbumFactory(title="Their Album"), kind=Feedback.Kind.WANTLIST)
    CollectionItemFactory(user=other, release=ReleaseFactory(title="Their Pressing"), folder="wantlist")
    html = client.get(reverse("recommendations:wantlist")).content.decode()
    assert "Their Album" not in html and "Their Pressing" not in html


def test_wantlist_needs_a_signed_in_listener(client):
    response = client.get(reverse("recommendations:wantlist"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def _want_of_each_kind(listener, count):
    """`count` albums wantlisted here, `count` pressings on the Discogs wantlist, `count` albums
    on both lists and `count` Discogs pressings linked to no album, all priced with a history."""
    for _ in range(count):
        here, discogs, both = ReleaseFactory(), ReleaseFactory(), ReleaseFactory()
        for release in (here, discogs, both):
            _history(release, "20.00", "19.00")
        FeedbackFactory(user=listener, album=here.album, kind=Feedback.Kind.WANTLIST)
        FeedbackFactory(user=listener, album=both.album, kind=Feedback.Kind.WANTLIST)
        for release in (discogs, both, ReleaseFactory(album=None)):
            CollectionItemFactory(user=listener, release=release, folder="wantlist")


@pytest.mark.parametrize("count", [1, 6])
def test_wantlist_reads_the_same_queries_however_long_it_is(client, listener, count, django_assert_num_queries):
    """Pinned: the session and user, the listener's buying filters, the Discogs-wanted
    pressings, the wanted albums (here or on Discogs, with whether wantlisted here) and their
    priced pressings, their best landed and item-only prices, the price histories."""
    _want_of_each_kind(listener, count)
    with django_assert_num_queries(WANTLIST_QUERIES):
        response = client.get(reverse("recommendations:wantlist"))
    assert response.content.decode().count('class="card want-item"') == 4 * count


def test_owner_removes_an_album_from_the_wantlist_in_place(client, listener):
    feedback = FeedbackFactory(user=listener, kind=Feedback.Kind.WANTLIST)
    response = client.post(reverse("recommendations:wantlist_remove", args=[feedback.album_id]), **HTMX)
    assert response.status_code == 200 and "Removed from your wantlist" in response.content.decode()
    assert not Feedback.objects.filter(pk=feedback.pk).exists()


def test_another_listener_cannot_remove_from_my_wantlist(client, listener):
    feedback = FeedbackFactory(user=UserFactory(username="owner"), kind=Feedback.Kind.WANTLIST)
    assert client.post(reverse("recommendations:wantlist_remove", args=[feedback.album_id])).status_code == 404
    assert Feedback.objects.filter(pk=feedback.pk).exists()


def test_removing_from_the_wantlist_needs_a_signed_in_listener(client):
    feedback = FeedbackFactory(kind=Feedback.Kind.WANTLIST)
    response = client.post(reverse("recommendations:wantlist_remove", args=[feedback.album_id]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert Feedback.objects.filter(pk=feedback.pk).exists()


def _price(album, amount, shipping, **fields):
    PriceQuoteFactory(
        release=ReleaseFactory(album=album),
        album=album,
        amount=Decimal(amount),
        shipping=None if shipping is None else Decimal(shipping),
        **fields,
    )


def test_wantlist_is_sorted_by_landed_price_cheapest_first_item_prices_and_unpriced_last(client, listener):
    from pricing.best_price import refresh_best_prices

    titles = ["Unpriced", "Item only", "Dear", "Cheap"]
    albums = {title: AlbumFactory(title=title) for title in titles}
    _price(albums["Dear"], "40.00", "5.00")
    _price(albums["Cheap"], "15.00", "4.00", fetched_at=timezone.now() - timedelta(days=3))
    _price(albums["Item only"], "3.00", None, ships_to="")
    for album in albums.values():
        FeedbackFactory(user=listener, album=album, kind=Feedback.Kind.WANTLIST)
    refresh_best_prices()

    html = client.get(reverse("recommendations:wantlist")).content.decode()

    assert [html.index(f">{t}</a>") for t in ["Cheap", "Dear", "Item only", "Unpriced"]] == sorted(
        html.index(f">{t}</a>") for t in titles
    )
    assert "€19.00 incl. shipping (exact)" in html and "seen 3 days ago" in html
    assert "from €3.00 + shipping" in html


def test_wantlist_prices_obey_the_listeners_filters(client, listener):
    from pricing.best_price import refresh_best_prices

    album = AlbumFactory(title="Mezzanine")
    _price(album, "10.00", "2.00", condition="VG")
    _price(album, "20.00", "2.00", condition="NM")
    FeedbackFactory(user=listener, album=album, kind=Feedback.Kind.WANTLIST)
    refresh_best_prices()
    assert "€12.00 incl. shipping" in client.get(reverse("recommendations:wantlist")).content.decode()

    listener.profile.min_condition = "VG+"
    listener.profile.save()

    html = client.get(reverse("recommendations:wantlist")).content.decode()
    assert "€22.00 incl. shipping" in html and "€12.00 incl." not in html


def _discogs_want(listener, album):
    """A pressing of `album` on the listener's Discogs wantlist."""
    CollectionItemFactory(
        user=listener, release=ReleaseFactory(album=album, country="DE", catalog_number="DW 1"), folder="wantlist"
    )


def test_wantlist_is_one_list_of_site_and_discogs_wants_cheapest_landed_first_unknown_last(client, listener):
    from pricing.best_price import refresh_best_prices

    albums = {
        title: AlbumFactory(title=title, artist__name=f"{title} Band")
        for title in ["Site Dear", "Discogs Cheap", "On Both", "Discogs Item Only", "Site Unpriced"]
    }
    _price(albums["Site Dear"], "30.00", "5.00")
    _price(albums["Discogs Cheap"], "10.00", "2.00")
    _price(albums["On Both"], "15.00", "5.00")
    _price(albums["Discogs Item Only"], "3.00", None, ships_to="")
    for title in ("Site Dear", "On Both", "Site Unpriced"):
        FeedbackFactory(user=listener, album=albums[title], kind=Feedback.Kind.WANTLIST)
    for title in ("Discogs Cheap", "On Both", "Discogs Item Only"):
        _discogs_want(listener, albums[title])
    _discogs_want(listener, albums["On Both"])  # a second wanted pressing of it: still one entry
    CollectionItemFactory(
        user=listener, release=ReleaseFactory(album=None, title="Zz Unlinked", artist_credit="Aa Band"), folder="wantlist"
    )
    refresh_best_prices()

    html = client.get(reverse("recommendations:wantlist")).content.decode()

    shown = ["Discogs Cheap", "On Both", "Site Dear", "Discogs Item Only", "Zz Unlinked", "Site Unpriced"]
    positions = [html.index(f">{title}</") for title in shown]
    assert positions == sorted(positions), "landed ascending, then item-only, then unpriced (by artist)"
    assert html.count(">On Both</a>") == 1 and html.count('class="card want-item"') == 6
    assert "€12.00 incl. shipping" in html and "€20.00 incl. shipping" in html and "€35.00 incl. shipping" in html
    assert "from €3.00 + shipping" in html


def test_each_want_says_which_list_it_is_on_and_only_site_wants_can_be_removed_here(client, listener):
    here, discogs, both = AlbumFactory(title="Here Only"), AlbumFactory(title="Discogs Only"), AlbumFactory(title="Both Lists")
    for album in (here, both):
        FeedbackFactory(user=listener, album=album, kind=Feedback.Kind.WANTLIST)
    for album in (discogs, both):
        _discogs_want(listener, album)

    html = client.get(reverse("recommendations:wantlist")).content.decode()

    def entry(album):
        start = html.index(f'id="want-{album.pk}"')
        return html[start : html.index("</li>", start)]

    assert "On your wantlist here" in entry(here) and "Discogs wantlist" not in entry(here)
    assert "On your Discogs wantlist: <a" in entry(discogs) and "On your wantlist here" not in entry(discogs)
    assert "On your wantlist here" in entry(both) and "On your Discogs wantlist: <a" in entry(both)
    assert "DE" in entry(discogs) and "DW 1" in entry(discogs)
    removable = [album for album in (here, discogs, both) if "Remove from wantlist" in entry(album)]
    assert removable == [here, both]
    assert all("No price yet" in entry(album) for album in (here, discogs, both))


def test_only_pressings_with_a_price_history_to_my_country_offer_one(client, listener):
    charted = AlbumFactory(title="Charted")
    _history(ReleaseFactory(album=charted), "31.00", "28.50", "26.00")
    elsewhere = AlbumFactory(title="Priced Elsewhere")
    _history(ReleaseFactory(album=elsewhere), "20.00", ships_to="US")
    for album in (charted, elsewhere):
        FeedbackFactory(user=listener, album=album, kind=Feedback.Kind.WANTLIST)
    CollectionItemFactory(user=listener, release=ReleaseFactory(album=None, title="Unlinked"), folder="wantlist")

    html = client.get(reverse("recommendations:wantlist")).content.decode()

    assert html.count('class="want-history"') == 1 and "Price history of 1 pressing" in html
    start = html.index(f'id="want-{charted.pk}"')
    assert 'class="want-history"' in html[start : html.index("</li>", start)]

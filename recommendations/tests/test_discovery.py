"""Discovery: when the related albums run out, catalog-wide albums that play the listener's
genres fill the set, after them; albums with no link to the listener never do.

The world's listener has 10 related candidate albums (Radiohead, Portishead and the artists
similarity leads to); Radiohead's third waits past the first twelve (two per artist there),
so 9 of them can fill the first screen. Outsiders are albums by artists no path leads to;
they play trip-hop, one of the listener's genres, unless a test says otherwise.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import UserFactory
from catalog.factories import AlbumFactory, ArtistFactory, ArtistTagFactory, ReleaseFactory
from pricing.best_price import refresh_best_prices
from pricing.factories import PriceQuoteFactory, StoreFactory
from recommendations import albums as album_selection, services
from recommendations.diversity import Ranked, diversify
from recommendations.factories import FeedbackFactory
from recommendations.scoring import DISCOVERY, DISCOVERY_COMPONENTS, AlbumFacts, ordinal, score_album

from .world import build_world

pytestmark = pytest.mark.django_db

RELATED = 10  # the world's related candidate albums
FIRST_SCREEN_RELATED = 9  # of them, those the artist rule lets into the first twelve


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def sized(settings):
    def set_size(size):
        settings.RECOMMENDATION_SET_SIZE = size

    return set_size


def outsider(title, *, want=100, genre="trip-hop", artist=None, pressing=None, **album_fields):
    """A studio album with one vinyl pressing, by an artist no path leads to from the listener's."""
    artist = artist or ArtistFactory(name=f"{title} band")
    ArtistTagFactory(artist=artist, tag__name=genre)
    album = AlbumFactory(artist=artist, title=title, **album_fields)
    ReleaseFactory(album=album, **{"want": want, "have": 1000, **(pressing or {})})
    return album


def outsiders(count, *, want=100):
    return [outsider(f"Outsider {n}", want=want + n) for n in range(count)]


def items_of(rec_set):
    return list(rec_set.items.select_related("album").order_by("position"))


def is_discovery(item):
    return DISCOVERY in item.breakdown


# --- filling the set ------------------------------------------------------------------------


def test_a_listener_with_few_related_albums_gets_a_full_set_related_first_then_discovery(world, sized, generate):
    sized(14)
    outsiders(6)
    items = items_of(generate(world.user))
    assert len(items) == 14
    # The discovery albums take the first-screen slots no related album may take, then
    # Radiohead's third comes back at 13.
    assert [is_discovery(item) for item in items] == [False] * FIRST_SCREEN_RELATED + [True] * 3 + [False, True]
    assert items[12].album.artist == world.artists["Radiohead"]


def test_an_album_nothing_links_to_the_listener_never_pads_the_set(world, sized, generate):
    sized(24)
    metal = outsider("Butchered At Birth", want=90000, genre="death metal")
    items = items_of(generate(world.user))
    assert metal.pk not in {item.album_id for item in items}
    # Radiohead's third album would be 13th: the set stops at the first screen's related ones.
    assert len(items) == FIRST_SCREEN_RELATED
    assert all(item.score > 0 and item.reason for item in items)


def test_a_discovery_album_never_ranks_above_a_related_one_whatever_its_score(world, sized, generate):
    sized(12)
    star = outsider("Loveless", want=90000, genre="trip-hop")
    PriceQuoteFactory(release=star.releases.get(), album=star, amount=Decimal("12"), shipping=Decimal("0"))
    refresh_best_prices()
    items = items_of(generate(world.user))
    weakest_related = min(item.score for item in items if not is_discovery(item))
    star_item = next(item for item in items if item.album_id == star.pk)
    assert star_item.score > weakest_related
    assert star_item.position == FIRST_SCREEN_RELATED + 1


def test_the_set_is_as_full_as_the_catalog_allows(world, sized, generate):
    sized(24)
    outsiders(3)
    assert len(items_of(generate(world.user))) == RELATED + 3


def test_a_set_full_of_related_albums_takes_no_discovery(world, sized, generate):
    sized(FIRST_SCREEN_RELATED)
    outsiders(3)
    assert not any(is_discovery(item) for item in items_of(generate(world.user)))


def test_a_listener_without_taste_gets_no_discovery_either(world, sized, generate):
    sized(8)
    outsiders(3)
    assert generate(UserFactory()).items.count() == 0


def test_discovery_never_includes_owned_dismissed_blocked_non_studio_vinyl_less_or_short_albums(world, sized, generate):
    sized(24)
    kept = outsider("Kept", want=10)
    owned = outsider("Owned", want=9000)
    world.user.collection_items.create(release=owned.releases.get(), folder="collection")
    dismissed = outsider("Dismissed", want=9000)
    FeedbackFactory(user=world.user, album=dismissed, kind="dismiss")
    blocked = outsider("Blocked", want=9000)
    world.user.profile.blocked_artists.add(blocked.artist)
    live = outsider("Live", want=9000, is_studio=False)
    short = outsider("Short", want=9000, track_count=3)
    no_vinyl = AlbumFactory(title="No vinyl")
    titles = {item.album.title for item in items_of(generate(world.user)) if is_discovery(item)}
    assert titles == {kept.title}
    assert not titles & {album.title for album in (owned, dismissed, blocked, live, short, no_vinyl)}


def test_an_album_of_the_listeners_own_or_related_artists_is_never_a_discovery(world, sized, generate):
    sized(24)
    outsiders(3)
    outsider("Still Radiohead", artist=world.artists["Radiohead"])
    items = {item.album.title: item for item in items_of(generate(world.user))}
    assert not is_discovery(items["Still Radiohead"])


# --- scores and explanations ----------------------------------------------------------------


def test_discovery_breakdowns_sum_to_their_scores_with_no_taste_similarity_or_favourite(world, sized, generate):
    sized(16)
    outsiders(6)
    discovered = [item for item in items_of(generate(world.user)) if is_discovery(item)]
    assert len(discovered) == 6
    for item in discovered:
        assert set(item.breakdown) == set(DISCOVERY_COMPONENTS)  # jsonb keeps no key order
        assert sum(item.breakdown.values()) == pytest.approx(item.score, abs=1e-9)
        assert item.breakdown[DISCOVERY] == item.breakdown["taste"] == item.breakdown["similarity"] == 0
        assert item.breakdown["favourite"] == 0


def test_the_explanation_names_the_real_want_rating_genre_pressing_and_price(world, sized, generate):
    sized(RELATED + 1)
    pressing = dict(want=543, have=300, rating_average=4.6, rating_count=1200, year=1976, country="UK")
    album = outsider("Loveless", genre="trip-hop", pressing=pressing)
    store = StoreFactory(name="Discogs")
    PriceQuoteFactory(release=album.releases.get(), album=album, store=store, amount=Decimal("24.50"), shipping=Decimal("0"))
    refresh_best_prices()
    item = generate(world.user).items.get(album=album)
    # Studio albums wanted more in the world's catalog: 13, so Loveless is the 14th.
    assert item.explanation == (
        "Close to the trip-hop of your artists, a discovery outside your artists: the 14th most-wanted "
        "studio album on vinyl in our catalog (543 Discogs users want it); Discogs users rate it 4.6/5 "
        "from 1,200 votes; a 1976 UK pressing costs €24.50 incl. shipping to Spain (exact) on Discogs."
    )
    assert item.reason == "Close to the trip-hop of your artists" and item.via == []
    assert item.breakdown["genre"] > 0 and item.breakdown["price"] > 0


def test_an_album_outside_the_most_wanted_is_explained_by_its_want_alone(world, sized, generate, monkeypatch):
    sized(RELATED + 1)
    monkeypatch.setattr(album_selection, "MOST_WANTED_COUNTED", 3)
    album = outsider("Loveless", want=543)
    explanation = generate(world.user).items.get(album=album).explanation
    assert explanation.startswith(
        "Close to the trip-hop of your artists, a discovery outside your artists: 543 Discogs users want it; "
        "Discogs users rate it 4.5/5"
    )


def test_a_discovery_with_no_figures_says_only_what_is_true():
    scored = score_album(AlbumFacts(album_id=1, artist_id=2, artist_name="Can", title="Tago Mago", country="ES", discovery=True))
    assert scored.score == 0
    assert scored.explanation == (
        "A discovery outside your artists: a studio album by Can; no offer shipping to Spain has been found yet."
    )


def test_a_discovery_gets_no_taste_points_whatever_its_facts_say():
    facts = AlbumFacts(
        album_id=1,
        artist_id=2,
        artist_name="Can",
        title="Tago Mago",
        country="ES",
        discovery=True,
        affinity=1.0,
        similarity=1.0,
        is_favourite=True,
        album_playcount=300,
    )
    breakdown = score_album(facts).breakdown
    assert breakdown["taste"] == breakdown["similarity"] == breakdown["favourite"] == 0


def test_ordinals_read_as_english():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]


def test_genre_taste_weighs_each_genre_by_the_affinity_of_the_artists_who_play_it(world):
    AlbumFactory(artist=world.artists["Radiohead"], genre="Rock/Electronic")
    taste = album_selection.genre_taste(services.load_listener(world.user))
    # Radiohead (affinity 1) is alternative, rock and electronic; Portishead, weaker, trip-hop.
    assert taste["alternative"] == taste["rock"] == taste["electronic"] == 1.0
    assert 0 < taste["trip-hop"] < 1


# --- the pool -------------------------------------------------------------------------------


def test_the_discovery_pool_is_one_query_most_wanted_first_and_limited(world, django_assert_num_queries):
    low, high, middle = outsider("Low", want=5), outsider("High", want=5000), outsider("Middle", want=50)
    listener = services.load_listener(world.user)
    related = [artist.pk for artist in world.artists.values()]
    with django_assert_num_queries(1):
        pool = [(album.artist_name, album.title) for album in album_selection.discovery_albums(listener, related, limit=2)]
    assert pool == [(high.artist.name, high.title), (middle.artist.name, middle.title)]
    assert low.title not in dict(pool).values()


def test_generation_makes_as_many_queries_for_ten_discovery_albums_as_for_fifty(world, sized, generate):
    # Few enough items for one bulk insert on SQLite (999 parameters, 9 a row).
    sized(RELATED + 50)
    outsiders(10)
    with CaptureQueriesContext(connection) as few:
        generate(world.user, force=True)
    outsiders(50, want=1000)
    with CaptureQueriesContext(connection) as many:
        generate(world.user, force=True)
    assert len(many) == len(few)


# --- feedback -------------------------------------------------------------------------------


def test_dismissing_when_related_albums_are_exhausted_refills_from_discovery(world, sized, generate):
    sized(FIRST_SCREEN_RELATED)
    extra = {album.pk for album in outsiders(3)}
    rec_set = generate(world.user)
    # Not Radiohead: dismissing one of theirs would let their third album in.
    others = rec_set.items.exclude(album__artist=world.artists["Radiohead"]).order_by("position")
    for position in list(others.values_list("position", flat=True))[:3]:
        dismissed = rec_set.items.get(position=position).album_id
        replacement = services.apply_feedback(world.user, dismissed, "dismiss")["replacement"]
        assert replacement.position == position and replacement.album_id in extra
        assert is_discovery(replacement) and replacement.reason == "Close to the trip-hop of your artists"
        assert rec_set.items.count() == FIRST_SCREEN_RELATED
    assert set(rec_set.items.values_list("album_id", flat=True)) >= extra


def test_dismissing_a_discovery_album_draws_the_next_one(world, sized, generate):
    sized(FIRST_SCREEN_RELATED + 1)
    first, second = outsider("First", want=900), outsider("Second", want=800)
    rec_set = generate(world.user)
    assert rec_set.items.get(position=FIRST_SCREEN_RELATED + 1).album == first
    replacement = services.apply_feedback(world.user, first.pk, "dismiss")["replacement"]
    assert replacement.album == second and replacement.position == FIRST_SCREEN_RELATED + 1


def test_a_related_replacement_is_preferred_to_any_discovery(world, sized, generate):
    sized(RELATED - 1)
    outsider("Loved by all", want=90000)
    rec_set = generate(world.user)
    replacement = services.apply_feedback(world.user, rec_set.items.get(position=1).album_id, "dismiss")["replacement"]
    assert not is_discovery(replacement)


def test_a_locked_discovery_album_stays_at_its_position_and_stays_a_discovery(world, sized, generate):
    sized(RELATED + 2)
    outsiders(4)
    rec_set = generate(world.user)
    last = rec_set.items.get(position=RELATED + 2)
    services.apply_feedback(world.user, last.album_id, "lock")
    again = generate(world.user, force=True).items.get(album_id=last.album_id)
    assert again.position == RELATED + 2 and is_discovery(again)
    assert again.explanation == last.explanation


# --- where breakdowns are shown ---------------------------------------------------------------


def test_the_page_and_the_set_inspector_show_a_discovery_item(world, sized, generate, client, admin_client):
    sized(RELATED + 1)
    outsider("Loveless", want=543)
    rec_set = generate(world.user)
    client.force_login(world.user)
    page = client.get(reverse("recommendations:page")).content.decode()
    assert "Close to the trip-hop of your artists, a discovery outside your artists" in page
    assert '<th scope="row">Discovery</th><td>0.0</td>' in page
    inspector = admin_client.get(reverse("admin:recommendations_recommendationset_change", args=[rec_set.pk])).content.decode()
    assert "<td>discovery</td><td class='num'>+0.0</td>" in inspector


# --- diversity ------------------------------------------------------------------------------


def test_backfill_takes_only_the_slots_the_items_or_the_artist_rule_leave_and_keeps_pins():
    items = [Ranked("a1", "a", 10.0), Ranked("a2", "a", 9.0), Ranked("a3", "a", 8.0)]
    backfill = [Ranked("d1", "d", 99.0), Ranked("e1", "e", 98.0)]
    pinned = Ranked("p", "p", 1.0)
    ordered = diversify(items, 6, pinned={5: pinned}, backfill=backfill)
    # Artist "a" is crowded after two records: backfill takes the slots its third may not.
    assert [item.key for item in ordered] == ["a1", "a2", "d1", "e1", "p"]

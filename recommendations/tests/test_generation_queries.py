"""Set generation reads the catalog in a fixed number of set-based queries, whatever its size."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.factories import AlbumFactory, ArtistFactory, ArtistSimilarityFactory, ReleaseFactory
from pricing.best_price import refresh_best_prices
from pricing.factories import PriceQuoteFactory, StoreFactory
from recommendations import artifact, services
from recommendations.colisten import rebuild_colisten_similarities

from .world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.RECOMMENDATION_SET_SIZE = 4
    settings.COLISTEN_MIN_LISTENERS = 1
    return build_world()


def grow_catalog(world, artists=30, albums=4, pressings=3):
    """Artists Last.fm links to Radiohead, each with studio albums on vinyl, priced."""
    store = StoreFactory(name="Discogs")
    for n in range(artists):
        artist = ArtistFactory(name=f"Synthetic artist {n}")
        ArtistSimilarityFactory(from_artist=world.artists["Radiohead"], to_artist=artist, score=0.3, source="lastfm")
        for a in range(albums):
            album = AlbumFactory(artist=artist, title=f"Synthetic album {n}-{a}")
            for p in range(pressings):
                release = ReleaseFactory(album=album, want=10 * p, have=20)
                PriceQuoteFactory(
                    release=release, album=album, store=store, amount=Decimal("30"), shipping=Decimal("0"), ships_to="ES"
                )
    refresh_best_prices()


def generation_queries(world) -> list[str]:
    rebuild_colisten_similarities()
    artifact.current()  # a warm worker has loaded the model version already
    with CaptureQueriesContext(connection) as captured:
        rec_set = services.generate_now(world.user, force=True)
    assert rec_set.items.count() == 4
    return [q["sql"] for q in captured.captured_queries]


# Every query of one generation, counted: the listener, the model's candidates, the albums and
# their facts (stats, prices, wantlist, genres), the locks, discovery when the related albums
# run short, the price details and pressings of the albums shown, the set's progress and items,
# and the listener's language (the stored reasons are written in it).
GENERATION_QUERIES = 40


def test_generation_makes_the_same_queries_for_a_small_and_a_larger_catalog(world, django_assert_num_queries):
    assert len(generation_queries(world)) == GENERATION_QUERIES
    grow_catalog(world)
    rebuild_colisten_similarities()
    artifact.current()
    with django_assert_num_queries(GENERATION_QUERIES):
        services.generate_now(world.user, force=True)


def test_generation_never_reads_the_similarity_table(world):
    grow_catalog(world)
    assert not [sql for sql in generation_queries(world) if "catalog_artistsimilarity" in sql]

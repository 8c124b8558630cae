"""A superlative needs something to compare: "their most-wanted studio album" only for an artist
with at least two albums compared, "the most-wanted … in our catalog" only when the catalog has
another wanted album."""

import pytest

from recommendations import services
from recommendations.albums import AlbumStats, catalog_want_rank, demand_ranks
from recommendations.models import RecommendationSet

from .world import build_world

pytestmark = pytest.mark.django_db


def test_an_artists_only_album_gets_no_rank():
    stats = {1: (10, AlbumStats(want=900)), 2: (10, AlbumStats(want=300)), 3: (20, AlbumStats(want=5000))}

    assert demand_ranks(stats) == {1: 1, 2: 2}


def test_a_catalog_place_needs_another_wanted_album():
    assert catalog_want_rank(900, [900], 100) is None
    assert (catalog_want_rank(900, [900, 300], 100), catalog_want_rank(300, [900, 300], 100)) == (1, 2)


def test_the_why_sentence_names_no_superlative_for_an_artists_only_album(settings, django_capture_on_commit_callbacks):
    settings.RECOMMENDATION_SET_SIZE = 8
    world = build_world()
    with django_capture_on_commit_callbacks(execute=True):
        rec_set = services.request_generation(world.user)
    rec_set.refresh_from_db()
    assert rec_set.status == RecommendationSet.Status.READY
    explanations = dict(rec_set.items.values_list("album__title", "explanation"))

    assert "most-wanted" in explanations["OK Computer"]  # Radiohead: three albums compared
    assert "Maxinquaye" in explanations and "most-wanted" not in explanations["Maxinquaye"]  # Tricky's only album

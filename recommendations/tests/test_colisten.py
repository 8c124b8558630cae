"""Co-listening across our users: the neighbour fit and the periodic job that stores it."""
import numpy as np
import pytest
from scipy import sparse

from accounts.factories import SeedArtistFactory, UserFactory
from catalog.factories import ArtistFactory, ArtistSimilarityFactory
from catalog.models import ArtistSimilarity
from recommendations.candidates import colisten_neighbours
from recommendations.colisten import rebuild_colisten_similarities
from recommendations.tasks import refresh_colisten


def test_artists_listened_to_by_the_same_people_are_neighbours():
    # users × artists: artists 0 and 1 share two listeners; 2 shares only one with 0.
    matrix = np.array([[5.0, 4.0, 0.0], [3.0, 3.0, 0.0], [1.0, 0.0, 6.0]])
    edges = colisten_neighbours(matrix, k=5)
    pairs = {(i, j) for i, j, _ in edges}
    assert pairs == {(0, 1), (1, 0)}
    assert all(0 < score <= 1 for _, _, score in edges)


def test_a_pair_shared_by_a_single_listener_is_never_an_edge():
    assert colisten_neighbours(np.array([[1.0, 1.0]]), k=5) == []


def test_only_the_k_best_neighbours_are_kept_best_first():
    rng = np.random.default_rng(7)
    matrix = sparse.csr_matrix(rng.integers(0, 3, size=(40, 12)).astype(float))
    edges = colisten_neighbours(matrix, k=3)
    by_artist = {}
    for i, j, score in edges:
        by_artist.setdefault(i, []).append(score)
    assert max(len(scores) for scores in by_artist.values()) <= 3
    assert all(scores == sorted(scores, reverse=True) for scores in by_artist.values())


@pytest.mark.django_db
def test_the_job_replaces_stored_colisten_edges_and_keeps_lastfm_ones():
    radiohead, portishead, abba, stale = (ArtistFactory(name=n) for n in ("Radiohead", "Portishead", "ABBA", "Stale"))
    for _ in range(2):
        user = UserFactory()
        SeedArtistFactory(user=user, artist=radiohead, weight=6.0)
        SeedArtistFactory(user=user, artist=portishead, weight=3.0)
    lastfm = ArtistSimilarityFactory(from_artist=radiohead, to_artist=abba, source="lastfm")
    ArtistSimilarityFactory(from_artist=stale, to_artist=abba, source="colisten")

    result = rebuild_colisten_similarities()

    colisten = ArtistSimilarity.objects.filter(source="colisten")
    assert set(colisten.values_list("from_artist__name", "to_artist__name")) == {
        ("Radiohead", "Portishead"),
        ("Portishead", "Radiohead"),
    }
    assert ArtistSimilarity.objects.filter(pk=lastfm.pk).exists()
    assert result.summary() == "co-listening: 2 neighbour edges over 2 artists from 2 listeners"


@pytest.mark.django_db
def test_inactive_users_do_not_count():
    radiohead, portishead = ArtistFactory(), ArtistFactory()
    for active in (True, False):
        user = UserFactory(is_active=active)
        SeedArtistFactory(user=user, artist=radiohead)
        SeedArtistFactory(user=user, artist=portishead)
    assert rebuild_colisten_similarities().edges == 0


@pytest.mark.django_db
def test_with_no_listeners_the_job_clears_the_graph():
    ArtistSimilarityFactory(source="colisten")
    assert rebuild_colisten_similarities().edges == 0
    assert not ArtistSimilarity.objects.filter(source="colisten").exists()


@pytest.mark.django_db
def test_the_periodic_task_runs_the_job():
    assert refresh_colisten.delay().get().startswith("co-listening: 0 neighbour edges")

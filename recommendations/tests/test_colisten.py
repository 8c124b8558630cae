"""Co-listening across our users: the periodic job that fits the engine, publishes it and keeps
the artist page's top similar artists."""

import pytest
from django.db.models import Count

from accounts.factories import SeedArtistFactory, UserFactory
from catalog.factories import ArtistFactory, ArtistSimilarityFactory, ArtistTagFactory
from catalog.models import ENGINE_SOURCES, ArtistSimilarity
from recommendations import artifact
from recommendations.candidates import candidate_artists
from recommendations.colisten import listening_matrix, rebuild_colisten_similarities
from recommendations.profile import Seed, build_profile
from recommendations.tasks import refresh_colisten

pytestmark = pytest.mark.django_db

CO_LISTENING = ("colisten", "colisten_negative", "rp3beta", "als", "als_negative")


@pytest.fixture(autouse=True)
def any_number_of_listeners(settings):
    """These tests fit co-listening from a handful of listeners: the young-site threshold
    (COLISTEN_MIN_LISTENERS) is off unless a test sets it."""
    settings.COLISTEN_MIN_LISTENERS = 1


def listen(user, *artists):
    for weight, artist in enumerate(reversed(artists), start=1):
        SeedArtistFactory(user=user, artist=artist, source="lastfm", weight=float(weight))


@pytest.fixture
def artists():
    return {name: ArtistFactory(name=name) for name in ("Radiohead", "Portishead", "Björk", "ABBA")}


def stored_pairs():
    return set(ArtistSimilarity.objects.filter(source="colisten").values_list("from_artist__name", "to_artist__name"))


def test_artists_that_the_same_listeners_share_become_neighbours(artists):
    for _ in range(3):
        listen(UserFactory(), artists["Radiohead"], artists["Portishead"], artists["Björk"])
    listen(UserFactory(), artists["ABBA"])
    result = rebuild_colisten_similarities()
    assert ("Radiohead", "Portishead") in stored_pairs()
    assert not {pair for pair in stored_pairs() if "ABBA" in pair}
    assert result.users == 4 and result.artists == 4 and result.version == artifact.current().version.pk
    assert result.edges == ArtistSimilarity.objects.filter(source__in=ENGINE_SOURCES).count()
    assert all(0 <= score <= 1 for score in ArtistSimilarity.objects.values_list("score", flat=True))


def test_a_pair_only_one_listener_shares_is_never_stored(artists, settings):
    settings.COLISTEN_MIN_SHARED_LISTENERS = 2
    listen(UserFactory(), artists["Radiohead"], artists["ABBA"])
    for _ in range(2):
        listen(UserFactory(), artists["Radiohead"], artists["Portishead"])
    rebuild_colisten_similarities()
    assert not {pair for pair in stored_pairs() if "ABBA" in pair}


@pytest.mark.parametrize("min_listeners", [None, 1])
def test_a_single_listener_writes_no_colistening_edge(artists, settings, min_listeners):
    settings.COLISTEN_MIN_LISTENERS = min_listeners  # None: the engine's default
    for name in ("Portishead", "Björk"):
        ArtistTagFactory(artist=artists[name], tag__name="trip-hop", weight=100)
    listen(UserFactory(), *artists.values())
    result = rebuild_colisten_similarities()
    assert not ArtistSimilarity.objects.filter(source__in=CO_LISTENING).exists()
    # What Last.fm's tags say still links artists.
    assert set(ArtistSimilarity.objects.values_list("source", flat=True)) == {"tags"}
    assert result.edges == ArtistSimilarity.objects.count()


def test_until_enough_listeners_have_taste_no_colistening_is_stored(artists, settings):
    settings.COLISTEN_MIN_LISTENERS = 4
    for _ in range(3):
        listen(UserFactory(), artists["Radiohead"], artists["Portishead"], artists["Björk"])
    result = rebuild_colisten_similarities()
    assert not ArtistSimilarity.objects.filter(source__in=CO_LISTENING).exists()
    assert result.summary().endswith("(tags only: co-listening waits for 4 listeners)")
    listen(UserFactory(), artists["Radiohead"], artists["Portishead"])
    rebuild_colisten_similarities()
    assert ("Radiohead", "Portishead") in stored_pairs()


@pytest.mark.parametrize("min_shared, linked", [(2, True), (3, True), (4, False)])
def test_a_pair_needs_the_minimum_of_shared_listeners_to_be_linked(artists, settings, min_shared, linked):
    settings.COLISTEN_MIN_SHARED_LISTENERS = min_shared
    for _ in range(3):
        listen(UserFactory(), artists["Radiohead"], artists["Portishead"])
    listen(UserFactory(), artists["Björk"], artists["ABBA"])
    listen(UserFactory(), artists["Björk"], artists["Radiohead"])
    rebuild_colisten_similarities()
    positive = ArtistSimilarity.objects.filter(source__in=("colisten", "rp3beta", "als"))
    pairs = set(positive.values_list("from_artist__name", "to_artist__name"))
    assert (("Radiohead", "Portishead") in pairs) is linked
    assert not {pair for pair in pairs if "ABBA" in pair}


def test_the_job_replaces_colisten_edges_and_keeps_lastfm_ones(artists):
    lastfm = ArtistSimilarityFactory(from_artist=artists["Radiohead"], to_artist=artists["ABBA"], source="lastfm")
    stale = ArtistSimilarityFactory(from_artist=artists["ABBA"], to_artist=artists["Björk"], source="colisten")
    for _ in range(3):
        listen(UserFactory(), artists["Radiohead"], artists["Portishead"], artists["Björk"])
    rebuild_colisten_similarities()
    assert ArtistSimilarity.objects.filter(pk=lastfm.pk).exists()
    assert not ArtistSimilarity.objects.filter(pk=stale.pk).exists()


def test_inactive_users_do_not_count(artists):
    for active in (True, False, False):
        listen(UserFactory(is_active=active), artists["Radiohead"], artists["Portishead"])
    _, users, _ = listening_matrix()
    assert len(users) == 1
    rebuild_colisten_similarities()
    # One listener is not co-listening: the EASE source ("colisten") links nobody.
    assert stored_pairs() == set()


def test_every_source_of_the_engine_is_in_the_model_and_pages_get_the_top_twenty(artists, monkeypatch):
    monkeypatch.setattr("recommendations.colisten.TOP_SIMILAR", 2)
    for _ in range(3):
        listen(UserFactory(), artists["Radiohead"], artists["Portishead"], artists["Björk"])
    listen(UserFactory(), artists["Radiohead"], artists["ABBA"])
    rebuild_colisten_similarities()
    model = artifact.current().model
    assert all(model.sources()[name].nnz for name in ("colisten", "rp3beta", "als"))
    assert set(ArtistSimilarity.objects.values_list("source", flat=True)) <= set(ENGINE_SOURCES)
    per_artist = ArtistSimilarity.objects.values("from_artist").annotate(n=Count("pk")).values_list("n", flat=True)
    assert max(per_artist) == 2


def test_a_users_seeds_from_several_sources_add_up_in_the_matrix(artists):
    user = UserFactory()
    SeedArtistFactory(user=user, artist=artists["Radiohead"], source="lastfm", weight=2.0)
    SeedArtistFactory(user=user, artist=artists["Radiohead"], source="manual", weight=8.0)
    matrix, _, artist_ids = listening_matrix()
    assert matrix[0, artist_ids.index(artists["Radiohead"].pk)] == 10.0


def test_with_no_listeners_the_job_clears_the_graph():
    ArtistSimilarityFactory(source="colisten")
    assert rebuild_colisten_similarities().edges == 0
    assert not ArtistSimilarity.objects.filter(source="colisten").exists()


def test_stored_neighbours_lead_a_new_listener_to_the_artists_others_pair_with_theirs(artists):
    for _ in range(3):
        listen(UserFactory(), artists["Radiohead"], artists["Portishead"], artists["Björk"])
    rebuild_colisten_similarities()
    newcomer = build_profile([Seed(artists["Radiohead"].pk, "lastfm", 10.0, 300)])
    leads = candidate_artists(newcomer)
    assert artists["Portishead"].pk in leads
    assert leads[artists["Portishead"].pk].via == ("Radiohead",)
    assert max(lead.score for lead in leads.values()) == 1.0


def test_the_periodic_task_runs_the_job():
    summary = refresh_colisten.delay().get()
    assert (
        summary == f"co-listening: model version {artifact.current().version.pk} over 0 artists from 0 listeners, "
        "0 top similar artists stored (tags only: co-listening waits for 1 listeners)"
    )


def test_the_fit_runs_on_its_own_queue():
    assert refresh_colisten.queue == "model"


def test_artists_sharing_tags_become_tag_neighbours(artists):
    from catalog.factories import ArtistTagFactory, TagFactory

    trip_hop = TagFactory(name="trip-hop")
    for name in ("Portishead", "Björk"):
        ArtistTagFactory(artist=artists[name], tag=trip_hop, weight=100)
    for _ in range(3):  # nobody listens to the two tagged artists: only their tags link them
        listen(UserFactory(), artists["Radiohead"], artists["ABBA"])
    rebuild_colisten_similarities()
    tagged = ArtistSimilarity.objects.filter(source="tags").values_list("from_artist__name", "to_artist__name")
    assert ("Portishead", "Björk") in set(tagged)

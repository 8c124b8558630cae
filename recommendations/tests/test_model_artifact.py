"""The co-listening model as a versioned artifact: written, swapped atomically, loaded once per
process, and what ranking reads instead of ArtistSimilarity rows."""

import os
from datetime import timedelta

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.factories import SeedArtistFactory, UserFactory
from catalog.factories import ArtistFactory, ArtistSimilarityFactory
from recommendations import artifact, engine
from recommendations.candidates import candidate_artists
from recommendations.colisten import rebuild_colisten_similarities
from recommendations.models import ModelVersion
from recommendations.profile import Seed, build_profile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def any_number_of_listeners(settings):
    settings.COLISTEN_MIN_LISTENERS = 1


@pytest.fixture
def artists():
    return {name: ArtistFactory(name=name) for name in ("Radiohead", "Portishead", "Björk", "Tricky", "ABBA")}


@pytest.fixture
def listening(artists):
    """Three listeners share Radiohead, Portishead and Björk; Last.fm links Portishead to Tricky."""
    for _ in range(3):
        user = UserFactory()
        for weight, name in enumerate(("Björk", "Portishead", "Radiohead"), start=1):
            SeedArtistFactory(user=user, artist=artists[name], source="lastfm", weight=float(weight))
    ArtistSimilarityFactory(from_artist=artists["Portishead"], to_artist=artists["Tricky"], score=0.9, source="lastfm")
    return artists


def profile_of(*artists):
    return build_profile([Seed(artist.pk, "lastfm", 10.0, 300) for artist in artists])


def test_the_fit_writes_a_version_with_its_file_and_figures(listening, settings):
    rebuild_colisten_similarities()
    version = ModelVersion.objects.get()
    path = settings.MODEL_DIR / version.filename
    assert path.exists() and version.size_bytes == path.stat().st_size
    assert (version.listeners, version.artists, version.trainer) == (3, 5, "inprocess")
    assert version.edges > 0 and version.fit_seconds >= 0
    assert version.data_at <= version.created_at
    # No file under a temporary name is ever left in the directory.
    assert [p.name for p in settings.MODEL_DIR.iterdir()] == [version.filename]


def test_the_file_is_written_under_a_temporary_name_and_swapped_into_place(listening, settings, monkeypatch):
    swaps = []
    real_replace = os.replace

    def spy(source, target):
        swaps.append((os.path.basename(source), os.path.basename(target), os.path.getsize(source)))
        assert not os.path.exists(target)  # the final name appears only whole, in one step
        real_replace(source, target)

    monkeypatch.setattr("recommendations.artifact.os.replace", spy)
    rebuild_colisten_similarities()
    [(temporary, final, size)] = swaps
    assert temporary.startswith(".model-") and temporary.endswith(".tmp")
    assert final == ModelVersion.objects.get().filename and size == ModelVersion.objects.get().size_bytes


def test_a_failed_write_leaves_no_file_and_no_version(listening, settings, monkeypatch):
    def broken(model, out, compressed):
        out.write(b"half a model")
        raise OSError("disk full")

    monkeypatch.setattr("recommendations.artifact.engine.save_model", broken)
    with pytest.raises(OSError):
        rebuild_colisten_similarities()
    assert not ModelVersion.objects.exists()
    assert list(settings.MODEL_DIR.iterdir()) == []


def test_only_the_newest_versions_are_kept(listening, settings):
    settings.MODEL_VERSIONS_KEPT = 2
    for _ in range(3):
        rebuild_colisten_similarities()
    kept = list(ModelVersion.objects.order_by("pk").values_list("filename", flat=True))
    assert len(kept) == 2
    assert sorted(p.name for p in settings.MODEL_DIR.iterdir()) == sorted(kept)


def test_a_process_loads_each_version_once_and_moves_to_a_new_one(listening, monkeypatch):
    loads = []
    real_load = engine.load_model
    monkeypatch.setattr("recommendations.artifact.engine.load_model", lambda *a, **k: loads.append(a) or real_load(*a, **k))
    rebuild_colisten_similarities()
    first = artifact.current()
    for _ in range(3):
        assert artifact.current().model is first.model
    assert len(loads) == 1
    rebuild_colisten_similarities()
    second = artifact.current()
    assert second.version.pk != first.version.pk and len(loads) == 2
    assert artifact.current().model is second.model


def test_the_loaded_arrays_are_memory_mapped_and_rank_as_the_fitted_model(listening):
    rebuild_colisten_similarities()
    model = artifact.current().model
    # A read-only view on the file's pages, not a copy (scipy keeps the arrays it is given).
    assert isinstance(model.artist_ids, np.memmap) and not model.ease.data.flags.writeable
    fitted = engine.load_model(artifact.model_dir() / artifact.current().version.filename)
    profile = {listening["Radiohead"].pk: 3.0}
    assert engine.rank_artists(profile, model, k=3) == engine.rank_artists(profile, fitted, k=3)


def similarity_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "catalog_artistsimilarity" in q["sql"]]


def test_ranking_reads_the_model_and_never_the_similarity_table(listening):
    rebuild_colisten_similarities()
    artifact.current()  # this process has loaded the version (as a warm worker has)
    with CaptureQueriesContext(connection) as captured:
        leads = candidate_artists(profile_of(listening["Radiohead"], listening["Portishead"]))
    assert similarity_queries(captured.captured_queries) == []
    assert listening["Björk"].pk in leads
    # Last.fm's edge, saved with the model, still leads to Tricky, through Portishead.
    assert leads[listening["Tricky"].pk].via == ("Portishead",)


def test_lastfm_edges_fetched_after_the_fit_are_read_for_those_artists_only(listening):
    rebuild_colisten_similarities()
    newcomer = ArtistFactory(name="Massive Attack")
    ArtistSimilarityFactory(from_artist=listening["Radiohead"], to_artist=newcomer, score=0.8, source="lastfm")
    listening["Radiohead"].similars_refreshed_at = timezone.now() + timedelta(seconds=1)
    listening["Radiohead"].save()
    with CaptureQueriesContext(connection) as captured:
        leads = candidate_artists(profile_of(listening["Radiohead"], listening["Portishead"]))
    [query] = similarity_queries(captured.captured_queries)
    assert str(listening["Radiohead"].pk) in query and str(listening["Portishead"].pk) not in query.split("IN")[1]
    assert leads[newcomer.pk].via == ("Radiohead",)
    assert listening["Tricky"].pk in leads  # Portishead's saved Last.fm edge still counts


def test_before_the_first_fit_ranking_reads_the_stored_rows(artists):
    ArtistSimilarityFactory(from_artist=artists["Radiohead"], to_artist=artists["Tricky"], score=0.9, source="lastfm")
    assert artifact.current() is None
    assert artists["Tricky"].pk in candidate_artists(profile_of(artists["Radiohead"]))


def test_a_version_whose_file_is_missing_falls_back_to_the_rows(listening, settings):
    rebuild_colisten_similarities()
    for path in settings.MODEL_DIR.iterdir():
        path.unlink()
    assert artifact.current() is None
    assert listening["Tricky"].pk in candidate_artists(profile_of(listening["Portishead"]))


def test_each_version_records_its_held_out_quality(settings, artists):
    many = [ArtistFactory() for _ in range(30)]
    rng = np.random.default_rng(0)
    for _ in range(12):
        user = UserFactory()
        for weight, artist in enumerate(rng.choice(many, 8, replace=False), start=1):
            SeedArtistFactory(user=user, artist=artist, source="lastfm", weight=float(weight))
    settings.MODEL_EVAL_LISTENERS = 10
    rebuild_colisten_similarities()
    version = ModelVersion.objects.get()
    assert version.quality_listeners == 10 and 0.0 <= version.ndcg_at_20 <= 1.0

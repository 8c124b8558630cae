"""The database refuses duplicates that a retried or concurrent task could create."""

import pytest
from django.db import IntegrityError, transaction

from catalog.factories import AlbumFactory, ArtistFactory, ArtistSimilarityFactory, ReleaseFactory
from catalog.models import Artist

pytestmark = pytest.mark.django_db


def test_duplicate_discogs_release_id_is_rejected():
    release = ReleaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReleaseFactory(discogs_id=release.discogs_id)


def test_duplicate_similarity_pair_is_rejected_for_the_same_source():
    pair = ArtistSimilarityFactory(source="lastfm")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArtistSimilarityFactory(from_artist=pair.from_artist, to_artist=pair.to_artist, source="lastfm")


def test_same_pair_may_come_from_two_sources():
    pair = ArtistSimilarityFactory(source="lastfm")
    ArtistSimilarityFactory(from_artist=pair.from_artist, to_artist=pair.to_artist, source="colisten")


def test_similarity_score_outside_zero_one_is_rejected():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArtistSimilarityFactory(score=1.5)


def test_artist_is_not_similar_to_itself():
    artist = ArtistFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArtistSimilarityFactory(from_artist=artist, to_artist=artist)


def test_two_artists_without_mbid_cannot_share_a_normalized_name():
    ArtistFactory(name="The Beatles", mbid=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArtistFactory(name="Beatles, The", mbid=None)


def test_two_artists_with_distinct_mbids_may_share_a_name():
    ArtistFactory(name="Nirvana")
    ArtistFactory(name="Nirvana")
    assert Artist.objects.filter(normalized_name="nirvana").count() == 2


def test_duplicate_master_id_is_rejected():
    album = AlbumFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AlbumFactory(discogs_master_id=album.discogs_master_id)


def test_albums_without_master_may_coexist():
    AlbumFactory(discogs_master_id=None)
    AlbumFactory(discogs_master_id=None)

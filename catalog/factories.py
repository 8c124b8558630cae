"""factory-boy factories for catalog rows (tests and benchmarks only)."""

import factory
from django.utils import timezone

from .models import Album, Artist, ArtistSimilarity, ArtistTag, IngestionJob, Release, Tag, Track
from .normalize import normalize_artist_name, normalize_title


class ArtistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Artist

    name = factory.Sequence(lambda n: f"Artist {n}")
    normalized_name = factory.LazyAttribute(lambda o: normalize_artist_name(o.name))
    mbid = factory.Faker("uuid4")
    refreshed_at = factory.LazyFunction(timezone.now)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"genre {n}")


class ArtistTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArtistTag

    artist = factory.SubFactory(ArtistFactory)
    tag = factory.SubFactory(TagFactory)
    weight = 100


class ArtistSimilarityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArtistSimilarity

    from_artist = factory.SubFactory(ArtistFactory)
    to_artist = factory.SubFactory(ArtistFactory)
    score = 0.5
    source = "lastfm"


class AlbumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Album

    artist = factory.SubFactory(ArtistFactory)
    title = factory.Sequence(lambda n: f"Album {n}")
    normalized_title = factory.LazyAttribute(lambda o: normalize_title(o.title))
    mbid = factory.Faker("uuid4")
    discogs_master_id = factory.Sequence(lambda n: 900000 + n)
    first_release_year = 1997
    year_source = "musicbrainz"  # as the model's default source: MusicBrainz stated it
    is_studio = True
    track_count = 10
    refreshed_at = factory.LazyFunction(timezone.now)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    album = factory.SubFactory(AlbumFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    position = factory.LazyAttribute(lambda o: f"A{o.sequence}")
    title = factory.Sequence(lambda n: f"Track {n}")
    duration_seconds = 240


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    album = factory.SubFactory(AlbumFactory)
    discogs_id = factory.Sequence(lambda n: 5000000 + n)
    discogs_master_id = factory.LazyAttribute(lambda o: o.album.discogs_master_id if o.album else None)
    title = factory.LazyAttribute(lambda o: o.album.title if o.album else "Untitled")
    country = "UK"
    year = 1997
    formats = factory.LazyFunction(lambda: [{"name": "Vinyl", "qty": "1", "descriptions": ["LP", "Album"]}])
    format_summary = "LP, Album"
    label = "Parlophone"
    catalog_number = "NODATA 02"
    rating_average = 4.5
    rating_count = 100
    have = 1000
    want = 500
    refreshed_at = factory.LazyFunction(timezone.now)


class IngestionJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IngestionJob

    kind = IngestionJob.Kind.CSV_ARTISTS
    name = "artists.csv"

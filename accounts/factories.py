"""factory-boy factories for users and what we know about them."""

import factory
from django.contrib.auth import get_user_model

from catalog.factories import ArtistFactory, ReleaseFactory

from .models import CollectionImport, CollectionItem, ListeningSnapshot, SeedArtist, payload_hash


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"listener{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "vinyl-lover-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SeedArtistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeedArtist

    user = factory.SubFactory(UserFactory)
    artist = factory.SubFactory(ArtistFactory)
    source = "manual"
    weight = 1.0


class ListeningSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListeningSnapshot

    user = factory.SubFactory(UserFactory)
    source = "lastfm"
    period = "overall"
    payload = factory.LazyFunction(lambda: {"artists": [{"name": "Radiohead", "playcount": 1204}]})
    payload_hash = factory.LazyAttribute(lambda o: payload_hash(o.payload))


class CollectionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectionItem

    user = factory.SubFactory(UserFactory)
    release = factory.SubFactory(ReleaseFactory)
    folder = CollectionItem.Folder.COLLECTION


class CollectionImportFactory(factory.django.DjangoModelFactory):
    """A finished collection CSV import (the file itself is not stored)."""

    class Meta:
        model = CollectionImport

    user = factory.SubFactory(UserFactory)
    name = "collection.csv"
    digest = factory.Sequence(lambda n: f"{n:064x}")
    status = CollectionImport.Status.DONE
    total = 0

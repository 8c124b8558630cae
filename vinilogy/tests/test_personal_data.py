"""The listener's data: the export holds every model with a user foreign key (listed from the
app registry, so a new one is covered or this fails), deletion leaves no row referencing the
user and the shared catalog and price history intact; the operators' command does the same."""

import io
import json
import zipfile

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from accounts.factories import (
    CollectionImportFactory,
    CollectionItemFactory,
    ListeningSnapshotFactory,
    SeedArtistFactory,
    UserFactory,
)
from alerts.factories import NotificationFactory, WatchFactory
from alerts.models import AlertSettings, ArtistFollow, InstantChannel, VinylNotice, WatchMatch
from catalog.factories import IngestionJobFactory, ReleaseFactory
from catalog.models import Album, Artist, Release
from integrations.models import ThrottleCount
from pricing.factories import PriceQuoteFactory
from pricing.models import CollectionValuePoint, PriceQuote
from recommendations.factories import FeedbackFactory, RecommendationItemFactory
from vinilogy import personal_data

pytestmark = pytest.mark.django_db
PASSWORD = "vinyl-lover-123"


@pytest.fixture
def everything():
    """A listener with a row in every model that references a user (and one of another user)."""
    user = UserFactory(username="ana")
    other = UserFactory(username="bea")
    release = ReleaseFactory()
    quote = PriceQuoteFactory(release=release)
    SeedArtistFactory(user=user, artist=release.album.artist)
    ListeningSnapshotFactory(user=user)
    CollectionItemFactory(user=user, release=release, folder="wantlist")
    FeedbackFactory(user=user, album=release.album, kind="wantlist")
    RecommendationItemFactory(set__user=user, album=release.album)
    watch = WatchFactory(user=user, album=release.album)
    watch.releases.add(release)
    WatchMatch.objects.create(
        watch=watch, store=quote.store, offer_key=quote.offer_key, ships_to="ES", total_eur=quote.total_eur, quote=quote
    )
    NotificationFactory(user=user, album=release.album, watch=watch)
    AlertSettings.for_user(user)
    ArtistFollow.objects.create(user=user, artist=release.album.artist)
    InstantChannel.objects.create(user=user, kind="ntfy", endpoint="https://ntfy.sh/ana-topic")
    VinylNotice.objects.create(user=user, album=release.album, release=release, event="announced")
    user.source_usernames.create(source="bandcamp", username="ana")
    IngestionJobFactory(created_by=user)
    ThrottleCount.objects.create(who=f"user:{user.pk}", user=user, limit="new_artist", day="2026-01-05", count=3)
    CollectionImportFactory(user=user)
    CollectionValuePoint.objects.create(
        user=user, week="2026-11-30", total_eur="41.50", records=3, valued=2, values={"1": "20.75"}
    )
    user.profile.blocked_artists.add(Artist.objects.create(name="Blocked", normalized_name="blocked"))
    app = SocialApp.objects.create(provider="spotify", name="Spotify", client_id="id", secret="s")
    account = SocialAccount.objects.create(user=user, provider="spotify", uid="ana-spotify")
    SocialToken.objects.create(app=app, account=account, token="access-token-secret-1")
    user.emailaddress_set.create(email=user.email, primary=True, verified=True)
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(Album), object_id="1", object_repr="x", action_flag=1
    )
    SeedArtistFactory(user=other)
    return user, other


def _unfilled(user):
    return [
        model._meta.label
        for model, name in personal_data.user_foreign_keys()
        if not model._default_manager.filter(**{name: user}).exists()
    ]


def test_the_fixture_has_a_row_in_every_model_with_a_user_foreign_key(everything):
    user, _ = everything
    assert _unfilled(user) == [], "add a row of the new model to this fixture (it is exported and deleted by the registry walk)"


def test_the_export_holds_every_model_with_a_user_foreign_key_and_no_credentials(client, everything):
    user, other = everything
    client.force_login(user)
    response = client.get(reverse("data_export"))
    assert response["Content-Type"] == "application/zip" and "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {"data.json", "seeds.csv", "feedback.csv", "wantlist.csv", "watches.csv"}
    data = json.loads(archive.read("data.json"))
    exported = set(data["models"])
    for model, _ in personal_data.user_foreign_keys():
        assert model._meta.label_lower in exported, model._meta.label
    for child in ("recommendations.recommendationitem", "socialaccount.socialtoken", "alerts.watchmatch"):
        assert data["models"][child], child
    text = archive.read("data.json").decode()
    assert "access-token-secret-1" not in text and user.password not in text and "bea" not in text
    assert data["user"]["fields"]["username"] == "ana"
    assert "Blocked" not in text and data["models"]["accounts.profile"][0]["fields"]["blocked_artists"]
    assert archive.read("watches.csv").decode().count("\n") == 2 and archive.read("seeds.csv").decode().startswith("artist,")


def _referencing(user_pk):
    return {
        model._meta.label: n
        for model, name in personal_data.user_foreign_keys()
        if (n := model._default_manager.filter(**{f"{name}_id": user_pk}).count())
    }


def test_deleting_the_account_with_its_password_leaves_no_row_referencing_it_and_the_catalog_intact(client, everything, caplog):
    user, other = everything
    catalog_before = (Artist.objects.count(), Album.objects.count(), Release.objects.count(), PriceQuote.objects.count())
    client.force_login(user)
    assert client.post(reverse("delete_account"), {"password": "wrong"}).status_code == 302
    assert get_user_model().objects.filter(pk=user.pk).exists()
    with caplog.at_level("INFO", logger="vinilogy.deletions"):
        client.post(reverse("delete_account"), {"password": PASSWORD})
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert _referencing(user.pk) == {}
    assert not SocialToken.objects.exists() and not WatchMatch.objects.exists()
    assert (Artist.objects.count(), Album.objects.count(), Release.objects.count(), PriceQuote.objects.count()) == catalog_before
    assert other.seed_artists.count() == 1
    logged = " ".join(caplog.messages)
    assert "Account deleted" in logged and "ana" not in logged and user.email not in logged


def test_a_social_only_account_confirms_deletion_by_a_signed_link(client, mailoutbox):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert "Email me a link" in client.get(reverse("your_data")).content.decode()
    client.post(reverse("delete_account_link"))
    link = next(word for word in mailoutbox[0].body.split() if "/account/data/delete/" in word)
    path = link.split("127.0.0.1:8000")[-1]
    assert client.get(path).status_code == 200
    client.post(path)
    assert not get_user_model().objects.filter(pk=user.pk).exists()


def test_the_delete_user_command_removes_a_user_for_operators(everything):
    user, other = everything
    out = io.StringIO()
    call_command("delete_user", "ana", "--yes", stdout=out)
    assert "deleted user" in out.getvalue() and _referencing(user.pk) == {}
    assert get_user_model().objects.filter(pk=other.pk).exists()

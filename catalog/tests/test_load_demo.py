"""The demo catalog loads on an empty database from real data only, and loads once.

The load is the session's shared one (`demo_db`, tests/shared_demo.py): made once, on the fresh
database, and each test's writes rolled back over it."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from accounts.models import CollectionItem, ListeningSource, SeedArtist
from catalog.models import Album, Artist, Release, Track
from integrations.models import ApiCall
from pricing.models import AlbumBestPrice, ExchangeRate, PriceQuote

pytestmark = pytest.mark.django_db


def counts():
    return {
        "artists": Artist.objects.count(),
        "albums": Album.objects.count(),
        "releases": Release.objects.count(),
        "tracks": Track.objects.count(),
        "quotes": PriceQuote.objects.count(),
        "seeds": SeedArtist.objects.count(),
        "collection": CollectionItem.objects.count(),
        "rates": ExchangeRate.objects.count(),
        "api_calls": ApiCall.objects.count(),
    }


def load_demo():
    call_command("load_demo", "--no-progress", stdout=StringIO())


def test_the_demo_loads_real_artists_albums_pressings_prices_and_a_listener(client, demo_db):
    assert Album.objects.studio().filter(artist__name="Nirvana", title="Nevermind", spotify_id__isnull=False).exists()
    assert (
        Album.objects.get(artist__name="Nirvana", title="MTV Unplugged in New York").exclusion_reason
        == "Live album (Rolling Stone list)"
    )
    assert Release.objects.filter(album__discogs_master_id=38677).count() == 76
    # Live At The Witch Trials: no tracklist from its deluxe CD; its year from every version read.
    witch_trials = Album.objects.get(title="Live At The Witch Trials")
    assert (witch_trials.tracks.count(), witch_trials.first_release_year, witch_trials.year_source) == (0, 1979, "pressings")
    # OK Computer's recorded master: the standard edition's 12 tracks and the first release's year.
    ok_computer = Album.objects.get(artist__name="Radiohead", title="OK Computer")
    assert (ok_computer.track_count, ok_computer.tracks.count(), ok_computer.first_release_year) == (12, 12, 1997)
    white_album = PriceQuote.objects.get(album__artist__name="The Beatles", album__title="The Beatles")
    # The recorded sample says neither where the record ships from nor what shipping costs:
    # an item price, never a best price.
    assert (white_album.item_eur, white_album.condition, white_album.currency) == (Decimal("218.40"), "VG+", "EUR")
    assert (white_album.shipping_kind, white_album.total_eur) == ("unknown", None)
    assert "2021 marketplace sample" in white_album.title
    assert not AlbumBestPrice.objects.filter(quote=white_album).exists()
    demo_seeds = SeedArtist.objects.filter(user__username="demo")
    assert demo_seeds.filter(source=ListeningSource.LASTFM, artist__name="Nine Inch Nails").exists()
    assert demo_seeds.filter(source=ListeningSource.DISCOGS).exists()
    assert CollectionItem.objects.filter(user__username="demo", folder="wantlist").exists()
    assert not ApiCall.objects.filter(replayed=False).exists()
    assert not ApiCall.objects.exclude(error_kind="").exists()
    # The demo's taste came from two recorded accounts: onboarding says they are connected.
    client.force_login(get_user_model().objects.get(username="demo"))
    onboarding = client.get(reverse("accounts:onboarding")).content.decode()
    assert "connected as Duhnnie" in onboarding and "connected as brotherlogic" in onboarding


def test_a_second_run_creates_nothing_new_and_calls_nothing(demo_db):
    first = counts()

    load_demo()

    assert counts() == first

"""The whole ingestion chain over the recorded API answers (the demo's replay folder).

No single artist was recorded end to end, so the chain runs on what was (catalog/fixtures/
demo/chain.json): Nirvana's artist, similar-artist and release-group answers; Neil Young's
"Neil Young" from one pressing to every recorded vinyl version; The Persuader's "Stockholm"
up to its Discogs price in EUR and the album's best price.
"""

import pytest

from catalog.models import Album, Artist, ArtistSimilarity, Release, Track
from integrations.models import ApiCall
from pricing.models import AlbumBestPrice, PriceQuote
from pricing.services import refresh_best_prices
from vinilogy import demo

pytestmark = pytest.mark.django_db


def run_chain():
    with demo.replaying():
        demo.load_exchange_rates()
        demo.run_recorded_chain(demo.load_chain_manifest())
    refresh_best_prices()  # the nightly check: nothing left to repair after the batches


def catalog_snapshot():
    """The catalog as comparable plain data (no ids, no timestamps)."""
    return {
        "artists": sorted(Artist.objects.values_list("name", "mbid", "discogs_id", "listeners", "image_url")),
        "similar": sorted(ArtistSimilarity.objects.values_list("from_artist__name", "to_artist__name", "score")),
        "albums": sorted(
            Album.objects.values_list(
                "artist__name", "title", "is_studio", "exclusion_reason", "discogs_master_id", "track_count"
            )
        ),
        "releases": sorted(
            Release.objects.values_list("discogs_id", "album__title", "country", "year", "format_summary", "want")
        ),
        "tracks": sorted(Track.objects.values_list("album__title", "sequence", "title", "duration_seconds")),
        "quotes": sorted(PriceQuote.objects.values_list("album__title", "offer_key", "currency", "total_eur", "is_current")),
    }


def test_the_recorded_chain_builds_the_catalog():
    run_chain()

    nirvana = Artist.objects.get(mbid="5b11f4ce-a62d-471e-81fc-a69a8278c7da")
    assert nirvana.discogs_id == 125246 and nirvana.listeners == 4196311
    assert ArtistSimilarity.objects.filter(from_artist=nirvana).count() == 100
    eps = nirvana.albums.all()
    assert eps.count() == 8 and set(eps.values_list("exclusion_reason", flat=True)) == {"primary type: EP"}

    neil_young = Album.objects.get(discogs_master_id=38677)
    assert neil_young.releases.count() == 76
    assert Release.objects.values("discogs_id").distinct().count() == Release.objects.count()
    assert list(neil_young.tracks.values_list("duration_seconds", flat=True))[:3] == [140, 235, 142]

    stockholm = Album.objects.get(discogs_master_id=5427)
    quote = PriceQuote.objects.get(album=stockholm, is_current=True)
    # Marketplace statistics give an item price, not what it costs at the door: no total, no best price.
    assert (quote.currency, quote.item_eur, quote.shipping_kind, quote.total_eur, quote.num_for_sale) == (
        "EUR",
        100,
        "unknown",
        None,
        10,
    )
    assert not AlbumBestPrice.objects.filter(album=stockholm).exists()


def test_a_second_run_makes_no_api_call():
    run_chain()
    calls, snapshot = ApiCall.objects.count(), catalog_snapshot()

    run_chain()

    assert ApiCall.objects.count() == calls
    assert catalog_snapshot() == snapshot


def test_with_a_fifth_of_calls_failing_the_chain_ends_with_the_same_catalog(settings, http_clock):
    run_chain()
    clean = catalog_snapshot()
    Artist.objects.all().delete()
    PriceQuote.objects.all().delete()
    ApiCall.objects.all().delete()
    settings.VINILOGY_REPLAY_FAILURE_RATE = 0.2
    settings.VINILOGY_REPLAY_SEED = "chain"
    settings.HTTP_BACKOFF_BASE = 0.01
    settings.HTTP_BACKOFF_MAX = 2.0

    run_chain()

    assert catalog_snapshot() == clean
    failures = ApiCall.objects.filter(error_kind__in=["rate_limited", "unavailable", "timeout"])
    assert failures.count() > 0

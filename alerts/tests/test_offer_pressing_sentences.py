"""A price alert says which pressing the offer is: its edition when known and its year, country,
label and catalog number; an offer whose listing does not say is "any pressing"."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from alerts import describe
from catalog.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


def quote_of(release):
    album = release.album if release else ReleaseFactory(album__title="Harvest", album__artist__name="Neil Young").album
    return SimpleNamespace(
        release=release,
        album=album,
        condition="NM",
        store=SimpleNamespace(name="eBay"),
        sample=False,
        total_eur=Decimal("80.00"),
        item_eur=Decimal("72.00"),
        shipping_eur=Decimal("8.00"),
        shipping_kind="exact",
        item_location="GB",
        fetched_at=None,
        currency="EUR",
        amount=Decimal("72.00"),
    )


def test_an_original_is_named_with_its_year_country_label_and_catalog_number():
    release = ReleaseFactory(
        album__title="The Dark Side Of The Moon",
        album__artist__name="Pink Floyd",
        year=1973,
        country="UK",
        label="Harvest (2)",
        catalog_number="SHVL 804",
        edition="original",
    )

    sentence = describe.offer_sentence(quote_of(release))

    assert sentence.startswith(
        "An original pressing (1973, UK, Harvest, SHVL 804) of The Dark Side Of The Moon by Pink Floyd is on offer: "
    )
    assert sentence.endswith(", NM, at eBay.")


def test_a_remaster_says_so_and_a_pressing_of_unknown_edition_says_what_is_known():
    remaster = ReleaseFactory(
        year=2016, country="Europe", label="Pink Floyd Records", catalog_number="PFRLP8", edition="remaster"
    )
    plain = ReleaseFactory(year=None, country="Japan", label="", catalog_number="none", edition="")

    assert describe.offer_pressing(remaster) == "A remaster (2016, EU, Pink Floyd Records, PFRLP8)"
    assert describe.offer_pressing(plain) == "A pressing (Japan)"


def test_an_offer_not_matched_to_a_pressing_is_any_pressing():
    assert describe.offer_sentence(quote_of(None)).startswith(
        "A copy (any pressing: the listing does not say which) of Harvest by Neil Young"
    )


def test_the_pressing_is_named_in_spanish():
    release = ReleaseFactory(year=1973, country="UK", label="Harvest", catalog_number="SHVL 804", edition="original")

    with translation.override("es"):
        assert describe.offer_pressing(release) == "Una edición original (1973, Reino Unido, Harvest, SHVL 804)"
        assert describe.offer_pressing(None) == "Un ejemplar (cualquier edición: el anuncio no dice cuál)"


def test_the_whole_sentence_reads_in_spanish():
    release = ReleaseFactory(
        album__title="Harvest",
        album__artist__name="Neil Young",
        year=1972,
        country="US",
        label="Reprise Records",
        catalog_number="MS 2032",
        edition="original",
    )

    with translation.override("es"):
        sentence = describe.offer_sentence(quote_of(release))

    assert sentence.startswith(
        "Una edición original (1972, EE. UU., Reprise Records, MS 2032) de Harvest, de Neil Young está en venta: "
    )
    assert sentence.endswith(", NM, en eBay.")

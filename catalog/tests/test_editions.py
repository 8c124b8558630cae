"""What each pressing is (catalog.editions) and the facts it keeps (catalog.pressing_facts), on
recorded Discogs masters, versions, releases and dump records (integrations/fixtures/discogs,
catalog/tests/fixtures; see their SOURCES.md)."""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from catalog import services
from catalog.discogs_dump import DumpReader
from catalog.editions import classify, classify_albums
from catalog.factories import AlbumFactory, ReleaseFactory
from catalog.models import Edition, Release
from catalog.pressing_facts import fact_fields
from integrations.discogs import parse_release, parse_version
from vinilogy.demo import replaying

API = Path(__file__).resolve().parents[2] / "integrations" / "fixtures" / "discogs"
CATALOG = Path(__file__).resolve().parent / "fixtures"


def recorded(name, folder=API):
    return json.loads((folder / name).read_text())


def pressing(
    pk, *, year, country="UK", label="", catno="", summary="LP, Album", descriptions=(), main=False, released="", flags=()
):
    return SimpleNamespace(
        pk=pk,
        year=year,
        country=country,
        label=label,
        catalog_number=catno,
        format_summary=summary,
        descriptions=list(descriptions),
        is_main_release=main,
        released=released or str(year),
        note_flags=list(flags),
    )


def from_versions(name):
    versions = [parse_version(v) for v in recorded(name)["versions"]]
    return [
        pressing(v.id, year=v.year, country=v.country, label=v.label, catno=v.catno, summary=v.format, released=v.released)
        for v in versions
        if v.is_vinyl
    ]


# --- the rule, on the recorded versions of Live At The Witch Trials (16 versions, 8 of them vinyl)


@pytest.fixture
def witch_trials():
    return classify(from_versions("master_38998_versions.json"))


def test_the_earliest_uk_release_on_step_forward_is_the_original(witch_trials):
    original = witch_trials[372000]
    assert original.edition == Edition.ORIGINAL and original.confidence >= 0.8
    assert original.reason == "Earliest UK release, Step-Forward Records, 1979."


def test_the_same_label_and_catalogue_number_later_is_a_repress(witch_trials):
    repress = witch_trials[2667679]  # 1985, Step-Forward SFLP 1, "LP, Album, RE"
    assert repress.edition == Edition.REPRESS
    assert repress.reason == "1985 repress: the original's label and catalogue number, Step-Forward Records SFLP 1."


def test_a_later_release_on_another_label_marked_re_is_a_reissue(witch_trials):
    reissue = witch_trials[8689761]
    assert (reissue.edition, reissue.confidence) == (Edition.REISSUE, 0.9)
    assert reissue.reason == "2016 US reissue on Superior Viaduct: its format says Reissue."
    assert {v.edition for pk, v in witch_trials.items() if pk not in (372000, 1951642, 2667679)} == {Edition.REISSUE}


def test_a_first_year_pressing_abroad_is_an_original_with_less_confidence(witch_trials):
    us = witch_trials[1951642]  # I.R.S. Records, US, 1979
    assert us.edition == Edition.ORIGINAL and us.confidence < witch_trials[372000].confidence
    assert us.reason == "US pressing from the first year, 1979, on I.R.S. Records; the first release is from UK."


def test_earth_rot_original_is_the_1970_capitol_lp_and_the_2000_capitol_lp_a_repress():
    verdicts = classify(from_versions("master_67464_versions.json"))
    assert verdicts[679324].edition == Edition.ORIGINAL
    assert verdicts[2018943].edition == Edition.REPRESS  # same label, same SKAO-456, 2000
    assert verdicts[1823781].edition == Edition.REISSUE  # Ascension Records, Australia, 2000


def test_the_main_release_names_the_origin_and_says_so():
    verdicts = classify(
        [
            pressing(1, year=1973, country="UK", label="Harvest", catno="SHVL 804", main=True, released="1973-03-16"),
            pressing(2, year=1973, country="US", label="Harvest", catno="SMAS-11163", released="1973-03-10"),
            pressing(
                3, year=2016, country="Europe", label="Pink Floyd Records", catno="PFRLP8", summary="LP, Album, RE, RM, 180"
            ),
            pressing(4, year=None),
        ]
    )
    assert verdicts[1].reason == "Earliest UK release, Harvest, 1973, matches the master's main release."
    assert (verdicts[1].edition, verdicts[1].confidence) == (Edition.ORIGINAL, 0.95)
    assert verdicts[2].edition == Edition.ORIGINAL and verdicts[2].confidence == 0.5
    assert verdicts[3].edition == Edition.REMASTER
    assert verdicts[3].reason == "2016 Europe remaster on Pink Floyd Records: its format says Remastered."
    assert verdicts[4].edition == Edition.UNKNOWN


def test_an_album_whose_every_vinyl_says_reissue_has_no_original():
    verdicts = classify([pressing(1, year=2008, summary="LP, Album, RE"), pressing(2, year=2015, summary="LP, Album, RE, RM")])
    assert [v.edition for v in verdicts.values()] == [Edition.REISSUE, Edition.REMASTER]


def test_notes_that_say_remastered_make_a_remaster():
    verdicts = classify([pressing(1, year=1970), pressing(2, year=2012, summary="LP, Album", flags=["remastered"])])
    assert verdicts[2].edition == Edition.REMASTER


# --- the facts a pressing keeps --------------------------------------------------------------


def test_ummagumma_2016_keeps_its_cutting_credits_plant_runouts_weight_and_notes():
    facts = fact_fields(parse_release(recorded("release_8604223_pink-floyd_ummagumma_2016.json")))
    assert facts["descriptions"] == ["LP", "Album", "Reissue", "Remastered", "Stereo", "Gatefold", "180 Gram"]
    assert facts["weight_grams"] == 180 and facts["is_limited"] is False and facts["colour"] == ""
    assert {"role": "Lacquer Cut By", "name": "Bernie Grundman"} in facts["credits"]
    assert {"role": "Remastered By, Mastered By", "name": "James Guthrie"} in facts["credits"]
    assert all("Guitar" not in c["role"] for c in facts["credits"])
    assert facts["companies"] == [{"role": "Pressed By", "name": "Optimal Media GmbH"}]
    assert facts["barcode"] == "0825646493166"
    assert facts["identifiers"][2] == {
        "type": "Matrix / Runout",
        "value": "(0825646493166A) PFRLP4-A",
        "description": "Label side A",
    }
    assert len(facts["identifiers"]) == 12  # of 30 runout variants
    assert facts["note_flags"] == ["analogue", "remastered"]


def test_a_dump_release_keeps_the_same_facts_as_the_api_gives():
    release = next(iter(DumpReader(CATALOG / "discogs-dumps" / "single_release.xml")))
    facts = fact_fields(release)
    assert facts["descriptions"] == ["Compilation", "Mixed"]
    assert release.credits[0].role == "DJ Mix" and release.notes.startswith("1: Track title")


@pytest.mark.django_db
def test_release_details_store_the_facts_and_the_edition():
    album = AlbumFactory()
    ReleaseFactory(album=album, discogs_id=111, year=1969, country="UK", label="Harvest", catalog_number="SHDW 1/2")
    data = parse_release(recorded("release_8604223_pink-floyd_ummagumma_2016.json"))
    Release.objects.create(album=album, discogs_id=data.id, title="Ummagumma")
    with replaying():
        services.save_release_details(data)
    stored = Release.objects.get(discogs_id=8604223)
    assert stored.weight_grams == 180 and stored.barcode == "0825646493166" and stored.note_flags == ["analogue", "remastered"]
    assert stored.edition == Edition.REMASTER
    assert Release.objects.get(discogs_id=111).edition == Edition.ORIGINAL


@pytest.mark.django_db
def test_the_versions_walk_classifies_every_pressing_of_neil_young():
    with replaying():
        album = services.get_or_create_release(2535152).album
        services.sync_album_releases(album)
    releases = Release.objects.filter(album=album)
    assert not releases.filter(edition="").exists()
    originals = releases.filter(edition=Edition.ORIGINAL)
    assert originals.exists() and set(originals.values_list("year", flat=True)) == {1968}
    assert releases.get(discogs_id=2535152).edition in (Edition.REISSUE, Edition.REPRESS, Edition.REMASTER)


@pytest.mark.django_db
def test_classifying_twice_writes_nothing_the_second_time():
    album = AlbumFactory()
    ReleaseFactory(album=album, year=1970)
    ReleaseFactory(album=album, year=1990, format_summary="LP, RE", label="Other")
    assert classify_albums([album.pk]) == 2
    assert classify_albums([album.pk]) == 0

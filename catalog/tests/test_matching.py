"""The matching ladder: id, then normalized name, then fuzzy name; Discogs search titles."""

import pytest
from hypothesis import given, strategies as st

from catalog.matching import (
    EXACT_CONFIDENCE,
    Candidate,
    Match,
    match,
    split_discogs_title,
    title_confidence,
)
from catalog.normalize import normalize_artist_name, normalize_title

BEATLES = Candidate(key=1, name="The Beatles", ids={"mbid": "b10bbbfc"})
BEATLES_TRIBUTE = Candidate(key=2, name="Beatles Tribute Band")
NIRVANA_US = Candidate(key=3, name="Nirvana", ids={"discogs": "125246"})
NIRVANA_UK = Candidate(key=4, name="Nirvana (2)", ids={"discogs": "307513"})


def test_an_id_match_beats_a_name_match():
    found = match("The Beatles", [BEATLES_TRIBUTE, BEATLES], ids={"mbid": "b10bbbfc"})
    assert found == Match(key=1, confidence=1.0, method="id")


def test_an_id_matches_whatever_the_name_says():
    found = match("Fab Four", [BEATLES], ids={"mbid": "b10bbbfc"})
    assert found == Match(key=1, confidence=1.0, method="id")


def test_ids_compare_as_text_so_json_integers_match():
    assert match("Nirvana", [NIRVANA_US], ids={"discogs": 125246}).method == "id"


def test_a_normalized_name_match_is_exact():
    found = match("Beatles, The", [BEATLES_TRIBUTE, BEATLES])
    assert found == Match(key=1, confidence=EXACT_CONFIDENCE, method="exact")


def test_an_exact_match_beats_a_closer_looking_fuzzy_one():
    found = match("Beatles", [Candidate(9, "Beatless"), BEATLES])
    assert found.method == "exact"
    assert found.key == 1


def test_a_misspelling_matches_fuzzily_with_its_score():
    found = match("Radiohaed", [Candidate(5, "Radiohead"), Candidate(6, "Portishead")])
    assert found.method == "fuzzy"
    assert found.key == 5
    assert 0.88 <= found.confidence < EXACT_CONFIDENCE


def test_a_score_below_the_threshold_is_no_match():
    assert match("Radiohaed", [Candidate(5, "Radiohead")], threshold=0.95) is None
    assert match("Blur", [Candidate(5, "Radiohead")]) is None


def test_a_reordered_name_never_outranks_an_exact_match():
    found = match("Garfunkel & Simon", [Candidate(7, "Simon and Garfunkel")])
    assert found == Match(key=7, confidence=EXACT_CONFIDENCE, method="fuzzy")


def test_equal_fuzzy_scores_go_to_the_earliest_candidate():
    twins = [Candidate("a", "Radiohead"), Candidate("b", "Radiohead")]
    assert match("Radiohaed", twins).key == "a"
    assert match("Radiohaed", twins[::-1]).key == "b"


def test_a_row_with_a_different_id_is_another_artist_of_that_name():
    found = match(
        "Nirvana",
        [NIRVANA_US, NIRVANA_UK],
        ids={"discogs": "999"},
        normalize=normalize_artist_name,
    )
    assert found is None


def test_a_row_without_that_provider_id_can_still_match_by_name():
    found = match("The Beatles", [BEATLES], ids={"discogs": "82730"})
    assert found.method == "exact"


def test_artist_matching_can_ignore_discogs_suffixes():
    found = match("Nirvana (2)", [NIRVANA_US], normalize=normalize_artist_name)
    assert found.method == "exact"


def test_album_titles_match_through_edition_noise():
    albums = [Candidate(10, "Abbey Road"), Candidate(11, "Let It Be")]
    found = match("Abbey Road (Remastered)", albums, normalize=normalize_title)
    assert found == Match(key=10, confidence=EXACT_CONFIDENCE, method="exact")


def test_blank_names_and_empty_candidate_lists_match_nothing():
    assert match("", [Candidate(1, "")]) is None
    assert match("   ", [BEATLES]) is None
    assert match("The Beatles", []) is None


@given(name=st.text(), names=st.lists(st.text(), max_size=5))
def test_confidence_is_a_probability_and_respects_the_threshold(name, names):
    found = match(name, [Candidate(i, n) for i, n in enumerate(names)])
    if found:
        assert 0.88 <= found.confidence <= 1.0
        assert found.key in range(len(names))


@pytest.mark.parametrize(
    "raw, parts",
    [
        ("Radiohead - OK Computer", ("Radiohead", "OK Computer")),
        ("Nirvana (2) - Local Anaesthetic", ("Nirvana (2)", "Local Anaesthetic")),
        ("Björk* - Debut", ("Björk", "Debut")),
        ("Pink Floyd - The Wall - Live", ("Pink Floyd", "The Wall - Live")),
        ("OK Computer", ("", "OK Computer")),
    ],
)
def test_discogs_search_titles_split_into_artist_and_title(raw, parts):
    assert split_discogs_title(raw) == parts


def confidence_for(discogs_title):
    return title_confidence("Radiohead", "OK Computer", *split_discogs_title(discogs_title))


def test_the_same_album_on_discogs_is_kept():
    assert confidence_for("Radiohead - OK Computer") >= 0.7
    assert confidence_for("Radiohead* - OK Computer (Remastered)") >= 0.7


def test_a_longer_reissue_title_scores_lower_than_the_album():
    reissue = confidence_for("Radiohead - OK Computer OKNOTOK 1997 2017")
    assert reissue < confidence_for("Radiohead - OK Computer")
    assert reissue < 0.7


def test_an_unrelated_title_or_artist_is_dropped():
    assert confidence_for("Radiohead - Kid A") < 0.7
    assert confidence_for("Thom Yorke - OK Computer") < 0.7
    assert confidence_for("Nirvana (2) - Nevermind") < 0.7

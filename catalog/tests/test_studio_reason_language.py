"""Why an album is not a studio album: stored once in English, read in the reader's language."""

import pytest
from django.template import Context, Template
from django.utils import translation

from catalog import studio
from catalog.studio import Facts, reason_in_language, verdict

CASES = [
    Facts(credit="Various", credit_discogs_id=194),
    Facts(data_quality="Entirely Incorrect"),
    Facts(primary_type="EP", secondary_types=("Live", "Compilation"), credited_artists=2),
    Facts(primary_type=""),
    Facts(styles=("Soundtrack", "Rock")),
    Facts(descriptions=frozenset({"Live", "Album"})),
    Facts(descriptions=frozenset()),
    Facts(descriptions=frozenset({'12"', "45 RPM"})),
    Facts(title="Greatest Hits; Volume 2"),
    Facts(title="Live At The BBC"),
    Facts(title="Alive: Live In New York City 1978"),
    Facts(headings=("Live Album", "Studio Album")),
    Facts(listed_as=("Rolling Stone list", "Greatest Hits")),
    Facts(listed_as=("Rolling Stone list", "Compilation")),
    Facts(credit="Various", credit_discogs_id=194, styles=("Score",), data_quality="Entirely Incorrect"),
]


@pytest.mark.parametrize("facts", CASES, ids=range(len(CASES)))
def test_a_reason_read_back_in_spanish_is_the_one_spanish_would_have_written(facts):
    is_studio, stored = verdict(facts)
    assert not is_studio and stored
    with translation.override("es"):
        written_in_spanish = "; ".join(
            reason
            for check in (*studio.CHECKS, *studio.WEAK_CHECKS)
            if (reason := check(facts))
            if check in studio.CHECKS or not any(c(facts) for c in studio.CHECKS)
        )
        assert reason_in_language(stored) == written_in_spanish


def test_our_own_words_are_said_in_spanish():
    with translation.override("es"):
        shown = [reason_in_language(verdict(facts)[1]) for facts in CASES]
    english = [verdict(facts)[1] for facts in CASES]
    # Only a reason made of the sources' own words alone ("Compilation (Rolling Stone list)") reads the same.
    assert sum(s == e for s, e in zip(shown, english, strict=True)) == 1


def test_a_reason_is_stored_in_english_whoever_asks():
    with translation.override("es"):
        assert verdict(Facts(primary_type="EP")) == (False, "primary type: EP")


def test_english_readers_and_unknown_parts_read_the_stored_text():
    stored = "primary type: EP; something an older version wrote"
    assert reason_in_language(stored) == stored
    with translation.override("es"):
        shown = reason_in_language(stored)
    assert shown.endswith("; something an older version wrote") and not shown.startswith("primary type")


def test_the_album_page_filter_gives_the_spanish_reason():
    with translation.override("es"):
        html = Template("{% load studio_reasons %}{{ r|in_reader_language }}").render(
            Context({"r": "credited to several artists"})
        )
    assert "credited" not in html

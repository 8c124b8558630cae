"""Name keys: real-world spellings of one artist or album reduce to one key."""

import pytest
from hypothesis import given, strategies as st

from catalog.normalize import (
    normalize_artist_name,
    normalize_name,
    normalize_title,
    strip_discogs_suffix,
)

NORMALIZERS = [normalize_name, normalize_artist_name, normalize_title]
# Arbitrary Unicode plus the characters our rules act on, so examples often hit them.
names = st.text() | st.text(alphabet=st.sampled_from(list("The ,&+.'’-/()[]!2aöÉ\t")))


@pytest.mark.parametrize("normalize", NORMALIZERS)
@given(s=names)
def test_normalizing_is_idempotent(normalize, s):
    once = normalize(s)
    assert normalize(once) == once


@pytest.mark.parametrize("normalize", NORMALIZERS)
@given(s=names)
def test_keys_are_case_folded_and_single_spaced(normalize, s):
    key = normalize(s)
    assert key == key.casefold()
    assert key == " ".join(key.split())


@pytest.mark.parametrize("normalize", NORMALIZERS)
@given(s=st.text(alphabet=st.characters(codec="ascii")))
def test_ascii_keys_have_no_uppercase(normalize, s):
    assert not any(c.isupper() for c in normalize(s))


@pytest.mark.parametrize("normalize", NORMALIZERS)
@given(s=names)
def test_only_blank_names_have_an_empty_key(normalize, s):
    assert (normalize(s) == "") == (s.strip() == "")


@pytest.mark.parametrize(
    "spellings, key",
    [
        (["The Beatles", "Beatles, The", "beatles", "THE BEATLES"], "beatles"),
        (["Björk", "Bjork", "BJÖRK"], "bjork"),
        (["Sigur Rós", "Sigur Ros"], "sigur ros"),
        (["Motörhead", "Motorhead"], "motorhead"),
        (["Mötley Crüe", "Motley Crue"], "motley crue"),
        (["Guns N' Roses", "Guns N’ Roses", "Guns N Roses"], "guns n roses"),
        (["R.E.M.", "REM", "R.E.M"], "rem"),
        (["AC/DC", "AC-DC", "ac dc"], "ac dc"),
        (["Simon & Garfunkel", "Simon and Garfunkel", "Simon&Garfunkel"], "simon and garfunkel"),
        (["Beyoncé", "Beyonce"], "beyonce"),
        (["Sinéad O'Connor", "Sinead OConnor"], "sinead oconnor"),
        (["Florence + The Machine", "Florence and the Machine"], "florence and the machine"),
        (["Hüsker Dü", "Husker Du"], "husker du"),
        (["Røyksopp", "Royksopp"], "royksopp"),
        (["  Pink   Floyd\t", "Pink Floyd"], "pink floyd"),
    ],
)
def test_real_spellings_of_one_artist_share_a_key(spellings, key):
    assert {normalize_name(s) for s in spellings} == {key}


def test_the_the_keeps_a_stable_nonempty_key():
    assert normalize_name("The The") == "the"
    assert normalize_name("the") == "the"
    assert normalize_name("The The Beatles") == normalize_name("Beatles")


def test_a_name_made_only_of_punctuation_keeps_its_symbols():
    assert normalize_name("!!!") == "!!!"
    assert normalize_name("+/-") == "+/-"


def test_discogs_disambiguation_suffix_is_stripped_for_artists_only():
    assert strip_discogs_suffix("Nirvana (2)") == "Nirvana"
    assert normalize_artist_name("Nirvana (2)") == "nirvana"
    assert normalize_artist_name("Beatles, The (12)") == "beatles"
    assert normalize_name("Nirvana (2)") == "nirvana 2"


def test_strip_discogs_suffix_leaves_other_names_alone():
    assert strip_discogs_suffix("Nirvana") == "Nirvana"
    assert strip_discogs_suffix("Sunn O)))") == "Sunn O)))"
    assert strip_discogs_suffix("(2)") == "(2)"


@pytest.mark.parametrize(
    "title, key",
    [
        ("OK Computer", "ok computer"),
        ("Abbey Road (Remastered)", "abbey road"),
        ("Abbey Road (2019 Mix)", "abbey road 2019 mix"),
        ("The Dark Side Of The Moon", "dark side of the moon"),
        ("(What's the Story) Morning Glory?", "whats the story morning glory"),
        ("Nevermind [Deluxe Edition]", "nevermind"),
        ("Hunky Dory (2015 Remaster)", "hunky dory"),
        ("Wish You Were Here (Expanded Edition)", "wish you were here"),
        ("Rumours (Super Deluxe)", "rumours"),
        ("Sgt. Pepper's Lonely Hearts Club Band (50th Anniversary Edition)", "sgt peppers lonely hearts club band"),
        ("Let It Be - Remastered 2009", "let it be"),
        ("Fearless (Taylor's Version)", "fearless taylors version"),
        ("(Remastered)", "remastered"),
    ],
)
def test_titles_drop_edition_noise_but_keep_real_words(title, key):
    assert normalize_title(title) == key


def test_edition_noise_is_kept_in_plain_names():
    assert normalize_name("Abbey Road (Remastered)") == "abbey road remastered"

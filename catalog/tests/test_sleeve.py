"""The designed sleeve (catalog.sleeve): pure, deterministic, distinct per album, safe text."""

import re
import xml.etree.ElementTree as ET

from catalog import sleeve

SVG = "{http://www.w3.org/2000/svg}"
# 24 real albums of the demo grid (id, artist, title, genre as the catalog holds them).
DEMO_GRID = [
    (2062, "The Fall", "I Am Kurious Oranj", ""),
    (2060, "The Fall", "Bend Sinister", ""),
    (2037, "David Axelrod", "Earth Rot", "Jazz"),
    (82, "The Beatles", "Rubber Soul", ""),
    (2066, "Brian Bennett", "Tone Poems", ""),
    (1718, "The Beatles", "Yellow Submarine", ""),
    (2061, "Heldon", 'Heldon II "Allez-Téia" (αλετεια)', ""),
    (170, "Led Zeppelin", "Led Zeppelin", "Hard Rock/Metal"),
    (1687, "The Human League", "Crash", ""),
    (1739, "Ry Cooder", "Chicken Skin Music", ""),
    (281, "Dr. John", "Dr. John's Gumbo", "Blues/Blues Rock"),
    (1731, "Horace Andy", "Dance Hall Style", ""),
    (2059, "The Fall", "This Nation's Saving Grace", ""),
    (2038, "The Fall", "Live At The Witch Trials", "Rock"),
    (143, "The Beatles", "The Beatles", ""),
    (1755, "The Woodentops", "Giant", ""),
    (1893, "Ron Carter", "New York Slick", ""),
    (294, "New York Dolls", "New York Dolls", "Punk/Post-Punk/New Wave/Power Pop"),
    (1776, "Jackie McLean", "Swing Swang Swingin'", ""),
    (1721, "That Petrol Emotion", "End Of The Millennium Psychosis Blues", ""),
    (1716, "James Brown", "Say It Loud - I'm Black And I'm Proud", ""),
    (1876, "Lee Konitz", "Very Cool", ""),
    (1768, "Muddy Waters", "The London Muddy Waters Sessions", ""),
    (610, "Jeff Buckley", "Grace", ""),
]


def _parsed(svg):
    return ET.fromstring(svg)


def _title_lines(svg):
    root = _parsed(svg)
    return [span.text for span in root.iter(f"{SVG}tspan")]


def test_the_same_album_always_gets_the_same_sleeve():
    first = sleeve.sleeve_svg("Grace", "Jeff Buckley", key=610, genre="Rock")
    assert sleeve.sleeve_svg("Grace", "Jeff Buckley", key=610, genre="Rock") == first


def test_at_least_twenty_of_twenty_four_albums_look_different_text_aside():
    signatures = {sleeve.design(key, genre).signature for key, _, _, genre in DEMO_GRID}
    assert len(signatures) >= 20
    backgrounds = {sleeve.design(key, genre).background for key, _, _, genre in DEMO_GRID}
    assert len(backgrounds) >= 20  # the colour alone tells them apart


def test_the_genre_sets_the_family_of_colours():
    jazz = [sleeve.design(key, "Jazz") for key in range(40)]
    hues = {_hue(look.background) for look in jazz}
    assert all(205 - 40 <= hue <= 205 + 40 for hue in hues), hues


def test_every_sleeve_is_valid_svg_that_names_the_album_and_artist():
    for key, artist, title, genre in DEMO_GRID:
        svg = sleeve.sleeve_svg(title, artist, key=key, genre=genre)
        root = _parsed(svg)  # well-formed XML: served on its own as image/svg+xml too
        assert root.get("viewBox") == "0 0 300 300"
        assert root.find(f"{SVG}title").text == f"{title} — {artist}"
        assert " ".join(_title_lines(svg)) == title  # whole words, none lost
        assert len(svg) < 1800


def test_text_is_escaped_and_characters_xml_cannot_carry_are_dropped():
    svg = sleeve.sleeve_svg('<script>alert("x")</script> & Co\x00\x1b', "Tom & Jerry's <Band>", key='1"><x', genre="")
    assert "<script" not in svg and "\x00" not in svg and "\x1b" not in svg
    root = _parsed(svg)
    assert root.find(f"{SVG}title").text == '<script>alert("x")</script> & Co — Tom & Jerry\'s <Band>'
    assert "TOM &amp; JERRY" in svg
    assert not root.findall(".//{*}script") and not root.findall(".//x")


def test_a_short_title_is_set_large_on_one_line():
    size, lines = sleeve.fit_title("Grace")
    assert (size, lines) == (max(sleeve.TITLE_SIZES), ["Grace"])


def test_a_long_title_wraps_between_words_at_a_smaller_size_within_the_sleeve():
    title = "The Rise and Fall of Ziggy Stardust and the Spiders from Mars"
    size, lines = sleeve.fit_title(title)
    assert 1 < len(lines) <= sleeve.MAX_TITLE_LINES and size < max(sleeve.TITLE_SIZES)
    assert " ".join(lines) == title
    assert all(sleeve.text_width(line, size) <= sleeve.TEXT_WIDTH for line in lines)


def test_a_word_that_fits_at_a_smaller_size_is_never_split():
    _, lines = sleeve.fit_title('Heldon II "Allez-Téia" (αλετεια)')
    assert '"Allez-Téia"' in lines


def test_a_title_too_long_for_four_lines_ends_in_an_ellipsis_at_the_smallest_size():
    title = "Illinoise: Come On Feel The Illinoise! (Come On Feel The Illinoise!: The Extended Remix Edition Volume Two)"
    size, lines = sleeve.fit_title(title)
    assert size == min(sleeve.TITLE_SIZES) and len(lines) == sleeve.MAX_TITLE_LINES
    assert lines[-1].endswith("…")
    assert all(sleeve.text_width(line, size) <= sleeve.TEXT_WIDTH for line in lines)


def test_a_word_longer_than_a_line_is_split_with_a_hyphen():
    _, lines = sleeve.fit_title("Supercalifragilisticexpialidociousantidisestablishmentarianism")
    assert len(lines) > 1 and lines[0].endswith("-")
    assert "".join(line.rstrip("-") for line in lines).startswith("Supercalifragilistic")


def test_the_type_block_stays_on_the_sleeve_for_the_longest_titles():
    svg = sleeve.sleeve_svg("A " * 200, "An Artist With A Very Long Name Indeed, And Friends", key=7)
    ys = [float(y) for y in re.findall(r' y="([\d.]+)"', svg)]
    assert max(ys) <= sleeve.SIZE and min(ys) >= 0


def test_an_album_without_a_title_or_artist_still_gets_a_sleeve():
    root = _parsed(sleeve.sleeve_svg("", "", key=3))
    assert root.find(f"{SVG}title").text == "Untitled"


def test_sleeves_of_two_albums_in_one_page_name_their_patterns_apart():
    one = sleeve.sleeve_svg("A", "B", key=1)
    other = sleeve.sleeve_svg("A", "B", key=2)
    ids = set(re.findall(r'id="([^"]+)"', one)) & set(re.findall(r'id="([^"]+)"', other))
    assert ids == set()


def test_the_standalone_file_starts_with_the_xml_prolog():
    assert sleeve.sleeve_svg("Grace", "Jeff Buckley", key=610, standalone=True).startswith("<?xml")


def _hue(hex_colour):
    import colorsys

    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return round(colorsys.rgb_to_hls(r, g, b)[0] * 360)

"""The one studio verdict (catalog.studio): the real cases, the same answer on every path, and
no other code deciding it.

The facts below are as the sources write them: MusicBrainz release groups from the recorded
browse pages, Discogs masters and pressings from the dump sample (master ids given), the
Rolling Stone list's types.
"""

import ast
import dataclasses
from pathlib import Path

import pytest
from django.conf import settings

from catalog import services
from catalog.dump_import import main_release_verdict, master_verdict
from catalog.factories import AlbumFactory, ReleaseFactory
from catalog.models import Album
from catalog.orphans import pressing_descriptions
from catalog.services.pressings import pressing_facts
from catalog.studio import Facts, verdict
from integrations import musicbrainz
from integrations.discogs import Format, parse_release
from integrations.tests.conftest import recording

from .test_discogs_dump_parser import RELEASES_SAMPLE

LIVE_ALBUM = ("LP", "Album", "Live")


@pytest.mark.parametrize(
    "facts, expected",
    [
        # Soundtracks: MusicBrainz's secondary type, Discogs' style (master 258735, "I Walk The Line").
        (Facts(primary_type="Album", secondary_types=("Soundtrack",)), (False, "secondary type: Soundtrack")),
        (
            Facts(styles=("Folk, World, & Country", "Stage & Screen", "Soundtrack", "Country")),
            (False, "Discogs files it under: Soundtrack"),
        ),
        # Compilations: "World Of Morrissey" (master 5655), the Rolling Stone list's greatest hits.
        (
            Facts(descriptions=frozenset({"LP", "Album", "Compilation"})),
            (False, "Discogs describes its pressings as: Compilation"),
        ),
        (Facts(listed_as=("Rolling Stone list", "Greatest Hits")), (False, "Greatest hits (Rolling Stone list)")),
        # An interview disc: Nirvana's "The Interview" (master 646259), MusicBrainz's Interview type.
        (Facts(styles=("Non-Music", "Interview", "Spoken Word")), (False, "Discogs files it under: Interview, Spoken Word")),
        (Facts(primary_type="Album", secondary_types=("Interview",)), (False, "secondary type: Interview")),
        # A live album is not a studio album, however else it is described.
        (Facts(descriptions=frozenset(LIVE_ALBUM)), (False, "Discogs describes its pressings as: Live")),
        (Facts(primary_type="Album", secondary_types=("Live",)), (False, "secondary type: Live")),
        (Facts(listed_as=("Rolling Stone list", "Live")), (False, "Live album (Rolling Stone list)")),
        # "LP" without "Album" is a long-playing record with nothing said against it.
        (Facts(descriptions=frozenset({"LP", "Reissue"})), (True, "")),
        (Facts(descriptions=frozenset({"LP", "Album", "Reissue"})), (True, "")),
        # Neither: a 12" single (Larry Heard, master 31261's kind).
        (
            Facts(descriptions=frozenset({'12"', "33 ⅓ RPM"})),
            (False, 'Discogs describes no pressing as an Album or LP, only: 12", 33 ⅓ RPM'),
        ),
        # Various Artists, as Discogs credits them (artist 194, "Various") and as lists write them.
        (
            Facts(credit="Various", descriptions=frozenset({"LP", "Album"})),
            (False, "compilation: credited to Various Artists on Discogs"),
        ),
        (Facts(credit_discogs_id=194), (False, "compilation: credited to Various Artists on Discogs")),
        (Facts(credit="Various Artists"), (False, "compilation: credited to Various Artists on Discogs")),
        # Data Discogs itself marks as wrong decides nothing in its favour.
        (Facts(data_quality="Entirely Incorrect"), (False, "Discogs data quality: Entirely Incorrect")),
        (Facts(data_quality="Correct", styles=("Rock", "Grunge")), (True, "")),
        # Studio albums, as MusicBrainz and the list say so.
        (Facts(primary_type="Album"), (True, "")),
        (Facts(listed_as=("Rolling Stone list", "Studio")), (True, "")),
        # An EP, and a group credited to two artists, with every reason.
        (Facts(primary_type="EP"), (False, "primary type: EP")),
        (Facts(primary_type="Other", credited_artists=2), (False, "primary type: Other; credited to several artists")),
    ],
)
def test_the_verdict_on_the_real_cases(facts, expected):
    assert verdict(facts) == expected


# Titles that say what the record is, and studio albums whose titles only look like it: the
# demo's albums (the Rolling Stone list, the dump sample, the recorded chain) on both sides.
@pytest.mark.parametrize(
    "title, expected",
    [
        ("Greatest Hits", 'a compilation (title "Greatest Hits")'),
        ("The Greatest Hits Of Bo Diddley", 'a compilation (title "The Greatest Hits Of Bo Diddley")'),
        ("The Definitive Collection", 'a compilation (title "The Definitive Collection")'),
        ("The Best Of Roberta Flack", 'a compilation (title "The Best Of Roberta Flack")'),
        ("Super Boss - The Best Of U-Roy", 'a compilation (title "Super Boss - The Best Of U-Roy")'),
        ("#7885 (Electropunk To Technopop 1978 – 1985)", 'a compilation (title "#7885 (Electropunk To Technopop 1978 – 1985)")'),
        ("Live Peace In Toronto 1969", 'a live album (title "Live Peace In Toronto 1969")'),
        ("Live at the Apollo, 1962", 'a live album (title "Live at the Apollo, 1962")'),
        ("Live At The BBC", 'a live album (title "Live At The BBC")'),
        (
            "Never Take Friendship Personal: Live In New York City",
            'a live album (title "Never Take Friendship Personal: Live In New York City")',
        ),
        (
            "The 7th Date Of Hell-Live At Hammersmith Odeon",
            'a live album (title "The 7th Date Of Hell-Live At Hammersmith Odeon")',
        ),
        ("MTV Unplugged in New York", 'a live album (title "MTV Unplugged in New York")'),
        (
            "Jesus Christ Superstar - Original Broadway Cast Recording",
            'a soundtrack (title "Jesus Christ Superstar - Original Broadway Cast Recording")',
        ),
        # Studio albums: a title that opens with "Live" or holds "Best" says nothing by itself.
        ("Live Through This", ""),
        ("Live At The Witch Trials", ""),
        ("Live For Love / If I Love You", ""),
        ("Best of Both Worlds", ""),
        ("Say It Loud - I'm Black And I'm Proud", ""),
        ("Yellow Submarine", ""),
        ("Alive In The Superunknown", ""),
        ("1999", ""),  # a year alone is no span
    ],
)
def test_a_title_that_names_what_the_record_is(title, expected):
    assert verdict(Facts(title=title)) == (not expected, expected)


def test_the_title_is_read_only_when_no_source_typed_the_album():
    # ABBA's The Definitive Collection: the Rolling Stone list types it "Studio"; its title says otherwise.
    assert verdict(Facts(listed_as=("Rolling Stone list", "Studio"), title="The Definitive Collection"))[0] is False
    # A source's own reason is given alone; MusicBrainz's types stand over the title.
    assert verdict(Facts(listed_as=("Rolling Stone list", "Live"), title="Live at Leeds")) == (
        False,
        "Live album (Rolling Stone list)",
    )
    assert verdict(Facts(primary_type="Album", title="Greatest Hits")) == (True, "")


def test_ummagummas_live_half_is_in_its_recorded_tracklist_headings():
    ummagumma = parse_release(recording("discogs/release_8604223_pink-floyd_ummagumma_2016.json"))

    assert ummagumma.headings == ("Live Album", "Studio Album")
    assert services.pressing_verdict(ummagumma) == (False, 'partly live (Discogs tracklist part "Live Album")')


def test_a_deluxe_editions_bonus_headings_say_nothing_of_the_album():
    deluxe = parse_release(recording("discogs/release_603365_the-fall_live-at-the-witch-trials.json"))
    deluxe = dataclasses.replace(deluxe, headings=("Live At The Electric Ballroom",))
    album = AlbumFactory.build(title="Live At The Witch Trials")

    assert services.pressing_verdict(deluxe)[0] is False  # read alone, the heading would say live
    assert verdict(pressing_facts(album, deluxe)) == (True, "")


def test_yellow_submarine_is_a_soundtrack_by_its_dump_pressings_styles(db):
    from catalog.dump_import import import_dump_files

    from .test_discogs_dump_parser import SAMPLES

    import_dump_files([SAMPLES / f"discogs_20200806_{kind}.sample.xml.gz" for kind in ("artists", "masters", "releases")])

    yellow_submarine = Album.objects.get(discogs_master_id=54565)  # made from its 1969 French LP
    assert (yellow_submarine.is_studio, yellow_submarine.exclusion_reason) == (False, "Discogs files it under: Score, Soundtrack")
    live_peace = Album.objects.get(discogs_master_id=90416)
    assert (live_peace.is_studio, live_peace.exclusion_reason) == (False, 'a live album (title "Live Peace In Toronto 1969")')


def test_an_album_made_earlier_hears_what_its_pressings_later_say(db):
    album = AlbumFactory(title="Yellow Submarine", mbid=None, is_studio=True)
    ReleaseFactory(album=album, styles=["Rock", "Stage & Screen", "Soundtrack", "Score"])
    typed = AlbumFactory(title="Greatest Hits", is_studio=True)  # MusicBrainz typed it (it has an MBID)

    assert services.learn_verdicts_from_pressings(Album.objects.all()) == 1

    album.refresh_from_db()
    assert (album.is_studio, album.exclusion_reason) == (False, "Discogs files it under: Score, Soundtrack")
    assert Album.objects.get(pk=typed.pk).is_studio


def test_recorded_musicbrainz_groups_are_judged_by_their_types_and_credit():
    page = musicbrainz.parse_browse_page(recording("musicbrainz/release-group_browse_built_mixed_offset0.json"))

    assert [(g.title, services.release_group_verdict(g)) for g in page.items] == [
        ("There's No Pressure", (True, "")),
        ("Dizzy", (False, "primary type: Single")),
        ("Dark Side of the Moon", (False, "secondary type: Live")),
        ("Dance / Pop Music", (False, "primary type: Other; credited to several artists")),
    ]


def test_a_live_album_pressing_gets_the_same_verdict_on_every_path():
    """The API sync, the dump import and the orphan linker read one "LP, Album, Live" pressing."""
    live = (Format(name="Vinyl", qty=1, descriptions=LIVE_ALBUM),)
    from_api = dataclasses.replace(parse_release(recording("discogs/release_1823781_david-axelrod_earth-rot.json")), formats=live)
    from_dump = dataclasses.replace(_first_dump_release(), formats=live, data_quality="Correct")
    stored = [{"name": "Vinyl", "qty": 1, "descriptions": list(LIVE_ALBUM), "text": ""}]

    verdicts = {
        "api": services.pressing_verdict(from_api)[0],
        "dump": main_release_verdict(from_dump)[0],
        "orphans": verdict(Facts(descriptions=frozenset(pressing_descriptions(stored, ""))))[0],
    }

    assert verdicts == {"api": False, "dump": False, "orphans": False}


def test_a_master_credited_to_various_artists_is_a_compilation_on_the_dump_path():
    various = dataclasses.replace(_first_dump_master(), artists=(dataclasses.replace(_first_dump_master().artists[0], id=194),))

    assert master_verdict(various) == (False, "compilation: credited to Various Artists on Discogs")


def _first_dump_release():
    from catalog.discogs_dump import DumpReader, DumpRelease

    return next(r for r in DumpReader(RELEASES_SAMPLE) if isinstance(r, DumpRelease))


def _first_dump_master():
    from catalog.discogs_dump import DumpMaster, DumpReader

    from .test_discogs_dump_parser import SAMPLES

    masters = DumpReader(SAMPLES / "discogs_20200806_masters.sample.xml.gz")
    return next(m for m in masters if isinstance(m, DumpMaster) and m.artists)


# --- no other function decides studio-ness ------------------------------------------------------


# Types and descriptions that only the verdict may compare against.
STUDIO_VOCABULARY = {
    "Album",
    "LP",
    "EP",
    "Single",
    "Maxi-Single",
    "Compilation",
    "Live",
    "Soundtrack",
    "Score",
    "Interview",
    "Spoken Word",
    "Spokenword",
    "Mixed",
    "Mixtape",
    "Sampler",
    "Studio",
    "Greatest Hits",
    "Various",
    "Various Artists",
}


def non_test_modules():
    root = Path(settings.BASE_DIR)
    for path in sorted(root.glob("*/**/*.py")):
        parts = path.relative_to(root).parts
        if parts[0].startswith(".") or "tests" in parts or "migrations" in parts or path.name == "factories.py":
            continue
        yield path.relative_to(root), ast.parse(path.read_text(encoding="utf-8"))


def studio_decisions(tree):
    """Lines that set is_studio from anything but a verdict's answer, or compare or intersect
    a value with the vocabulary of the verdict (written out, or through a module constant)."""
    named = vocabulary_names(tree)
    for node in ast.walk(tree):
        for value in _is_studio_values(node):
            if not isinstance(value, ast.Name | ast.Attribute):
                yield node.lineno, ast.unparse(value)
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.Sub):
            operands = [node.left, node.right]
        else:
            continue
        if any(_constants(operand) & STUDIO_VOCABULARY or _names(operand) & named for operand in operands):
            yield node.lineno, ast.unparse(node)


# Constants that share a word with the vocabulary for another rule: "LP" is also a carrier.
OTHER_RULES = {"VINYL_WORDS": "integrations.discogs: which formats are vinyl"}


def vocabulary_names(tree):
    """Module constants that hold words of the vocabulary: NON_STUDIO = {"Live", ...}."""
    named = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            words = {c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant) and isinstance(c.value, str)}
            if words & STUDIO_VOCABULARY and node.targets[0].id not in OTHER_RULES:
                named.add(node.targets[0].id)
    return named


def _names(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


# Calls that read is_studio (querysets, Q objects) rather than set it.
READS = {"filter", "exclude", "get", "Q"}


def _is_studio_values(node):
    if isinstance(node, ast.Call) and _called(node) not in READS:
        yield from (k.value for k in node.keywords if k.arg == "is_studio")
    if isinstance(node, ast.Dict):
        yield from (v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and k.value == "is_studio")
    if isinstance(node, ast.Assign):
        for target, value in _pairs(node.targets[0], node.value):
            if isinstance(target, ast.Attribute) and target.attr == "is_studio":
                yield value


def _called(call):
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _pairs(target, value):
    if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
        return list(zip(target.elts, value.elts))
    return [(target, value)]


def _constants(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Set | ast.Tuple | ast.List):
        return {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return set()


def test_no_code_but_the_verdict_decides_whether_an_album_is_a_studio_album():
    found = {
        f"{path}:{line}: {text}"
        for path, tree in non_test_modules()
        # benchmarks/scale.py writes synthetic rows straight into a throwaway database: no verdict.
        if path != Path("catalog/studio.py") and path.parts[0] != "benchmarks"
        for line, text in studio_decisions(tree)
    }

    assert found == set()


@pytest.mark.parametrize(
    "code",
    [
        'upsert_album(artist, title, is_studio="Album" in descriptions)',
        "Album(title=title, is_studio=False)",
        'album.is_studio, album.exclusion_reason = False, "live"',
        '{"is_studio": kind == "Studio"}',
        'reason = "compilation" if "Compilation" in descriptions else ""',
        'NOT_STUDIO = frozenset({"Live", "EP"})\nagainst = descriptions & NOT_STUDIO',
    ],
)
def test_the_studio_check_finds_a_decision_made_elsewhere(code):
    assert list(studio_decisions(ast.parse(code)))


def test_the_studio_check_lets_queries_and_verdicts_through():
    code = "Album.objects.filter(is_studio=True)\nis_studio, reason = verdict(facts)\nAlbum(is_studio=is_studio)"

    assert list(studio_decisions(ast.parse(code))) == []

"""Albums for the vinyl pressings still waiting for theirs.

A pressing whose Discogs master is not in the catalog stays an orphan (Release.album empty)
after the dump import has linked what it could. Two passes give it an album, from nothing
but what the pressing rows say:

1. link_orphans_by_title: an album we already hold for the same artist and title, without a
   master id (a Rolling Stone or MusicBrainz album), takes the master id and its pressings;
2. albums_from_orphan_masters: each master left becomes an album made from its pressings, a
   studio album only when catalog.studio's verdict on all its pressings' descriptions says
   so, else with the reason why not.

Both read a batch of masters at a time, in master id order (a whole dump leaves many), and a
second run changes nothing: a linked pressing is no longer an orphan.
"""

import re
from collections import defaultdict
from dataclasses import astuple, dataclass
from operator import itemgetter

from django.db import IntegrityError, transaction
from django.db.models import Q

from integrations.discogs import ABBREVIATIONS

from . import studio
from .bulk import free_album_keys, link_orphan_releases, new_album, write_batch
from .matching import title_confidence
from .models import Album, Artist, Release
from .normalize import normalize_artist_name, strip_discogs_suffix
from .upsert import upsert_artist, with_source_on_create

BATCH_SIZE = 500
TITLE_THRESHOLD = 0.9
# Joins that Discogs writes between two credited artists and that hardly occur inside one
# artist's name. "&", "And" and "+" are left alone: "Simon & Garfunkel" is one artist.
CREDIT_JOIN = re.compile(r"\s*,\s*|\s+(?:/|-|feat\.?|featuring|ft\.|vs\.?|with|presents?)\s+", re.IGNORECASE)
# A pressing stored without its format objects still has the summary ("2xLP, Album, Comp").
SUMMARY_WORDS = {short: word for word, short in ABBREVIATIONS.items()}
QUANTITY = re.compile(r"^\d+x")
PRESSING_FIELDS = (
    "discogs_id",
    "discogs_master_id",
    "title",
    "artist_credit",
    "year",
    "formats",
    "format_summary",
    "is_main_release",
    "source",
    "styles",
)


@dataclass
class OrphanCounts:
    """What one pass did."""

    linked: int = 0  # pressings that gained an album
    albums_found: int = 0  # albums found by title that hold the master now
    albums_created: int = 0
    excluded: int = 0  # created albums that are not studio albums (the reason is on the album)
    artists_created: int = 0
    skipped: int = 0  # masters whose pressings name no artist

    def __add__(self, other):
        return OrphanCounts(*(mine + theirs for mine, theirs in zip(astuple(self), astuple(other))))


@dataclass
class OrphanRun:
    by_title: OrphanCounts
    from_masters: OrphanCounts

    def summary(self):
        """The one line the command prints."""
        title, made = self.by_title, self.from_masters
        return (
            f"orphan pressings: {title.linked:,} linked to {title.albums_found:,} albums found by title, "
            f"{made.linked:,} linked to {made.albums_created:,} albums made from their masters "
            f"({made.albums_created - made.excluded:,} studio, {made.excluded:,} excluded with a reason); "
            f"{made.artists_created:,} artists created; {made.skipped:,} masters skipped (no artist credit)"
        )

    def dump_counts(self):
        """The run in a dump import's counts: apart from what the dump's records did, and in
        the job's totals of rows created and updated."""
        title, made = self.by_title, self.from_masters
        return {
            "orphans.created": made.artists_created + made.albums_created,
            "orphans.updated": title.albums_found,
            "orphans.albums_found_by_title": title.albums_found,
            "orphans.albums_created": made.albums_created,
            "orphans.albums_excluded": made.excluded,
            "orphans.artists_created": made.artists_created,
            "orphans.linked": title.linked + made.linked,
        }


def link_orphans(batch_size=BATCH_SIZE, on_progress=None):
    """Both passes, in order."""
    return OrphanRun(link_orphans_by_title(batch_size, on_progress), albums_from_orphan_masters(batch_size, on_progress))


def orphan_master_count():
    return _orphans().values("discogs_master_id").distinct().count()


# --- 1. albums we hold, found by title --------------------------------------------------------


def link_orphans_by_title(batch_size=BATCH_SIZE, on_progress=None):
    counts = OrphanCounts()
    for master_ids in _orphan_master_batches(batch_size):
        with transaction.atomic():
            counts += _claim_albums_by_title(_master_groups(master_ids))
        (on_progress or _ignore)(len(master_ids))
    return counts


def _claim_albums_by_title(groups):
    names = main_artist_names(groups)
    albums = _claimable_albums({normalize_artist_name(name) for name in names.values()}, [g.id for g in groups])
    claims = {}  # album pk -> (confidence, master id, album): two masters never share an album
    for group in (g for g in groups if g.id in names):
        name = names[group.id]
        confidence, album = _best_title_match(group, name, albums[normalize_artist_name(name)])
        if album is not None and confidence > claims.get(album.pk, (0.0,))[0]:
            claims[album.pk] = (confidence, group.id, album)
    taken = [master_id for _, master_id, album in claims.values() if _take_master(album, master_id)]
    return OrphanCounts(linked=link_orphan_releases(taken), albums_found=len(taken))


def _claimable_albums(artist_keys, master_ids):
    """artist name key -> that artist's albums without a master id, or with one of these."""
    found = (
        Album.objects.filter(artist__normalized_name__in=artist_keys)
        .filter(Q(discogs_master_id__isnull=True) | Q(discogs_master_id__in=master_ids))
        .select_related("artist")
        .order_by("pk")
    )
    albums = defaultdict(list)
    for album in found:
        albums[album.artist.normalized_name].append(album)
    return albums


def _best_title_match(group, name, albums):
    """(confidence, album) of the surest match at or above the threshold, else (0, None);
    ties go to the oldest album."""
    scored = (
        (title_confidence(name, group.title, album.artist.name, album.title), album)
        for album in albums
        if album.discogs_master_id in (None, group.id)
    )
    confidence, album = max(scored, key=itemgetter(0), default=(0.0, None))
    return (confidence, album) if confidence >= TITLE_THRESHOLD else (0.0, None)


def _take_master(album, master_id):
    """Give the album the master id, as a compare-and-set: False when the album took another
    master meanwhile, or another album holds this one (the unique constraint says so)."""
    if album.discogs_master_id == master_id:
        return True
    try:
        with transaction.atomic():
            claimed = Album.objects.filter(pk=album.pk, discogs_master_id__isnull=True)
            return claimed.update(discogs_master_id=master_id) == 1
    except IntegrityError:
        return False


# --- 2. albums made from the pressings of a master --------------------------------------------


def albums_from_orphan_masters(batch_size=BATCH_SIZE, on_progress=None):
    counts = OrphanCounts()
    for master_ids in _orphan_master_batches(batch_size):
        # As the dump import's batches: a concurrent run that created one of these albums
        # first makes the insert fail; the second attempt finds it and links to it.
        counts += write_batch(_albums_from_masters, master_ids)
        (on_progress or _ignore)(len(master_ids))
    return counts


def _albums_from_masters(master_ids):
    groups = _master_groups(master_ids)
    held = set(Album.objects.filter(discogs_master_id__in=master_ids).values_list("discogs_master_id", flat=True))
    names = main_artist_names([g for g in groups if g.id not in held])
    new = [g for g in groups if g.id in names]
    artist_of, artists_created = _main_artists(new, names)
    albums = _create_albums(new, artist_of, names)
    return OrphanCounts(
        linked=link_orphan_releases(master_ids),
        albums_created=len(albums),
        excluded=sum(not album.is_studio for album in albums),
        artists_created=artists_created,
        skipped=len(groups) - len(new) - len(held),
    )


def _main_artists(groups, names):
    """master id -> artist pk, and how many artists were created.

    Our artist of that name key, chosen as upsert_artist chooses it, else one upsert_artist
    creates: the pressing rows keep no Discogs artist id, so the name is all there is."""
    keys = {normalize_artist_name(names[g.id]) for g in groups}
    pks = {}
    for artist in Artist.objects.filter(normalized_name__in=keys).order_by("-listeners", "pk"):
        pks.setdefault(artist.normalized_name, artist.pk)
    created = 0
    for group in groups:
        key = normalize_artist_name(names[group.id])
        if key not in pks:
            result = upsert_artist(names[group.id])
            pks[key] = with_source_on_create(result, group.representative.source).pk
            created += result.created
    return {g.id: pks[normalize_artist_name(names[g.id])] for g in groups}, created


def _create_albums(groups, artist_of, names):
    # An artist's album of the same title under another master keeps its key: this one takes
    # the dump importer's next free key, as a second master of one title does there.
    keys = free_album_keys(groups, artist_of)
    albums = [_new_album(g, artist_of[g.id], key, names[g.id]) for g, key in zip(groups, keys)]
    return Album.objects.bulk_create(albums)


def _new_album(group, artist_pk, normalized_title, artist_name):
    # One compilation, live or single pressing is enough to say it is not a studio album.
    said = studio.Facts(credit=artist_name, descriptions=frozenset(group.descriptions), styles=group.styles, title=group.title)
    # No year: these pressings are the few we hold, not every version of the master, and a
    # reissue's year is not the album's (catalog.upsert.album_year).
    return new_album(
        group.id,
        group.title,
        artist_id=artist_pk,
        normalized_title=normalized_title,
        year=None,
        verdict=studio.verdict(said),
        source=group.representative.source,
    )


# --- what the pressings say ---------------------------------------------------------------------


@dataclass
class MasterGroup:
    """The orphan pressings of one Discogs master, the one that speaks for the album first.
    It has a master's id and title, so the dump importer's title keys serve it."""

    id: int
    pressings: list

    @property
    def representative(self):
        return self.pressings[0]

    @property
    def title(self):
        return self.representative.title

    @property
    def credit(self):
        return self.representative.artist_credit

    @property
    def descriptions(self):
        return set().union(*(pressing_descriptions(p.formats, p.format_summary) for p in self.pressings))

    @property
    def styles(self):
        """The Discogs genres and styles of any of its pressings ("Soundtrack" on one is enough)."""
        return tuple(sorted({style for p in self.pressings for style in p.styles or ()}))


def _speaks_first(pressing):
    """The master's main release, else the earliest pressing (an unknown year last)."""
    return (not pressing.is_main_release, pressing.year is None, pressing.year or 0, pressing.discogs_id)


def pressing_descriptions(formats, summary):
    """Discogs' descriptions of a pressing ("LP", "Album", "Compilation"...): from its format
    objects, else from its format summary with the abbreviations spelled out."""
    if formats:
        return {d for fmt in formats for d in fmt.get("descriptions") or ()}
    tokens = (QUANTITY.sub("", token.strip()) for part in summary.split(" + ") for token in part.split(","))
    return {SUMMARY_WORDS.get(token, token) for token in tokens if token}


def main_credit_options(credit):
    """The names a credit may mean by its main artist, longest first: "Bus Stop Feat. Carl
    Douglas" gives "Bus Stop Feat. Carl Douglas" then "Bus Stop"."""
    ends = [len(credit), *reversed([join.start() for join in CREDIT_JOIN.finditer(credit)])]
    names = (strip_discogs_suffix(credit[:end].strip().rstrip("*").strip()) for end in ends)
    return [name for name in dict.fromkeys(names) if name.strip()]


def main_artist_names(groups):
    """master id -> the name of its main artist: the longest reading of the credit that names
    an artist we hold ("Earth, Wind & Fire" whole), else the first artist credited."""
    options = {g.id: main_credit_options(g.credit) for g in groups}
    keys = {normalize_artist_name(name) for names in options.values() for name in names}
    known = set(Artist.objects.filter(normalized_name__in=keys).values_list("normalized_name", flat=True))
    return {
        master_id: next((n for n in names if normalize_artist_name(n) in known), names[-1])
        for master_id, names in options.items()
        if names
    }


# --- batches ----------------------------------------------------------------------------------


def _orphans():
    return Release.objects.filter(album__isnull=True, discogs_master_id__isnull=False)


def _orphan_master_batches(batch_size):
    """Master ids of orphan pressings, a batch at a time. Paged on the id rather than by
    offset: a batch whose pressings stay orphans must not come back."""
    last = 0
    while True:
        after = _orphans().filter(discogs_master_id__gt=last).order_by("discogs_master_id")
        master_ids = list(after.values_list("discogs_master_id", flat=True).distinct()[:batch_size])
        if not master_ids:
            return
        yield master_ids
        last = master_ids[-1]


def _master_groups(master_ids):
    pressings = defaultdict(list)
    for release in _orphans().filter(discogs_master_id__in=master_ids).only(*PRESSING_FIELDS):
        pressings[release.discogs_master_id].append(release)
    return [MasterGroup(m, sorted(rows, key=_speaks_first)) for m, rows in sorted(pressings.items())]


def _ignore(processed):
    pass

"""The one rule for what a pressing is relative to its album's first pressing (issue 23):
original, repress, reissue or remaster, with a confidence and a reason sentence.

The original(s): the earliest year's pressing(s) not described as a reissue, in the album's
country of origin (the master's main release's country, else the earliest dated pressing's),
on the original label (the main release's label, else the earliest one's). A first-year
pressing in another country is an original too, with less confidence ("the US original").
Later pressings: a remaster when a format description (RM, Remastered) or the notes say so;
a repress when it carries the original's label and catalogue number (or says Repress); else a
reissue, with more confidence when a description says Reissue than when only its year does.

`classify` is pure (any objects with the Release attributes it reads); `classify_albums`
applies it to stored pressings in one read and one bulk write per call.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from integrations.discogs import ABBREVIATIONS

from .models import Edition, Release

SPELLED = {short: word for word, short in ABBREVIATIONS.items()}
# What says a pressing is not a first issue. "Remastered" alone does not: a first pressing is
# often remastered for vinyl (Discogs then marks it RM); it makes a later pressing a remaster.
REISSUE_WORDS = {"Reissue", "Repress"}


@dataclass(frozen=True)
class Verdict:
    edition: str
    confidence: float
    reason: str


def words(pressing):
    """Its format descriptions, spelled out, from the details or else from the summary."""
    tokens = list(pressing.descriptions or ())
    tokens += [re.sub(r"^\d+x", "", t.strip()) for part in (pressing.format_summary or "").split(" + ") for t in part.split(",")]
    return {SPELLED.get(t, t) for t in tokens if t}


def _key(text):
    return re.sub(r"[^a-z0-9]", "", (text or "").lower())


def _first_label(label):
    return _key(re.sub(r"\s*\(\d+\)$", "", (label or "").split(",")[0].strip()))


def _date(pressing):
    """A sortable release date: "1979-03-16" before "1979" (an unknown month sorts last)."""
    released = (pressing.released or "").replace("-00", "")
    return (pressing.year, released if released[:4] == str(pressing.year) and len(released) > 4 else "9999")


def _marked(pressing):
    return bool(REISSUE_WORDS & words(pressing))


@dataclass(frozen=True)
class Origin:
    year: int | None
    country: str
    label: str
    catno: str
    main_id: int | None  # the main release's pk, when it is among the originals


def origin(pressings):
    """The first year, country, label and catalogue number of the album's pressings."""
    dated = [p for p in pressings if p.year]
    firsts = [p for p in dated if not _marked(p)]
    if not firsts:  # every vinyl is a reissue: the album came out first on another format
        return Origin(None, "", "", "", None)
    year = min(p.year for p in firsts)
    main = next((p for p in firsts if p.is_main_release and p.year == year), None)
    reference = main or min((p for p in firsts if p.year == year), key=_date)
    return Origin(year, reference.country, reference.label, reference.catalog_number, main.pk if main else None)


def classify(pressings):
    """pk → Verdict for each pressing of one album."""
    start = origin(pressings)
    return {p.pk: verdict(p, start) for p in pressings}


def verdict(p, start):
    label = (p.label or "").split(",")[0].strip()
    facts = {
        "year": p.year,
        "country": p.country or _("unknown country"),
        "label": label or _("an unnamed label"),
        "catno": p.catalog_number,
    }
    said = words(p)
    if not p.year:
        return _undated(said, facts)
    if start.year and p.year == start.year and not (REISSUE_WORDS & said):
        return _original(p, start, facts)
    if "Remastered" in said:
        return Verdict(
            Edition.REMASTER, 0.9, _("%(year)s %(country)s remaster on %(label)s: its format says Remastered.") % facts
        )
    if "remastered" in (p.note_flags or ()):
        return Verdict(Edition.REMASTER, 0.7, _("%(year)s %(country)s remaster on %(label)s: its notes say remastered.") % facts)
    if "Repress" in said:
        return Verdict(Edition.REPRESS, 0.9, _("%(year)s %(country)s repress on %(label)s: its format says Repress.") % facts)
    if (
        start.year
        and _first_label(p.label) == _first_label(start.label)
        and _key(p.catalog_number) == _key(start.catno)
        and p.catalog_number
    ):
        return Verdict(
            Edition.REPRESS,
            0.8,
            _("%(year)s repress: the original's label and catalogue number, %(label)s %(catno)s.") % facts,
        )
    if "Reissue" in said:
        return Verdict(Edition.REISSUE, 0.9, _("%(year)s %(country)s reissue on %(label)s: its format says Reissue.") % facts)
    return Verdict(
        Edition.REISSUE,
        0.6,
        _("%(year)s %(country)s pressing on %(label)s, later than the first pressings (%(first)s).")
        % {**facts, "first": start.year},
    )


def _undated(said, facts):
    """A pressing without a year is what its format says, with less confidence."""
    if "Remastered" in said:
        return Verdict(
            Edition.REMASTER, 0.6, _("%(country)s remaster on %(label)s, year unknown: its format says Remastered.") % facts
        )
    if "Repress" in said:
        return Verdict(
            Edition.REPRESS, 0.6, _("%(country)s repress on %(label)s, year unknown: its format says Repress.") % facts
        )
    if "Reissue" in said:
        return Verdict(
            Edition.REISSUE, 0.6, _("%(country)s reissue on %(label)s, year unknown: its format says Reissue.") % facts
        )
    return Verdict(Edition.UNKNOWN, 0.0, _("No year is known for this pressing."))


def _original(p, start, facts):
    facts = {**facts, "origin": start.country}
    same_country = _key(p.country) == _key(start.country)
    same_label = _first_label(p.label) == _first_label(start.label)
    if same_country and same_label:
        reason = _("Earliest %(country)s release, %(label)s, %(year)s") % facts
        if start.main_id == p.pk:
            return Verdict(Edition.ORIGINAL, 0.95, _("%(reason)s, matches the master's main release.") % {"reason": reason})
        return Verdict(Edition.ORIGINAL, 0.85 if start.main_id is None else 0.75, f"{reason}.")
    if same_country:
        return Verdict(
            Edition.ORIGINAL, 0.6, _("%(country)s release from the first year, %(year)s, on another label, %(label)s.") % facts
        )
    return Verdict(
        Edition.ORIGINAL,
        0.5,
        _("%(country)s pressing from the first year, %(year)s, on %(label)s; the first release is from %(origin)s.") % facts,
    )


# --- stored pressings ------------------------------------------------------------------------

READ = (
    "pk",
    "album_id",
    "year",
    "released",
    "country",
    "label",
    "catalog_number",
    "descriptions",
    "format_summary",
    "is_main_release",
    "note_flags",
    "edition",
    "edition_reason",
    "edition_confidence",
)
WRITE = ["edition", "edition_reason", "edition_confidence"]


def classify_albums(album_ids):
    """Classify every pressing of these albums: one read, one bulk write of the changed rows.
    Returns how many pressings changed."""
    by_album = {}
    for release in Release.objects.filter(album_id__in=list(album_ids)).only(*READ).order_by():
        by_album.setdefault(release.album_id, []).append(release)
    changed = []
    for pressings in by_album.values():
        verdicts = classify(pressings)
        for release in pressings:
            v = verdicts[release.pk]
            if (release.edition, release.edition_reason, release.edition_confidence) != (v.edition, v.reason, v.confidence):
                release.edition, release.edition_reason, release.edition_confidence = v.edition, v.reason, v.confidence
                changed.append(release)
    Release.objects.bulk_update(changed, WRITE, batch_size=500)
    return len(changed)


def classify_unclassified(batch=1000):
    """Classify the albums of linked pressings never classified (linked after their batch)."""
    changed = 0
    while True:
        ids = list(Release.objects.filter(album__isnull=False, edition="").values_list("album_id", flat=True).distinct()[:batch])
        if not ids:
            return changed
        changed += classify_albums(ids)

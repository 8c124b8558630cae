"""The facts of one pressing that tell it apart from the album's other pressings (issue 23):
format descriptions, weight, colour, limited edition, the credits and companies that matter
for sound, matrix/runout and barcode identifiers, and what the notes state of the source or
method. One reader for the Discogs release JSON and the monthly dump (both parsed into
integrations.discogs dataclasses), so a pressing reads the same whichever way it came in.

Pure functions, no models: catalog.upsert and catalog.dump_import store `fact_fields`.
"""

import re

# Credits and companies whose role names one of these: the people and places that made the sound.
SOUND_ROLES = ("master", "lacquer", "cut by", "cutting", "dmm", "transfer")
PLANT_ROLES = (
    "pressed by",
    "manufactured by",
    "made by",
    "plated by",
    "mastered at",
    "lacquer cut at",
    "remastered at",
    "cut at",
)
IDENTIFIER_TYPES = ("Matrix / Runout", "Barcode", "Mastering SID Code", "Mould SID Code", "Label Code")
MAX_IDENTIFIERS = 12  # a box set lists dozens of runout variants; a dozen tell a pressing apart

LIMITED = {"Limited Edition", "Ltd"}
COLOUR_WORDS = (
    "black",
    "white",
    "clear",
    "transparent",
    "red",
    "blue",
    "green",
    "yellow",
    "orange",
    "purple",
    "pink",
    "gold",
    "silver",
    "grey",
    "gray",
    "brown",
    "marbled",
    "splatter",
    "picture disc",
    "translucent",
    "smoke",
)
_WEIGHT = re.compile(r"\b(\d{2,3})\s*(?:gram|g|gr|grams)\b", re.IGNORECASE)

# What notes may state of the source or method, each as a flag the guide can name.
NOTE_FLAGS = (
    ("half_speed", re.compile(r"half[- ]speed", re.IGNORECASE)),
    ("aaa", re.compile(r"\bAAA\b|all[- ]analog(?:ue)?\b", re.IGNORECASE)),
    (
        "analogue",
        re.compile(
            r"(?:original\s+)?analog(?:ue)?\s+(?:master\s+)?tapes?|analog(?:ue)?\s+masters?|from the original (?:master )?tapes",
            re.IGNORECASE,
        ),
    ),
    ("remastered", re.compile(r"\bremaster(?:ed)?\b", re.IGNORECASE)),
    ("dmm", re.compile(r"\bDMM\b|direct metal master", re.IGNORECASE)),
)


def descriptions(formats):
    """Every format's descriptions and free text in order, each once: ["LP", "Album",
    "Reissue", "Remastered", "Gatefold", "180 Gram"]."""
    seen = []
    for fmt in formats:
        words = list(fmt.descriptions) + [part.strip() for part in (fmt.text or "").split(",")]
        seen.extend(word for word in words if word and word not in seen)
    return seen


def weight_grams(words):
    for word in words:
        match = _WEIGHT.search(word)
        if match and 100 <= int(match.group(1)) <= 250:
            return int(match.group(1))
    return None


def colour(formats):
    """The vinyl colour as the format's free text states it ("Red Translucent"), else ""."""
    for fmt in formats:
        for piece in (fmt.text or "").split(","):
            part = piece.strip()
            if any(word in part.lower() for word in COLOUR_WORDS):
                return part
    return ""


def _role_matches(role, needles):
    role = role.lower()
    return any(needle in role for needle in needles)


def sound_credits(credits):
    """[{"role", "name"}] of the credits for mastering and lacquer cutting, whole-release ones first."""
    chosen = [c for c in credits if _role_matches(c.role, SOUND_ROLES)]
    chosen.sort(key=lambda c: bool(c.tracks))
    return [{"role": c.role, "name": c.name} for c in chosen]


def plant_companies(companies):
    return [{"role": c.role, "name": c.name} for c in companies if _role_matches(c.role, PLANT_ROLES)]


def identifier_rows(identifiers):
    rows = [i for i in identifiers if i.type in IDENTIFIER_TYPES and i.value]
    return [{"type": i.type, "value": i.value, "description": i.description} for i in rows[:MAX_IDENTIFIERS]]


def barcode(identifiers):
    """The barcode, digits only ("0825646493166"), else ""."""
    for identifier in identifiers:
        if identifier.type == "Barcode":
            digits = re.sub(r"\D", "", identifier.value)
            if digits:
                return digits
    return ""


def note_flags(notes, words=()):
    """What the notes (and format words such as "Remastered") state of source or method."""
    text = " ".join([notes or "", *words])
    return [flag for flag, pattern in NOTE_FLAGS if pattern.search(text)]


def fact_fields(release):
    """Release columns for a parsed pressing (integrations.discogs.Release or a DumpRelease)."""
    words = descriptions(release.formats)
    return {
        "descriptions": words,
        "weight_grams": weight_grams(words),
        "colour": colour(release.formats),
        "is_limited": bool(LIMITED & set(words)),
        "credits": sound_credits(release.credits),
        "companies": plant_companies(release.companies),
        "identifiers": identifier_rows(release.identifiers),
        "barcode": barcode(release.identifiers),
        "note_flags": note_flags(release.notes),
    }

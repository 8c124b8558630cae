"""Which pressing a marketplace listing is, from what the listing states (issue 23, point 5).

A listing already matched to the album (pricing.sources.ebay.offer_matches) is scored against
each vinyl pressing of the album on what its title (and, for candidates that need it, its item
specifics) states: the catalog number (with or without spaces, dashes, dots), the label, a year,
a country, the format (2xLP, 180 g) and the words sellers use for an edition ("1st press",
"original", "reissue", "remastered"). Words of the artist's name and the album's title are set
aside first, so the album "1999" states no year and the band Europe no country.

The best-scoring pressing is the listing's only when the confidence reaches THRESHOLD: a clear
lead over the runner-up is part of it, because a catalog number is often shared by an original
and its represses. Below it the offer stays the album's and is shown as "any pressing". The
precision at THRESHOLD on the hand-written cases is printed by benchmarks/ebay_matching.py.

Pure logic: pressings are read through their attributes (label, catalog_number, year, country,
format_summary, descriptions, weight_grams, edition), so tests pass plain objects.
"""

import re
import unicodedata
from dataclasses import dataclass

# At or above this confidence an offer is shown as its pressing's. On the hand-written cases
# (benchmarks/ebay_matching.py) precision is 100% from 0.5 up and 96.8% at 0.3; 0.7 keeps a
# margin for listings unlike ours, at the cost of recall (69%: the rest stay "any pressing").
THRESHOLD = 0.7

CATNO, LABEL, YEAR, COUNTRY = 0.75, 0.2, 0.2, 0.15
YEAR_CONFLICT, COUNTRY_CONFLICT = -0.25, -0.2
FORMAT, FORMAT_CONFLICT = 0.05, -0.15
EDITION_AGREES, EDITION_CONFLICT = 0.15, -0.4
# A lead over the runner-up smaller than this scales the confidence down (a tie is 0): two
# pressings fit the listing, as an original and a repress sharing a catalog number do.
CLEAR_LEAD = 0.25

# What listings call a country, by Discogs' name of it.
COUNTRY_WORDS = {
    "UK": (
        "UK",
        "ENGLAND",
        "BRITISH",
        "GB",
        "UNITED KINGDOM",
        "ENGLISH",
        "REINO UNIDO",
        "ROYAUME UNI",
        "REGNO UNITO",
        "GROSSBRITANNIEN",
    ),
    "US": ("US", "USA", "AMERICAN", "UNITED STATES", "ESTADOS UNIDOS", "ETATS UNIS"),
    "Germany": ("GERMANY", "GERMAN", "DEUTSCHLAND", "GER", "ALEMANIA", "ALLEMAGNE", "GERMANIA"),
    "France": ("FRANCE", "FRENCH", "FRANCIA", "FRANKREICH"),
    "Netherlands": ("NETHERLANDS", "HOLLAND", "DUTCH", "NL", "PAISES BAJOS", "PAYS BAS", "NIEDERLANDE"),
    "Italy": ("ITALY", "ITALIAN", "ITALIA", "ITALIE", "ITALIEN"),
    "Spain": ("SPAIN", "SPANISH", "ESPANA", "ESPAGNE", "SPANIEN", "SPAGNA"),
    "Japan": ("JAPAN", "JAPANESE", "JAPON", "GIAPPONE"),
    "Europe": ("EU", "EUROPE", "EUROPEAN", "EUROPA"),
    "Canada": ("CANADA", "CANADIAN"),
    "Australia": ("AUSTRALIA", "AUSTRALIAN"),
    "Sweden": ("SWEDEN", "SWEDISH", "SVERIGE"),
}
ORIGINAL_PHRASES = (
    "1ST PRESS",
    "1ST PRESSING",
    "FIRST PRESS",
    "FIRST PRESSING",
    "ORIGINAL",
    "ORIG",
    "OG",
    "ERSTPRESSUNG",
    "PRIMERA EDICION",
    "1RE EDITION",
    "PRIMA STAMPA",
)
REISSUE_PHRASES = ("REISSUE", "RE ISSUE", "REPRESS", "RE PRESS", "REEDITION", "REEDICION", "NEUAUFLAGE", "RISTAMPA", "RE RELEASE")
REMASTER_PHRASES = ("REMASTER", "REMASTERED", "REMASTERIZADO", "REMASTERISE", "REMASTERIZZATO", "REMASTERT")
DOUBLE_PHRASES = ("2LP", "2XLP", "2 X LP", "2 LP", "DOUBLE LP", "DOUBLE ALBUM", "DOPPEL LP", "DOBLE LP")
HEAVY_PHRASES = (
    "180G",
    "180 G",
    "180GR",
    "180 GR",
    "180GM",
    "180 GRAM",
    "180 GRAMM",
    "180 GRAMOS",
    "180 GRAMMES",
    "180 GRAMMI",
    "180GRAM",
)
LABEL_NOISE = {"RECORDS", "RECORDINGS", "RECORD", "MUSIC", "LTD", "LIMITED", "INC", "CO", "THE", "LABEL"}
# Item specifics worth reading (their names in the marketplaces' languages, normalized).
ASPECT_WORDS = (
    "LABEL",
    "CATALOG",
    "KATALOG",
    "YEAR",
    "JAHR",
    "ANO",
    "ANNEE",
    "ANNO",
    "COUNTRY",
    "LAND",
    "PAIS",
    "PAYS",
    "PAESE",
    "FORMAT",
    "EDITION",
    "EDICION",
    "EDIZIONE",
    "AUSGABE",
    "SELLO",
    "DISCOGRAFICA",
    "PLATTENFIRMA",
    "ETICHETTA",
    "WEIGHT",
    "GEWICHT",
    "PESO",
    "POIDS",
)


@dataclass(frozen=True)
class Match:
    release: object  # the pressing, only when confidence >= THRESHOLD; else None
    confidence: float  # of the best-scoring pressing, 0-1
    evidence: tuple  # what the listing stated for it: ("catno SHVL804", "year 1973", …)
    best: object = None  # the best-scoring pressing even below the threshold

    @property
    def matched(self):
        return self.release is not None


NO_MATCH = Match(None, 0.0, ())


def tokens(text):
    """Upper-case letters-and-digits runs, accents dropped: "Réédition 2xLP" → ["REEDITION", "2XLP"]."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.findall(r"[A-Z0-9]+", plain.upper())


def contains(words, phrase):
    """Whether the tokens hold the phrase's tokens in a row."""
    wanted = tokens(phrase)
    n = len(wanted)
    return bool(n) and any(words[i : i + n] == wanted for i in range(len(words) - n + 1))


def catno_keys(catalog_number):
    """A pressing's catalog numbers as compact keys ("SHVL 804" → "SHVL804"); numbers too short
    or without a digit say nothing ("none", "LP")."""
    keys = ("".join(tokens(part)) for part in re.split(r"[,;]|\s/\s", catalog_number or ""))
    return {key for key in keys if len(key) >= 4 and any(c.isdigit() for c in key) and key != "NONE"}


def states_catno(words, keys):
    """Whether some run of up to six tokens spells one of the keys (SHVL-804, SHVL804, shvl 804)."""
    for i in range(len(words)):
        joined = ""
        for word in words[i : i + 6]:
            joined += word
            if joined in keys:
                return True
            if len(joined) >= max(map(len, keys), default=0):
                break
    return False


def listing_words(text, album_words):
    """The listing's tokens without the artist's and title's words (they state nothing of a pressing)."""
    return [word for word in tokens(text) if word not in album_words]


def stated_years(words):
    return {int(word) for word in words if len(word) == 4 and word.isdigit() and 1948 <= int(word) <= 2035}


def stated_countries(words):
    return {country for country, names in COUNTRY_WORDS.items() if any(contains(words, name) for name in names)}


def stated_edition(words):
    """What the listing says the copy is: "reissue" and "remaster" win over "original", which a
    reissue's listing uses of its source ("reissue of the original")."""
    if any(contains(words, phrase) for phrase in REMASTER_PHRASES):
        return "remaster"
    if any(contains(words, phrase) for phrase in REISSUE_PHRASES):
        return "reissue"
    if any(contains(words, phrase) for phrase in ORIGINAL_PHRASES):
        return "original"
    return ""


def edition_of(pressing):
    """The pressing's edition (catalog.editions), else what its format summary abbreviates."""
    edition = getattr(pressing, "edition", "") or ""
    if edition and edition != "unknown":
        return edition
    summary = set(tokens(getattr(pressing, "format_summary", ""))) | set(
        tokens(" ".join(getattr(pressing, "descriptions", None) or []))
    )
    for words, name in ((("RM", "REMASTERED"), "remaster"), (("RE", "REISSUE"), "reissue"), (("RP", "REPRESS"), "repress")):
        if summary.intersection(words):
            return name
    return ""


def is_double(pressing):
    return bool(re.search(r"\b[2-9]\s*x\s*LP\b", getattr(pressing, "format_summary", "") or "", re.IGNORECASE))


def is_heavy(pressing):
    """True for a 180 g pressing, False when its facts are known and say otherwise, None when unknown."""
    weight = getattr(pressing, "weight_grams", None)
    descriptions = " ".join(getattr(pressing, "descriptions", None) or [])
    if weight == 180 or "180" in descriptions or "180" in tokens(getattr(pressing, "format_summary", "")):
        return True
    return False if (weight or descriptions) else None


def label_words(label):
    """The label's distinctive words: "Harvest (2)" → ["HARVEST"]; "EMI Records Ltd" → ["EMI"]."""
    return [word for word in tokens(re.sub(r"\(\d+\)", "", label or "")) if word not in LABEL_NOISE]


def score(pressing, all_words, words, album_words):
    """(score, evidence) of one pressing against the listing's tokens."""
    total, evidence = 0.0, []

    def add(points, note):
        nonlocal total
        total += points
        evidence.append(note)

    keys = catno_keys(getattr(pressing, "catalog_number", ""))
    if keys and states_catno(all_words, keys):
        add(CATNO, f"catno {sorted(keys)[0]}")
    label = [word for word in label_words(getattr(pressing, "label", "")) if word not in album_words]
    if label and contains(words, " ".join(label)):
        add(LABEL, f"label {' '.join(label).lower()}")
    years = stated_years(words)
    if years and pressing.year:
        add(*((YEAR, f"year {pressing.year}") if pressing.year in years else (YEAR_CONFLICT, f"not {pressing.year}")))
    countries = stated_countries(words)
    if countries and pressing.country:
        agrees = bool(countries & countries_in(pressing.country))
        add(*((COUNTRY, f"country {pressing.country}") if agrees else (COUNTRY_CONFLICT, f"not {pressing.country}")))
    total += format_points(pressing, words, evidence)
    total += edition_points(pressing, words, evidence)
    return total, evidence


def countries_in(country):
    """The countries a Discogs country names: "UK & Europe" → {"UK", "Europe"}."""
    return {name for name in COUNTRY_WORDS if name == country or contains(tokens(country), name)}


def format_points(pressing, words, evidence):
    points = 0.0
    if any(contains(words, phrase) for phrase in DOUBLE_PHRASES):
        double = is_double(pressing)
        points += FORMAT if double else FORMAT_CONFLICT
        evidence.append("2xLP" if double else "not 2xLP")
    if any(contains(words, phrase) for phrase in HEAVY_PHRASES):
        heavy = is_heavy(pressing)
        if heavy is not None:
            points += FORMAT if heavy else FORMAT_CONFLICT
            evidence.append("180g" if heavy else "not 180g")
    return points


def edition_points(pressing, words, evidence):
    said, edition = stated_edition(words), edition_of(pressing)
    if not said or not edition:
        return 0.0
    agrees = said == edition or (said == "reissue" and edition in ("repress", "remaster"))
    if agrees:
        evidence.append(f"says {said}")
        return EDITION_AGREES if said != "reissue" else EDITION_AGREES / 2
    clash = "original" in (said, edition)
    evidence.append(f"says {said}, is {edition}")
    return EDITION_CONFLICT if clash else 0.0


def aspects_text(aspects):
    """The values of the item specifics that state a pressing fact (label, catalog number, year,
    country, format, edition, weight), whatever the marketplace's language calls them."""
    return " ".join(
        value for name, value in aspects if any(word in tokens(name) or word in "".join(tokens(name)) for word in ASPECT_WORDS)
    )


def match_listing(text, pressings, album_words=()):
    """The listing's pressing among `pressings` (a Match; its release None below THRESHOLD).

    `text` is the listing's title, with its item specifics' values when they were read;
    `album_words` are the tokens of the artist's name and the album's title."""
    album_words = {word for word in album_words}
    all_words = tokens(text)
    words = listing_words(text, album_words)
    scored = sorted(
        ((*score(pressing, all_words, words, album_words), index, pressing) for index, pressing in enumerate(pressings)),
        key=lambda row: (-row[0], row[2]),
    )
    if not scored or scored[0][0] <= 0:
        return NO_MATCH
    best, evidence, _index, pressing = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    lead = best - max(runner_up, 0.0)
    confidence = round(min(1.0, best) * min(1.0, lead / CLEAR_LEAD), 3)
    return Match(pressing if confidence >= THRESHOLD else None, confidence, tuple(evidence), best=pressing)

"""Country names in sentences ("ships to the Netherlands"), from django-countries' ISO table.

The shipping destination is an ISO 3166 code (Profile.country is a django-countries
CountryField); a pressing's origin is Discogs' word for it ("Europe", "UK & Europe").
"""

from functools import lru_cache

from django.utils.translation import get_language, gettext, gettext_lazy as _
from django_countries import countries

# Names that take "the" in an English sentence, and US shortened as people say it (English
# only: in Spanish django-countries' own names read right, with no article).
WITH_ARTICLE = {"GB", "US", "NL", "CZ", "PH", "AE", "DO", "BS", "GM", "KY", "MV", "SC"}
SENTENCE_NAMES = {"US": "United States", "CZ": "Czech Republic", "UK": "United Kingdom"}

# Discogs names a pressing's country in words; a few read better shortened in a sentence.
PRESSING_COUNTRY_SHORT = {
    "Europe": _("EU"),
    "UK & Europe": _("UK & EU"),
    "United States": _("US"),
    "USA": _("US"),
    "USA & Canada": _("US & Canada"),
    "United Kingdom": _("UK"),
    "UK": _("UK"),
    "US": _("US"),
}


def country_name(code: str) -> str:
    """ "ES" → "Spain", "NL" → "the Netherlands"; an unknown code comes back as given."""
    return _country_name(str(code or "").upper(), get_language())


@lru_cache(maxsize=2048)
def _country_name(code, language):
    """Per active language: django-countries translates the name on every call, and a grid
    or a set's explanations ask for the same few countries thousands of times."""
    english = (language or "en").startswith("en")
    name = (SENTENCE_NAMES.get(code) if english else None) or countries.name(code)
    if not name:
        return code
    return f"the {name}" if english and (code in WITH_ARTICLE or code == "UK") else str(name)


def pressing_country(discogs_country: str) -> str:
    """ "Europe" → "EU" ("UE" in Spanish): the way a pressing's origin reads in "a 2016 EU
    pressing"; a country Discogs names in English reads in the reader's language ("Germany" →
    "Alemania"), and anything else as Discogs gives it."""
    if discogs_country in PRESSING_COUNTRY_SHORT:
        return gettext(PRESSING_COUNTRY_SHORT[discogs_country])
    code = country_code(discogs_country)
    return str(countries.name(code)) if code and not (get_language() or "en").startswith("en") else discogs_country


# Discogs' ships-from names that are not django-countries' own names for the country.
DISCOGS_COUNTRY_ALIASES = {
    "United States": "US",
    "USA": "US",
    "UK": "GB",
    "Russia": "RU",
    "South Korea": "KR",
    "Czech Republic": "CZ",
    "Taiwan": "TW",
    "Vietnam": "VN",
    "Iran": "IR",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Moldova": "MD",
    "Macedonia": "MK",
    "Turkey": "TR",
}


def country_code(name: str) -> str:
    """ "Germany" → "DE": an ISO code from the country name Discogs gives (a listing's ships_from);
    "" when the name is not a country we know (never guessed)."""
    name = (name or "").strip()
    if not name:
        return ""
    return DISCOGS_COUNTRY_ALIASES.get(name) or countries.by_name(name) or ""

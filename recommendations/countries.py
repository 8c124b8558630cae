"""Country names for explanation sentences ("ships to Spain").

Django ships no list of country names and the product sells to Europe first, so a small
table of the EU, its neighbours and the biggest vinyl markets is enough; an unknown code
is shown as the code itself rather than guessed.
"""

COUNTRY_NAMES = {
    "AT": "Austria",
    "AU": "Australia",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "BR": "Brazil",
    "CA": "Canada",
    "CH": "Switzerland",
    "CY": "Cyprus",
    "CZ": "the Czech Republic",
    "DE": "Germany",
    "DK": "Denmark",
    "EE": "Estonia",
    "ES": "Spain",
    "FI": "Finland",
    "FR": "France",
    "GB": "the United Kingdom",
    "GR": "Greece",
    "HR": "Croatia",
    "HU": "Hungary",
    "IE": "Ireland",
    "IS": "Iceland",
    "IT": "Italy",
    "JP": "Japan",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "LV": "Latvia",
    "MT": "Malta",
    "MX": "Mexico",
    "NL": "the Netherlands",
    "NO": "Norway",
    "NZ": "New Zealand",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "SE": "Sweden",
    "SI": "Slovenia",
    "SK": "Slovakia",
    "UK": "the United Kingdom",
    "US": "the United States",
}

# Discogs names a pressing's country in words; a few read better shortened in a sentence.
PRESSING_COUNTRY_SHORT = {
    "Europe": "EU",
    "UK & Europe": "UK & EU",
    "United States": "US",
    "USA": "US",
    "USA & Canada": "US & Canada",
    "United Kingdom": "UK",
}


def country_name(code: str) -> str:
    """"ES" → "Spain"; an unknown code comes back as given."""
    return COUNTRY_NAMES.get((code or "").upper(), code or "")


def pressing_country(discogs_country: str) -> str:
    """"Europe" → "EU": the way a pressing's origin reads in "a 2016 EU pressing"."""
    return PRESSING_COUNTRY_SHORT.get(discogs_country, discogs_country)

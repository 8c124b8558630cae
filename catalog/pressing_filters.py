"""Narrowing an album's pressings by what a buyer looks for: the country it was pressed for,
its decade, and its format family (one LP, several, a 10" or 7", a box set).

The format families are read from `Release.format_summary` (Discogs' own short form, e.g.
'2xLP, Album, RE' or '7", 45 RPM, Single'); the head of the summary is the carrier with its
count. Each family is a condition on how the summary starts (plain LIKE prefixes on both
databases), so filtering and counting stay in SQL. Not regular expressions: SQLite evaluates
Django's REGEXP by calling back into Python, which hung two threads sharing the test server's
connection.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, F, Max, Q

COUNTS = range(2, 13)  # "2xLP" … "12xLP": Discogs writes the number of records before the carrier


def _head(carrier) -> Q:
    """The summary starts with exactly one `carrier`: 'LP', 'LP, Album' or 'LP + 7", Single'."""
    return Q(format_summary=carrier) | Q(format_summary__startswith=f"{carrier},") | Q(format_summary__startswith=f"{carrier} +")


def _counted(carrier, counts=COUNTS) -> Q:
    """The summary starts with several `carrier`s: '2xLP', '3x12", Album'."""
    condition = Q()
    for count in counts:
        condition |= Q(format_summary__startswith=f"{count}x{carrier}")
    return condition


FORMAT_FAMILIES = {
    "lp": ("One LP", _head("LP") | _head('12"')),
    "multi": ("Two or more LPs", _counted("LP") | _counted('12"')),
    "10": ('10"', _head('10"') | _counted('10"')),
    "7": ('7"', _head('7"') | _counted('7"')),
    "box": ("Box set", Q(format_summary__contains="Box Set")),
}


@dataclass(frozen=True)
class PressingFilters:
    country: str = ""  # as Discogs spells it ("UK", "Europe"); "" for any
    decade: int | None = None  # 1970 for 1970–1979
    format: str = ""  # a FORMAT_FAMILIES key; "" for any

    @property
    def is_default(self):
        return self == PressingFilters()

    def query(self) -> dict:
        """The filters as GET parameters, for the "show more" link (only those set)."""
        pairs = {"country": self.country, "decade": self.decade or "", "format": self.format}
        return {key: value for key, value in pairs.items() if value}


def filter_pressings(releases, filters: PressingFilters):
    if filters.country:
        releases = releases.filter(country=filters.country)
    if filters.decade is not None:
        releases = releases.filter(year__gte=filters.decade, year__lt=filters.decade + 10)
    if filters.format:
        releases = releases.filter(FORMAT_FAMILIES[filters.format][1])
    return releases


@dataclass(frozen=True)
class PressingOptions:
    """What the album's pressings offer to filter on: only values some pressing has."""

    countries: list
    decades: list
    formats: list  # (key, label, how many pressings)


OPTIONS_TTL = 24 * 3600


def pressing_options(album) -> PressingOptions:
    """Countries, decades and format families of the album's pressings. Cached under what
    they are read from (how many pressings, the last one synced), so a visit costs one small
    aggregate; a new or re-synced pressing is a new key."""
    version = album.releases.aggregate(n=Count("pk"), last=Max("refreshed_at"), top=Max("pk"))
    key = f"pressing-options:v1:{album.pk}:{version['n']}:{version['top']}:{version['last'] and version['last'].timestamp()}"
    options = cache.get(key)
    if options is None:
        options = _read_options(album)
        cache.set(key, options, OPTIONS_TTL)
    return options


def _read_options(album) -> PressingOptions:
    """In three queries whatever the number of pressings (each answers with a handful of rows)."""
    releases = album.releases.all()
    countries = list(releases.exclude(country="").order_by("country").values_list("country", flat=True).distinct())
    decades = list(
        releases.filter(year__isnull=False)
        .annotate(decade=F("year") / 10 * 10)
        .order_by("decade")
        .values_list("decade", flat=True)
        .distinct()
    )
    counts = releases.aggregate(**{f"n_{key}": Count("pk", filter=condition) for key, (_, condition) in FORMAT_FAMILIES.items()})
    formats = [(key, label, counts[f"n_{key}"]) for key, (label, _) in FORMAT_FAMILIES.items() if counts[f"n_{key}"]]
    return PressingOptions(countries, decades, formats)


def parse_pressing_filters(params, options: PressingOptions) -> tuple[PressingFilters, list[str]]:
    """The filters a request asks for, and what it asked that the album cannot give (each
    refused value is named and left out; the rest still applies)."""
    errors, country, decade, format_key = [], params.get("country", ""), None, params.get("format", "")
    if country and country not in options.countries:
        errors.append(f"No pressing of this album was made for “{country}”.")
        country = ""
    raw_decade = params.get("decade", "")
    if raw_decade:
        if raw_decade.isdigit() and int(raw_decade) in options.decades:
            decade = int(raw_decade)
        else:
            errors.append(f"No pressing of this album dates from the decade “{raw_decade}”.")
    if format_key and format_key not in {key for key, _, _ in options.formats}:
        errors.append(f"No pressing of this album has the format “{format_key}”.")
        format_key = ""
    return PressingFilters(country, decade, format_key), errors

"""Money, numbers and dates as the reader writes them: the one formatter every price sentence,
card, chart label, email, feed and the basket use ("17,50 €" and "3 de diciembre de 2026" in
Spanish, "€17.50" and "3 December 2026" in English, "hace 3 días" / "3 days ago").

Babel, not Django's formats: Django's `number_format` knows the decimal and thousands marks of
a language but not where its currency symbol goes (Spanish writes "17,50 €", English "€17.50"),
nor the currency's digits; Babel reads both from CLDR, as well as each language's long date
("3 de diciembre de 2026") and its relative times in every plural form, so a new language needs
no formatting code, only a line in LANGUAGE_LOCALES. Django's `date_format` long form would
also need our own format files to say "3 December 2026" rather than "Dec. 3, 2026".

Every function reads the active language (django.utils.translation.get_language(), set by
LocaleMiddleware, translation.override in emails and tasks), so callers never pass it. This
module lives in pricing (money is pricing's) so that pricing, accounts, recommendations, alerts
and vinilogy can call it; templates call it through the `locale_formats` filters (|money,
|number, |long_date, |ago). The JSON API never goes through it: its fields keep machine
formats (decimal strings, ISO dates) whatever the language.
"""

from copy import copy
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_date, format_timedelta
from babel.numbers import format_currency, format_decimal, parse_pattern
from django.utils import timezone
from django.utils.translation import get_language, gettext as _

CURRENCY = "EUR"
# Django language code → the CLDR locale whose conventions its readers follow: our English
# readers are in Europe, so "3 December 2026" (en_GB), not the US "December 3, 2026".
LANGUAGE_LOCALES = {"en": "en_GB", "es": "es_ES"}
DEFAULT_LOCALE = "en_GB"


def reader_locale() -> str:
    """The CLDR locale of the active language ("es_ES", "en_GB")."""
    language = (get_language() or "en").lower()
    return LANGUAGE_LOCALES.get(language) or LANGUAGE_LOCALES.get(language.split("-")[0], DEFAULT_LOCALE)


def money(amount: Decimal | float | int | str) -> str:
    """ "17,50 €" / "€17.50", "1.234,50 €" / "€1,234.50": euros, two decimals, the reader's marks."""
    return format_currency(Decimal(str(amount)), CURRENCY, locale=reader_locale())


def whole_money(amount: Decimal | float | int | str) -> str:
    """ "24 €" / "€24": a round amount where cents are noise (a chart's axis)."""
    locale = Locale.parse(reader_locale())
    pattern = _with_decimals(locale.currency_formats["standard"], 0)
    return pattern.apply(Decimal(str(amount)), locale, currency=CURRENCY, currency_digits=False)


def number(value: Decimal | float | int, decimals: int | None = None) -> str:
    """ "1.234.567" / "1,234,567", "4,5" / "4.5": a count or measure a person reads; `decimals`
    fixes how many digits follow the mark ("4,0" / "4.0" with 1)."""
    if decimals is None:
        return format_decimal(value, locale=reader_locale())
    locale = Locale.parse(reader_locale())
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)  # 4.25 → 4.3, as |floatformat did
    return _with_decimals(locale.decimal_formats[None], decimals).apply(rounded, locale)


def long_date(day: date | datetime) -> str:
    """ "3 de diciembre de 2026" / "3 December 2026" (a datetime in the site's time zone)."""
    return format_date(_local_day(day), format="long", locale=reader_locale())


def short_date(day: date | datetime) -> str:
    """ "3 dic 2026" / "3 Dec 2026": where a long date does not fit (a chart's axis)."""
    return format_date(_local_day(day), format="medium", locale=reader_locale())


def ago(moment: date | datetime, now: datetime | None = None) -> str:
    """ "today", "yesterday", "3 days ago", "2 months ago", "5 years ago" ("hoy", "ayer", "hace
    3 días"…): days up to 59, then months up to 23, then years, counted down (never rounded up)."""
    now = now or timezone.now()
    days = max((now - moment).days if isinstance(moment, datetime) else (now.date() - moment).days, 0)
    if days == 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    if days < 60:
        return _past(days, "day")
    if days < 730:
        return _past(days // 30 * 30, "month")
    return _past(days // 365 * 365, "year")


def since(moment: datetime, now: datetime | None = None) -> str:
    """ "just now", "5 minutes ago", "3 hours ago", "2 weeks ago" ("hace 5 minutos"…): a moment
    (a notification, a sync) to the nearest unit, where a price's age says only the day."""
    seconds = max(((now or timezone.now()) - moment).total_seconds(), 0)
    if seconds < 60:
        return _("just now")
    return format_timedelta(timedelta(seconds=-seconds), add_direction=True, locale=reader_locale())


def _past(days: int, unit: str) -> str:
    # An infinite threshold makes Babel count in `unit` itself (it would switch "45 days" to
    # "2 months"); the negative delta says "ago".
    return format_timedelta(
        timedelta(days=-days), granularity=unit, threshold=float("inf"), add_direction=True, locale=reader_locale()
    )


def _with_decimals(pattern, decimals: int):
    # A copy: Babel shares one pattern object per locale, and every later format would read a
    # change made to it.
    pattern = copy(parse_pattern(pattern))
    pattern.frac_prec = (decimals, decimals)
    return pattern


def _local_day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value

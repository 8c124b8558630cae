"""The sentences notifications say: what an offer costs and what its price includes (in
pricing.describe's words, the one home of price wording: a quote whose shipping is unknown is
never said to include it), and what a new pressing or album is."""
from django.utils.translation import gettext as _

from catalog.normalize import strip_discogs_suffix
from pricing import describe as prices
from pricing.countries import pressing_country


def pressing_phrase(release):
    """"A pressing (2024, EU, LP, Album, RE)": whatever of year, country and format is known."""
    if release is None:
        return _("A pressing")
    bits = [str(release.year) if release.year else "", pressing_country(release.country), release.format_summary]
    described = ", ".join(bit for bit in bits if bit)
    return _("A pressing (%(facts)s)") % {"facts": described} if described else _("A pressing")


def album_phrase(album):
    return _("%(title)s by %(artist)s") % {"title": album.title, "artist": album.artist.name}


def pressing_facts(release):
    """"1973, UK, Harvest, SHVL 804": the year, country, label and catalog number that are known."""
    bits = [str(release.year) if release.year else "", release.country, strip_discogs_suffix(release.label or ""), release.catalog_number]
    return ", ".join(bit for bit in bits if bit and bit.lower() != "none")


def offer_pressing(release):
    """Which pressing an offer is, for an alert: "An original pressing (1973, UK, Harvest, SHVL 804)";
    an offer whose listing does not say which (an eBay listing below the matching threshold) is
    "A copy (any pressing: the listing does not say which)"."""
    if release is None:
        return _("A copy (any pressing: the listing does not say which)")
    facts = pressing_facts(release)
    if not facts:
        return _("A pressing")
    phrases = {
        "original": _("An original pressing (%(facts)s)"),
        "repress": _("A repress (%(facts)s)"),
        "reissue": _("A reissue (%(facts)s)"),
        "remaster": _("A remaster (%(facts)s)"),
    }
    return phrases.get(release.edition, _("A pressing (%(facts)s)")) % {"facts": facts}


def offer_sentence(quote):
    """Which pressing is on offer and its price in pricing.describe's words: a sample says
    "sample" in that phrase."""
    condition = f", {quote.condition}" if quote.condition else ""
    return _("%(pressing)s of %(album)s is on offer: %(price)s%(condition)s, at %(store)s.") % {
        "pressing": offer_pressing(quote.release), "album": album_phrase(quote.album),
        "price": prices.price(quote), "condition": condition, "store": quote.store.name,
    }


def new_pressing_sentence(release):
    words = {"pressing": pressing_phrase(release), "album": album_phrase(release.album)}
    if release.label:
        return _("%(pressing)s of %(album)s appeared on %(label)s.") % {**words, "label": strip_discogs_suffix(release.label)}
    return _("%(pressing)s of %(album)s appeared.") % words


def new_album_sentence(album):
    words = {"artist": album.artist.name, "title": album.title, "year": album.first_release_year}
    if album.first_release_year:
        return _("A new studio album by %(artist)s: %(title)s (%(year)s).") % words
    return _("A new studio album by %(artist)s: %(title)s.") % words

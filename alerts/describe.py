"""The sentences notifications say: what an offer costs and what its price includes (in
pricing.describe's words, the one home of price wording: a quote whose shipping is unknown is
never said to include it), and what a new pressing or album is."""

from decimal import Decimal
from types import SimpleNamespace

from django.utils import translation
from django.utils.translation import gettext as _

from catalog.normalize import strip_discogs_suffix
from pricing import describe as prices
from pricing.countries import pressing_country

from .models import Notification

KIND_PRICE, KIND_PRICED = Notification.Kind.PRICE, Notification.Kind.PRICED
KIND_PRESSING, KIND_ALBUM = Notification.Kind.PRESSING, Notification.Kind.ALBUM


def pressing_phrase(release):
    """ "A pressing (2024, EU, LP, Album, RE)": whatever of year, country and format is known."""
    if release is None:
        return _("A pressing")
    bits = [str(release.year) if release.year else "", pressing_country(release.country), release.format_summary]
    described = ", ".join(bit for bit in bits if bit)
    return _("A pressing (%(facts)s)") % {"facts": described} if described else _("A pressing")


def album_phrase(album):
    return _("%(title)s by %(artist)s") % {"title": album.title, "artist": album.artist.name}


def pressing_facts(release):
    """ "1973, UK, Harvest, SHVL 804": the year, country, label and catalog number that are known."""
    bits = [
        str(release.year) if release.year else "",
        pressing_country(release.country),
        strip_discogs_suffix(release.label or ""),
        release.catalog_number,
    ]
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
        "pressing": offer_pressing(quote.release),
        "album": album_phrase(quote.album),
        "price": prices.price(quote),
        "condition": condition,
        "store": quote.store.name,
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


def release_day_sentence(release):
    return _("Out today: %(pressing)s of %(album)s.") % {
        "pressing": pressing_phrase(release),
        "album": album_phrase(release.album),
    }


def priced_sentence(quote):
    """A first price to the listener's door, in pricing.describe's words (a sample says so)."""
    return _("Now on sale to you: %(pressing)s of %(album)s, %(price)s at %(store)s.") % {
        "pressing": pressing_phrase(quote.release),
        "album": album_phrase(quote.album),
        "price": prices.price(quote),
        "store": quote.store.name,
    }


# What a price message says of its offer (the quote row itself changes with the next refresh).
OFFER_FACTS = ("total_eur", "item_eur", "shipping_kind", "item_location", "sample", "condition")


def offer_facts(quote):
    """The offer as the message states it, stored with the notification (Notification.facts)."""
    facts = {name: getattr(quote, name) for name in OFFER_FACTS}
    facts.update(total_eur=_decimal_text(quote.total_eur), item_eur=_decimal_text(quote.item_eur), store=quote.store.name)
    return facts


def _decimal_text(value):
    return None if value is None else str(value)


def _offer_as_stated(notification):
    facts = notification.facts
    offer = {name: facts.get(name) for name in OFFER_FACTS}
    for name in ("total_eur", "item_eur"):
        offer[name] = None if offer[name] is None else Decimal(offer[name])
    return SimpleNamespace(
        **offer,
        store=SimpleNamespace(name=facts.get("store", "")),
        release=notification.release,
        album=notification.album,
    )


def rewrite(notification):
    """The notification's sentence written again in the active language from what it is about,
    or None when what it said can no longer be told (its pressing is gone, or a price message
    stored before its offer's facts were kept)."""
    kind, release = notification.kind, notification.release
    if kind in (KIND_PRICE, KIND_PRICED):
        if not notification.facts:
            return None
        offer = _offer_as_stated(notification)
        return offer_sentence(offer) if kind == KIND_PRICE else priced_sentence(offer)
    if kind == KIND_ALBUM:
        return new_album_sentence(notification.album)
    if release is None:
        return None
    release.album = notification.album
    return new_pressing_sentence(release) if kind == KIND_PRESSING else release_day_sentence(release)


def in_reader_language(notification):
    """The message in the reader's language: as stored when written in it, else written again."""
    language = translation.get_language() or ""
    if not notification.language or notification.language == language:
        return notification.message
    return rewrite(notification) or notification.message

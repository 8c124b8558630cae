"""The sentences notifications say: what an offer costs and what its price includes (in
pricing.describe's words, the one home of price wording: a quote whose shipping is unknown is
never said to include it), and what a new pressing or album is."""
from catalog.normalize import strip_discogs_suffix
from pricing import describe as prices


def pressing_phrase(release):
    """"A 2024 Europe LP, Album, RE pressing" (whatever of year, country and format is known)."""
    if release is None:
        return "A pressing"
    bits = [str(release.year) if release.year else "", release.country, release.format_summary]
    described = " ".join(bit for bit in bits if bit)
    return f"A {described} pressing" if described else "A pressing"


def album_phrase(album):
    return f"{album.title} by {album.artist.name}"


def offer_sentence(quote):
    """The price in pricing.describe's words: a sample says "sample" in that phrase."""
    condition = f", {quote.condition}" if quote.condition else ""
    return (
        f"{pressing_phrase(quote.release)} of {album_phrase(quote.album)} is on offer: "
        f"{prices.price(quote)}{condition}, at {quote.store.name}."
    )


def new_pressing_sentence(release):
    label = f" on {strip_discogs_suffix(release.label)}" if release.label else ""
    return f"{pressing_phrase(release)} of {album_phrase(release.album)} appeared{label}."


def new_album_sentence(album):
    year = f" ({album.first_release_year})" if album.first_release_year else ""
    return f"A new studio album by {album.artist.name}: {album.title}{year}."

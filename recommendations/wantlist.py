"""The listener's wantlist as one list: the albums wantlisted here and the pressings on their
Discogs wantlist, cheapest landed price first, then those whose landed price is unknown.

One entry per album: an album wantlisted here and on Discogs, or two of its pressings on the
Discogs wantlist, is one entry priced once, as the basket counts it (any acceptable pressing
of the album, recommendations.basket). A Discogs want whose pressing is not linked to an album
yet is an entry of its own, with no price. Five queries, however long the list.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q

from accounts.models import CollectionItem
from catalog.models import Album, Release
from pricing.filters import BuyingFilters
from pricing.models import PriceQuote
from pricing.queries import AlbumPrice, album_prices, attach_price_charts

from .models import Feedback


@dataclass
class Want:
    """One entry: an album (or a lone Discogs pressing when `album` is None), where it is
    wanted, and what it costs the listener."""

    album: Album | None
    here: bool = False  # wantlisted on this site
    discogs_pressings: list = field(default_factory=list)  # its pressings on the Discogs wantlist
    price: AlbumPrice = AlbumPrice()
    history: list = field(default_factory=list)  # its pressings with a price history to show

    @property
    def priced_pressings(self):
        """The pressings that may have a price history: the album's priced ones, or the lone pressing."""
        return list(self.album.priced_pressings) if self.album is not None else self.discogs_pressings

    @property
    def sort_key(self):
        """Landed total ascending; then unknown ones: item-only prices ascending, then unpriced;
        by artist and title on ties."""
        best, item_only = self.price.best, self.price.from_quote
        if best is not None:
            return (0, best.total_eur, *self._names)
        if item_only is not None:
            return (1, item_only.item_eur, *self._names)
        return (2, 0, *self._names)

    @property
    def _names(self):
        if self.album is not None:
            return (self.album.artist.name.lower(), self.album.title.lower())
        pressing = self.discogs_pressings[0]
        return (pressing.artist_credit.lower(), pressing.title.lower())


def wants(user, filters: BuyingFilters) -> list[Want]:
    """The listener's wantlist, here and on Discogs, one entry per album, cheapest first; each
    priced under their buying filters, with the price history of its pressings to the
    listener's country."""
    discogs = _discogs_wanted_pressings(user)
    by_album = {}
    for pressing in discogs:
        by_album.setdefault(pressing.album_id, []).append(pressing)
    albums = _wanted_albums(user, [pk for pk in by_album if pk is not None])
    prices = album_prices([album.pk for album in albums], filters)
    entries = [Want(album, album.here, by_album.get(album.pk, []), prices[album.pk]) for album in albums]
    entries += [Want(None, discogs_pressings=[pressing]) for pressing in by_album.get(None, [])]
    attach_price_charts([pressing for entry in entries for pressing in entry.priced_pressings], filters.country)
    for entry in entries:  # a chart, or the sentence saying there are too few days for one
        entry.history = [pressing for pressing in entry.priced_pressings if pressing.chart_svg or pressing.chart_text]
    return sorted(entries, key=lambda entry: entry.sort_key)


def _discogs_wanted_pressings(user):
    items = CollectionItem.objects.filter(user=user, folder=CollectionItem.Folder.WANTLIST)
    return list(Release.objects.filter(pk__in=items.values("release_id")).order_by("pk"))


def _wanted_albums(user, discogs_album_ids):
    """The albums wantlisted here or on Discogs, each with `here` and its `priced_pressings`
    (those with a price seen: the others have no history to draw)."""
    here = Feedback.objects.filter(user=user, kind=Feedback.Kind.WANTLIST)
    priced = Release.objects.filter(Exists(PriceQuote.objects.filter(release=OuterRef("pk")))).order_by("pk")
    albums = (
        Album.objects.filter(Q(pk__in=here.values("album_id")) | Q(pk__in=discogs_album_ids))
        .annotate(here=Exists(here.filter(album=OuterRef("pk"))))
        .select_related("artist")
        .prefetch_related(Prefetch("releases", queryset=priced, to_attr="priced_pressings"))
    )
    return list(albums)

"""A small catalog and one listener, built with factories, for the recommendation tests.

Radiohead is the listener's most played artist (Last.fm), Portishead was added by hand.
Similarity edges lead from them to Blur, Massive Attack, Tricky and Muse (blocked). Every
artist has studio albums with vinyl pressings; some have prices shipping to Spain. Around
them: an owned album, a live album, an album with too few tracks and one with no vinyl.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from accounts.factories import CollectionItemFactory, SeedArtistFactory, UserFactory
from catalog.factories import AlbumFactory, ArtistFactory, ArtistSimilarityFactory, ArtistTagFactory, ReleaseFactory
from pricing.best_price import refresh_best_prices
from pricing.factories import PriceQuoteFactory, StoreFactory


@dataclass
class World:
    user: object
    artists: dict = field(default_factory=dict)
    albums: dict = field(default_factory=dict)
    releases: dict = field(default_factory=dict)

    def album(self, title):
        return self.albums[title]


def _artist(world, name, genre):
    artist = ArtistFactory(name=name)
    ArtistTagFactory(artist=artist, tag__name=genre)
    world.artists[name] = artist
    return artist


def _album(world, artist, title, *, want=500, have=1000, year=2000, price=None, **fields):
    album = AlbumFactory(artist=artist, title=title, first_release_year=year, **fields)
    world.albums[title] = album
    release = ReleaseFactory(album=album, want=want, have=have, year=year, country="Europe")
    world.releases[title] = release
    if price is not None:
        store = StoreFactory(name="Discogs")
        PriceQuoteFactory(release=release, album=album, store=store, amount=Decimal(price), shipping=Decimal("0"), ships_to="ES")
    return album


CATALOG = {
    # artist: (genre, [(title, want, price or None)])
    "Radiohead": ("alternative", [("OK Computer", 9000, "27.40"), ("Kid A", 7000, "31.00"), ("Amnesiac", 3000, None)]),
    "Portishead": ("trip-hop", [("Dummy", 6000, "24.99"), ("Third", 2500, "29.00")]),
    "Blur": ("britpop", [("Parklife", 4000, "19.50"), ("13", 2000, None)]),
    "Massive Attack": ("trip-hop", [("Mezzanine", 5000, "22.00"), ("Blue Lines", 4500, None)]),
    "Tricky": ("trip-hop", [("Maxinquaye", 1500, "35.00")]),
    "Muse": ("alternative", [("Origin of Symmetry", 3000, "25.00")]),
}
EDGES = [
    ("Radiohead", "Blur", 0.8, "lastfm"),
    ("Radiohead", "Muse", 0.9, "lastfm"),
    ("Radiohead", "Portishead", 0.5, "colisten"),
    ("Portishead", "Massive Attack", 0.9, "lastfm"),
    ("Portishead", "Tricky", 0.7, "colisten"),
    ("Radiohead", "Massive Attack", 0.4, "colisten"),
]


def build_world(*, country="ES") -> World:
    world = World(user=UserFactory())
    world.user.profile.country = country
    world.user.profile.save()
    for name, (genre, albums) in CATALOG.items():
        artist = _artist(world, name, genre)
        for title, want, price in albums:
            _album(world, artist, title, want=want, price=price)
    for source, target, score, kind in EDGES:
        ArtistSimilarityFactory(from_artist=world.artists[source], to_artist=world.artists[target], score=score, source=kind)
    _listener(world)
    _excluded_albums(world)
    refresh_best_prices()
    return world


def _listener(world):
    SeedArtistFactory(user=world.user, artist=world.artists["Radiohead"], source="lastfm", weight=20.0, playcount=1204)
    SeedArtistFactory(user=world.user, artist=world.artists["Portishead"], source="manual", weight=8.0)
    world.user.profile.blocked_artists.add(world.artists["Muse"])


def _excluded_albums(world):
    radiohead = world.artists["Radiohead"]
    _album(world, radiohead, "The Bends", want=8000, price="20.00")
    CollectionItemFactory(user=world.user, release=world.releases["The Bends"])
    _album(world, radiohead, "I Might Be Wrong", want=9999, is_studio=False)
    _album(world, radiohead, "Airbag EP", want=9999, track_count=3)
    # No vinyl pressing at all.
    world.albums["Hail to the Thief"] = AlbumFactory(artist=radiohead, title="Hail to the Thief")


EXCLUDED = {"The Bends", "I Might Be Wrong", "Airbag EP", "Hail to the Thief"}

"""A demo catalog big enough for a full recommendations grid, built with factories.

Used by the view tests that need a full grid of made-up rows (the browser tests and
benchmarks/pages.py use the real offline demo instead: `load_demo`): ten artists joined by similarity edges,
33 studio albums with tracklists, two to four vinyl pressings each, Discogs and eBay offers
shipping to Spain with a few weeks of price history, a local record store, a demo listener
(Radiohead from Last.fm, Portishead added by hand) and an operator.

Deterministic (a seeded random generator), no external host anywhere but store links: no
covers or Spotify ids, so pages render our own placeholders and load nothing from outside.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.factories import SeedArtistFactory, UserFactory
from catalog.factories import AlbumFactory, ArtistFactory, ArtistSimilarityFactory, ArtistTagFactory, ReleaseFactory, TrackFactory
from pricing.best_price import refresh_best_prices
from pricing.factories import PriceQuoteFactory, StoreFactory

DEMO_PASSWORD = "demo-listener-pass-1"
OPERATOR_PASSWORD = "operator-pass-1"

CATALOG = {
    "Radiohead": (
        "alternative",
        [("The Bends", 1995), ("OK Computer", 1997), ("Kid A", 2000), ("Amnesiac", 2001), ("In Rainbows", 2007)],
    ),
    "Portishead": ("trip-hop", [("Dummy", 1994), ("Portishead", 1997), ("Third", 2008)]),
    "Massive Attack": ("trip-hop", [("Blue Lines", 1991), ("Protection", 1994), ("Mezzanine", 1998), ("Heligoland", 2010)]),
    "Björk": ("art pop", [("Debut", 1993), ("Post", 1995), ("Homogenic", 1997), ("Vespertine", 2001)]),
    "Blur": ("britpop", [("Parklife", 1994), ("The Great Escape", 1995), ("Blur", 1997), ("13", 1999)]),
    "Tricky": ("trip-hop", [("Maxinquaye", 1995), ("Pre-Millennium Tension", 1996)]),
    "Boards of Canada": (
        "electronic",
        [("Music Has the Right to Children", 1998), ("Geogaddi", 2002), ("Tomorrow's Harvest", 2013)],
    ),
    "Aphex Twin": ("electronic", [("Selected Ambient Works 85-92", 1992), ("Richard D. James Album", 1996), ("Syro", 2014)]),
    "PJ Harvey": (
        "alternative",
        [("Rid of Me", 1993), ("To Bring You My Love", 1995), ("Stories from the City, Stories from the Sea", 2000)],
    ),
    "Sigur Rós": ("post-rock", [("Ágætis byrjun", 1999), ("( )", 2002)]),
}
EDGES = [
    ("Radiohead", "Blur", 0.8),
    ("Radiohead", "PJ Harvey", 0.6),
    ("Radiohead", "Sigur Rós", 0.7),
    ("Radiohead", "Björk", 0.6),
    ("Radiohead", "Massive Attack", 0.4),
    ("Radiohead", "Boards of Canada", 0.45),
    ("Portishead", "Massive Attack", 0.9),
    ("Portishead", "Tricky", 0.8),
    ("Portishead", "Björk", 0.5),
    ("Portishead", "Aphex Twin", 0.35),
    ("Massive Attack", "Boards of Canada", 0.5),
    ("Björk", "Aphex Twin", 0.6),
]
PRESSING_PLACES = [("UK", "Parlophone"), ("US", "Capitol"), ("Europe", "XL Recordings"), ("Japan", "Toshiba EMI")]
FORMATS = ["LP, Album", "2xLP, Album, RE", "LP, Album, RP, 180g", "LP, Album, Ltd, Col"]


@dataclass
class DemoWorld:
    listener: object
    operator: object
    artists: dict = field(default_factory=dict)
    albums: dict = field(default_factory=dict)


def build_demo_world(*, history_days=(42, 28, 14)) -> DemoWorld:
    rng = random.Random(1997)
    world = DemoWorld(
        listener=_user("demo", DEMO_PASSWORD), operator=_user("operator", OPERATOR_PASSWORD, is_staff=True, is_superuser=True)
    )
    stores = _stores()
    for number, (name, (genre, albums)) in enumerate(CATALOG.items()):
        artist = ArtistFactory(name=name, listeners=rng.randint(200_000, 4_000_000), discogs_id=3840 + number)
        ArtistTagFactory(artist=artist, tag__name=genre)
        world.artists[name] = artist
        for title, year in albums:
            world.albums[title] = _album(rng, artist, title, year, genre, stores, history_days)
    for source, target, score in EDGES:
        ArtistSimilarityFactory(from_artist=world.artists[source], to_artist=world.artists[target], score=score)
    SeedArtistFactory(user=world.listener, artist=world.artists["Radiohead"], source="lastfm", weight=20.0, playcount=1204)
    SeedArtistFactory(user=world.listener, artist=world.artists["Portishead"], source="manual", weight=8.0)
    refresh_best_prices()
    return world


def _user(username, password, **flags):
    user = UserFactory(username=username, email=f"{username}@vinilogy.local", **flags)
    user.set_password(password)
    user.save()
    return user


def _stores():
    StoreFactory(
        name="Discos Paradiso",
        kind="local",
        city="Madrid",
        country="ES",
        search_url_template="https://discosparadiso.example/buscar?q={query}",
    )
    return {"discogs": StoreFactory(name="Discogs marketplace", kind="discogs"), "ebay": StoreFactory(name="eBay", kind="ebay")}


def _album(rng, artist, title, year, genre, stores, history_days):
    album = AlbumFactory(
        artist=artist, title=title, first_release_year=year, genre=genre, track_count=10, releases_refreshed_at=timezone.now()
    )
    for sequence in range(1, 11):
        side = "A" if sequence <= 5 else "B"
        TrackFactory(
            album=album,
            sequence=sequence,
            position=f"{side}{(sequence - 1) % 5 + 1}",
            title=f"{title} part {sequence}",
            duration_seconds=rng.randint(150, 420),
        )
    for index in range(rng.randint(2, 4)):
        _pressing(rng, album, index, year, stores, history_days)
    return album


def _pressing(rng, album, index, year, stores, history_days):
    country, label = PRESSING_PLACES[index]
    release = ReleaseFactory(
        album=album,
        country=country,
        label=label,
        year=year + index * 7,
        is_main_release=index == 0,
        catalog_number=f"{label[:3].upper()} {rng.randint(100, 999)}",
        format_summary=FORMATS[index],
        rating_average=round(rng.uniform(3.6, 4.9), 2),
        rating_count=rng.randint(20, 900),
        want=rng.randint(100, 9000),
        have=rng.randint(500, 12000),
    )
    base = Decimal(rng.randint(18, 45))
    _discogs_history(release, stores["discogs"], base, history_days)
    if index == 0 or rng.random() < 0.4:
        shipping = Decimal("6.50")
        PriceQuoteFactory(
            release=release,
            album=album,
            store=stores["ebay"],
            offer_key=f"ebay-{release.discogs_id}",
            condition="NM",
            amount=base - 2,
            shipping=shipping,
            total_eur=base - 2 + shipping,
            seller=f"vinyl_{rng.randint(10, 99)}",
            item_location="DE",
            ships_to="ES",
            title=f"{album.artist.name} – {album.title} LP",
            url=f"https://www.ebay.es/itm/{release.discogs_id}",
        )


def _discogs_history(release, store, base, history_days):
    """Older lowest prices are retired quotes; today's is the current one."""
    now = timezone.now()
    for step, days_ago in enumerate((*history_days, 0)):
        total = base + Decimal(len(history_days) - step) * Decimal("1.75")
        PriceQuoteFactory(
            release=release,
            album=release.album,
            store=store,
            offer_key=f"lowest-{release.discogs_id}",
            amount=total,
            shipping=Decimal("0"),
            total_eur=total,
            ships_to="ES",
            num_for_sale=7 + step,
            is_current=days_ago == 0,
            fetched_at=now - timedelta(days=days_ago),
            url=release.marketplace_url,
        )

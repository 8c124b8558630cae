"""The offline demo catalog: real data only, each piece with its source (vinilogy/demo_data/SOURCES.md).

`load_demo()` adds, in this order (its `steps` list), and a second run adds nothing:

1. the Rolling Stone 500 list (TidyTuesday, CC0): artists and famous albums, studio or the
   list's reason why not (Live, Compilation...), with their Spotify album ids;
2. the Discogs data dump samples (CC0, demo_data/discogs-dumps), through the dump importer;
3. the ECB rates of the recorded day;
4. the real ingestion chain over recorded API answers: the replay adapter serves
   demo_data/replay, and demo_data/chain.json lists the steps that were recorded
   (an unrecorded request would fail loudly, so nothing is ever made up);
5. a Discogs marketplace sample (grigorjevas, MIT) as observed Discogs listings in EUR;
6. the demo listener: recorded Last.fm top albums and Discogs collection and wantlist pages,
   through accounts.services like any listener's sync;
7. the demo listener's picks: artists of the catalog added by hand (`DEMO_PICKS`);
8. albums for the pressings still without one (catalog.orphans), found by title or made
   from what the pressings say;
9. the studio verdicts of albums made before their pressings came, from what those say;
10. SAMPLE seller inventories: the demo listener's recommended albums have almost no recorded
   price, so four sample sellers (SAMPLE-…, in ES, DE, FR and NL) list real pressings of them
   in Discogs' documented inventory shape (demo_data/replay/sample_inventories, built by
   demo_data/build_sample_inventories.py). They are read through the real crawl
   (pricing.inventory) over the replay adapter, and every quote is flagged `sample`: this is
   the only code that sets it;
11. a SAMPLE price history for those sample offers (`add_sample_price_history`), so that the
   deal score, which judges a sample offer only against sample observations, has a usual
   price to judge them by: every observation flagged `sample` too;
12. the best prices of every album;
13. the demo listener's alerts: a watch that fires on a landed demo offer, and a new pressing
   found by a replayed refresh (`add_demo_alerts`).

Albums without recorded pressings or prices stay that way: the site says "not synced yet".
Covers are the real URLs the recordings hold (a Discogs image on its current host, the Cover
Art Archive front of each recorded release group, Last.fm's for OK Computer); recorded links
to Discogs' retired image host are dropped. Offline no cover loads, and each album shows its
designed sleeve (catalog.sleeve).
"""

import csv
import json
import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test.utils import override_settings
from django.utils import timezone

from accounts import services as accounts, sources as listening_sources
from accounts.filters import buying_filters
from accounts.models import ListeningSource
from accounts.sources.discogs import discogs_release_entry
from accounts.sources.lastfm import lastfm_payload
from alerts import watches as alert_watches
from alerts.follows import followed_artist_ids
from alerts.models import Watch
from catalog import services, studio
from catalog.dump_import import import_dump_files
from catalog.editions import classify_albums
from catalog.matching import title_confidence
from catalog.models import Album, Artist, Release, Source, YearSource
from catalog.normalize import is_various_artists, normalize_artist_name, normalize_title
from catalog.orphans import link_orphans, pressing_descriptions
from catalog.services.covers import sync_album_cover
from catalog.upsert import upsert_album, upsert_artist, upsert_release, with_source_on_create
from integrations import runs
from integrations.discogs import DiscogsClient
from integrations.lastfm import ChartArtist, LastfmClient
from pricing import inventory, sources as price_sources
from pricing.filters import filter_quotes
from pricing.models import ExchangeRate, PriceQuote, Seller
from pricing.offers import Offer, record_offer, retire_offer
from pricing.services import refresh_album_prices, refresh_best_prices, refresh_exchange_rates

# Everything the demo loads is its own (vinilogy/demo_data, SOURCES.md there): it never reads a
# tests folder (tests may read demo_data).
DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
REPLAY_DIR = DEMO_DIR / "replay"
CHAIN_FILE = DEMO_DIR / "chain.json"
ROLLING_STONE_CSV = DEMO_DIR / "rolling_stone.csv"
MARKETPLACE_CSV = DEMO_DIR / "discogs_marketplace_sample.csv"
DUMP_DIR = DEMO_DIR / "discogs-dumps"
DUMP_FILES = ("artists", "masters", "releases")
DEMO_USERNAME = "demo"

ROLLING_STONE = "Rolling Stone list"
SPOTIFY_ALBUM_ID = re.compile(r"^(?:spotify:album:)?([A-Za-z0-9]{22})$")


# --- replaying the recorded answers ------------------------------------------------------------


@contextmanager
def replaying(folder=REPLAY_DIR, **extra):
    """Every client reads recorded answers from `folder`; nothing reaches the network.

    Rate limits are off (no provider is called) and credentials are blanked, so the clients
    make the requests an unconfigured site makes; Last.fm needs some key to build its client."""
    values = {
        "VINILOGY_REPLAY_DIR": str(folder),
        "RATE_LIMITS": {limiter: 0 for limiter in settings.RATE_LIMITS},  # every provider's, whatever registers one
        "LASTFM_API_KEY": "demo-replay",
        "DISCOGS_TOKEN": "",
        "DISCOGS_CONSUMER_KEY": "",
        "DISCOGS_CONSUMER_SECRET": "",
        "SPOTIFY_CLIENT_SECRET": "",  # no Spotify app call was recorded (covers would ask one)
        "EBAY_CLIENT_ID": "",
        "EBAY_CLIENT_SECRET": "",
    }
    with override_settings(**{**values, **extra}):
        yield


def load_chain_manifest(path=CHAIN_FILE):
    return json.loads(Path(path).read_text(encoding="utf-8"))


# --- 1. the Rolling Stone list -----------------------------------------------------------------


def load_rolling_stone(path=ROLLING_STONE_CSV):
    """Artists and albums of the Rolling Stone 500 (2003, 2012, 2020 editions); returns rows used."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if not is_various_artists(row["clean_name"])]
    with transaction.atomic():
        for row in rows:
            save_rolling_stone_row(row)
    return len(rows)


def save_rolling_stone_row(row):
    artist = with_source_on_create(upsert_artist(row["clean_name"].strip()), Source.ROLLING_STONE)
    # The list's own type ("Studio", "Live", "Compilation"...) and the title are the facts it gives.
    listed = studio.Facts(listed_as=(ROLLING_STONE, row["type"].strip()), title=row["album"].strip())
    is_studio, reason = studio.verdict(listed)
    result = upsert_album(
        artist,
        row["album"].strip(),
        spotify_id=rolling_stone_spotify_id(row),
        first_release_year=int(row["release_year"]) if row["release_year"].isdigit() else None,
        year_source=YearSource.LIST,
        genre=row["genre"].strip(),
        is_studio=is_studio,
        exclusion_reason=reason,
    )
    return with_source_on_create(result, Source.ROLLING_STONE)


def rolling_stone_spotify_id(row):
    """The Spotify album id: from spotify_url (the list's album_id says NOS… when not on Spotify)."""
    for value in (row.get("spotify_url", ""), row.get("album_id", "")):
        match = SPOTIFY_ALBUM_ID.match(value.strip())
        if match:
            return match.group(1)
    return None


# --- 2. the Discogs dump samples ---------------------------------------------------------------


def dump_sample_paths():
    return [DUMP_DIR / f"discogs_20200806_{kind}.sample.xml.gz" for kind in DUMP_FILES]


def load_dump_samples():
    return import_dump_files(dump_sample_paths())


# --- 3. the recorded ingestion chain -----------------------------------------------------------


def run_recorded_chain(manifest):
    """The catalog services, step by step, on exactly what the recordings cover."""
    for entry in manifest.get("artists", ()):
        run_artist_steps(entry)
    for entry in manifest.get("pressings", ()):
        run_pressing_steps(entry)
    for entry in manifest.get("covers", ()):
        run_cover_step(entry)


def run_artist_steps(entry):
    artist = services.get_or_create_artist(name=entry.get("name"), mbid=entry.get("mbid"))
    steps = entry["steps"]
    if "similars" in steps:
        services.sync_artist_similars(artist)
    if "albums" in steps:
        services.sync_artist_albums(artist)
    return artist


def run_pressing_steps(entry):
    album = _album_of_pressing(entry["discogs_id"], entry.get("master_id"))
    if album is None or Release.objects.filter(discogs_id=entry["discogs_id"]).exists():
        # A pressing that is not vinyl leaves no Release row: its album, once known, is enough.
        services.get_or_create_release(entry["discogs_id"])
        album = _album_of_pressing(entry["discogs_id"], entry.get("master_id"))
    if album is None:
        return None
    if "album_releases" in entry["steps"]:
        services.sync_album_releases(album)
    if "tracklist" in entry["steps"]:  # the master's standard tracklist and first-release year
        services.sync_album_tracklist(album)
    if "prices" in entry["steps"]:
        refresh_album_prices(album)
    return album


def run_cover_step(entry):
    """The album's cover from the sources ranked below Discogs (catalog.services.covers), for
    an album whose recorded Discogs image is on a retired host."""
    album = (
        Album.objects.filter(
            artist__normalized_name=normalize_artist_name(entry["artist"]), normalized_title=normalize_title(entry["title"])
        )
        .select_related("artist")
        .first()
    )
    return sync_album_cover(album) if album is not None else None


def _album_of_pressing(discogs_id, master_id=None):
    release = Release.objects.filter(discogs_id=discogs_id).select_related("album").first()
    if release is not None and release.album is not None:
        return release.album
    return Album.objects.filter(discogs_master_id=master_id).first() if master_id else None


def load_exchange_rates():
    """The recorded day's ECB rates, once: they never change, so a second run asks nothing."""
    if ExchangeRate.objects.exists():
        runs.note("cache_hits")
        return 0
    return refresh_exchange_rates()


# --- 5. the Discogs marketplace sample ---------------------------------------------------------


SAMPLE_NOTE = "Discogs listing seen in a 2021 marketplace sample (grigorjevas, MIT); not a live offer"
# The sample has no observation date; the scraper's repository added it in this commit
# (5e885f9e), so each listing was seen no later than then: the date its quote keeps.
SAMPLE_OBSERVED_AT = datetime(2021, 3, 15, 19, 20, 23, tzinfo=UTC)
RELEASE_ID = re.compile(r"/release/(\d+)")
ARTIST_TAIL = re.compile(r"\*|\s+(?:&|With|Feat\.?)\s*$")


def load_marketplace_sample(path=MARKETPLACE_CSV):
    """Each listing as a Discogs quote in EUR on its pressing; returns quotes recorded."""
    store = price_sources.get("discogs").store()
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    recorded = 0
    for row in rows:
        offer_key = sample_offer_key(row)
        if offer_key is None or PriceQuote.objects.filter(store=store, offer_key=offer_key).exists():
            continue
        recorded += record_sample_listing(row, store, offer_key)
    return recorded


def sample_offer_key(row):
    match = RELEASE_ID.search(row["release_page"])
    if not match:
        return None
    return f"sample:{match.group(1)}:{row['media_condition']}:{row['price']}"


def record_sample_listing(row, store, offer_key):
    artist_name = ARTIST_TAIL.sub("", row["artist"]).strip()
    if not artist_name or is_various_artists(artist_name):
        return 0  # a compilation has no album of ours to hang a price on
    release = sample_release(row, artist_name)
    album = release.album or sample_album(artist_name, row["title"], release)
    conditions = {label: value for value, label in PriceQuote.Condition.choices}
    offer = Offer(
        album=album,
        store=store,
        offer_key=offer_key,
        release=release,
        currency="EUR",
        amount=Decimal(row["price"]),
        condition=conditions.get(row["media_condition"], ""),
        title=SAMPLE_NOTE,
        url=release.marketplace_url,
    )
    record_offer(offer, rates={}, fetched_at=SAMPLE_OBSERVED_AT)
    runs.note("created")
    return 1


def sample_release(row, artist_name):
    discogs_id = int(RELEASE_ID.search(row["release_page"]).group(1))
    label, catno = split_label(row["label"])
    year = re.search(r"(\d{4})\s*$", row["release_date"])
    fields = {
        "title": row["title"],
        "artist_credit": artist_name,
        "label": label,
        "catalog_number": catno,
        "format_summary": row["release_format"],
        "year": int(year.group(1)) if year else None,
        "have": int(row["have"]) if row["have"].isdigit() else None,
        "want": int(row["want"]) if row["want"].isdigit() else None,
        "source": Source.DISCOGS,
    }
    return runs.counted(upsert_release(discogs_id, **fields))


def split_label(text):
    """("Mute", "CABS 26") from the listing's "Mute ‎– CABS 26, Mute ‎– 5051083078788": the first label."""
    name, _, catno = text.split(",")[0].partition("–")
    return name.replace("\u200e", "").strip(), catno.strip()


def sample_album(artist_name, title, release):
    """The listed pressing's album: one of the artist's albums with the same title, else a new
    album judged, as any album first seen through a pressing, by what the listing's format says."""
    artist = with_source_on_create(upsert_artist(artist_name), Source.DISCOGS)
    album = next((a for a in artist.albums.all() if title_confidence(artist_name, a.title, artist_name, title) >= 0.9), None)
    if album is None:
        described = frozenset(pressing_descriptions([], release.format_summary))
        is_studio, reason = studio.verdict(studio.Facts(credit=artist_name, descriptions=described, title=title))
        result = upsert_album(artist, title, is_studio=is_studio, exclusion_reason=reason)
        album = with_source_on_create(result, Source.DISCOGS)
    Release.objects.filter(pk=release.pk).update(album=album)
    release.album = album
    return album


# --- 6. the demo listener ----------------------------------------------------------------------


def load_demo_listener(listener_manifest, username=DEMO_USERNAME):
    """The demo user's listening and collection from the recordings, stored as any sync would."""
    user = demo_user(username)
    if user.snapshots.exists():
        runs.note("cache_hits")
        return user  # the recordings never change: what is stored is what they say
    # The taste below is what these two public accounts' recorded answers say, so the
    # onboarding page shows both sources as connected, as for a listener who synced them.
    listening_sources.get("lastfm").set_username(user, listener_manifest["lastfm_user"])
    listening_sources.get("discogs").set_username(user, listener_manifest["discogs_user"])
    top_albums = (
        LastfmClient.from_settings()
        .user_top_albums(listener_manifest["lastfm_user"], limit=listener_manifest["lastfm_limit"])
        .items
    )
    payload = lastfm_payload(artists_of_albums(top_albums), top_albums)
    accounts.store_payloads(user, ListeningSource.LASTFM, {"overall": payload})
    accounts.rebuild_seeds(user, ListeningSource.LASTFM)
    payloads = discogs_payloads(DiscogsClient.from_settings(), listener_manifest)
    accounts.store_payloads(user, ListeningSource.DISCOGS, payloads)
    accounts.store_collection(user, payloads, ListeningSource.DISCOGS)
    accounts.rebuild_seeds(user, ListeningSource.DISCOGS)
    return user


# The demo listener's own picks, added by hand as any listener adds artists. The recorded taste
# links to nine studio albums of the catalog (the rest of the recorded collection and top
# albums are not in it), too few for a grid: these are artists of the recorded catalog beside
# that collection's post-punk, rock, blues and jazz (The Fall, Big Star, Lee Konitz…), with a
# studio album on vinyl each; Nirvana's recorded Last.fm similar artists lead to Jeff Buckley.
# The Red Crayola (post-punk, beside The Fall) keeps a spare album for a dismissed card since
# the studio verdict reads styles: the collection's Yellow Submarine is a soundtrack.
DEMO_PICKS = (
    "Nirvana",
    "That Petrol Emotion",
    "The Woodentops",
    "The Human League",
    "New York Dolls",
    "Led Zeppelin",
    "Dr. John",
    "Ry Cooder",
    "Muddy Waters",
    "Jackie McLean",
    "Ron Carter",
    "James Brown",
    "Horace Andy",
    "The Red Crayola",
)


def add_demo_picks(username=DEMO_USERNAME, names=DEMO_PICKS):
    """The picks the catalog has, as the demo listener's artists added by hand (never made up:
    a name the catalog lacks is left out). Returns how many."""
    user = demo_user(username)
    artists = Artist.objects.filter(normalized_name__in=[normalize_artist_name(name) for name in names])
    # The recorded catalog is all the demo has: building more would ask what nothing recorded.
    with override_settings(BUILD_CATALOG_ON_TASTE=False):
        for artist in artists:
            accounts.add_seed_artist(user, artist)
    return len(artists)


def artists_of_albums(top_albums):
    """Top artists as the recorded top albums name them (user.getTopArtists of this listener
    was not recorded): each album's plays count for its artist, a lower bound of the truth."""
    artists = {}
    for album in top_albums:
        known = artists.get(album.artist_name)
        plays = album.playcount + (known.playcount if known else 0)
        artists[album.artist_name] = ChartArtist(album.artist_name, album.artist_mbid, None, "", None, playcount=plays)
    return sorted(artists.values(), key=lambda artist: -artist.playcount)


def discogs_payloads(client, manifest):
    """The recorded pages of the collection and wantlist (not every page was recorded)."""
    username = manifest["discogs_user"]
    collection = [item for page in manifest["collection_pages"] for item in client.collection_page(username, page=page).items]
    wantlist = [item for page in manifest["wantlist_pages"] for item in client.wantlist_page(username, page=page).items]
    return {
        "collection": {"releases": [discogs_release_entry(item) for item in collection]},
        "wantlist": {"releases": [discogs_release_entry(item) for item in wantlist]},
    }


def demo_user(username=DEMO_USERNAME):
    """The demo listener (setup_local gives it a password; here it may not have one yet)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@vinilogy.local"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


# --- 8. the sample seller inventories ----------------------------------------------------------

# Sample sellers of demo_data/replay/sample_inventories (not Discogs accounts): name, country.
SAMPLE_SELLERS = (("SAMPLE-ES-madrid", "ES"), ("SAMPLE-DE-berlin", "DE"), ("SAMPLE-FR-lyon", "FR"), ("SAMPLE-NL-utrecht", "NL"))
# The sample sellers state their shipping to the demo listener's country.
SAMPLE_ACCOUNT_COUNTRY = "ES"


def load_sample_inventories():
    """Crawl each sample seller's replayed inventory once, every quote flagged sample; the
    sellers stay inactive so no beat crawl ever asks Discogs for them. Returns quotes recorded."""
    recorded = 0
    client = DiscogsClient.from_settings()
    for username, country in SAMPLE_SELLERS:
        seller, _ = Seller.objects.get_or_create(discogs_username=username, defaults={"country": country, "is_active": False})
        if seller.full_walk_done_at:
            runs.note("cache_hits")
            continue
        with override_settings(DISCOGS_ACCOUNT_COUNTRY=SAMPLE_ACCOUNT_COUNTRY):
            recorded += inventory.crawl_seller(seller, client=client, sample=True).recorded
    return recorded


# --- 8b. a sample price history for the sample offers ------------------------------------------

# The deal score (pricing.deals) judges a sample offer only against sample observations of the
# same pressing in the same condition over its window, and the sample sellers list a pressing
# in one condition or two: without a history no demo offer would have a level. So the cheapest
# landed sample offer of each pressing, condition and destination gets earlier observations,
# SAMPLE data flagged so: offers of the same sample seller seen SAMPLE_HISTORY_DAYS before the
# load (retired since), at its landed total times factors that differ by pressing (its Discogs
# id picks them) so the demo shows every level.
SAMPLE_HISTORY_NOTE = "SAMPLE price history for the demo's deal levels; not an observed offer"
SAMPLE_HISTORY_DAYS = (30, 75, 120)
SAMPLE_HISTORY_FACTORS = (
    (Decimal("1.45"), Decimal("1.35"), Decimal("1.50")),  # the offer is excellent
    (Decimal("1.15"), Decimal("1.20"), Decimal("1.10")),  # good
    (Decimal("1.00"), Decimal("0.95"), Decimal("1.05")),  # fair
    (Decimal("0.80"), Decimal("0.85"), Decimal("0.75")),  # high
)


def add_sample_price_history(now=None):
    """Earlier sample observations for each landed sample offer's pressing and condition, once;
    returns how many were recorded."""
    now = now or timezone.now()
    anchors = {}
    current = (
        PriceQuote.objects.current()
        .landed()
        .filter(sample=True, release__isnull=False)
        .select_related("release", "store", "album")
    )
    # The collection's sample offers come later and have no history: a second load adds none.
    current = current.exclude(offer_key__startswith=SAMPLE_COLLECTION_KEY)
    for quote in current.order_by("total_eur", "pk"):
        anchors.setdefault((quote.release_id, quote.condition, quote.ships_to), quote)
    return sum(_sample_history_of(quote, now) for quote in anchors.values())


def _sample_history_of(quote, now):
    factors = SAMPLE_HISTORY_FACTORS[quote.release.discogs_id % len(SAMPLE_HISTORY_FACTORS)]
    recorded = 0
    for n, (days, factor) in enumerate(zip(SAMPLE_HISTORY_DAYS, factors)):
        offer_key = f"sample-history:{quote.release.discogs_id}:{quote.condition}:{n}"
        if PriceQuote.objects.filter(store=quote.store, offer_key=offer_key, ships_to=quote.ships_to).exists():
            continue
        item = max((quote.total_eur * factor - quote.shipping_eur).quantize(Decimal("0.01")), Decimal("0.50"))
        offer = Offer(
            album=quote.album,
            store=quote.store,
            offer_key=offer_key,
            release=quote.release,
            currency="EUR",
            amount=item,
            shipping=quote.shipping_eur,
            ships_to=quote.ships_to,
            condition=quote.condition,
            seller=quote.seller,
            item_location=quote.item_location,
            title=SAMPLE_HISTORY_NOTE,
            url=quote.url,
            weight_class=quote.weight_class,
            sample=True,
        )
        record_offer(offer, rates={}, fetched_at=now - timedelta(days=days))
        retire_offer(quote.store, offer_key, quote.ships_to)
        recorded += 1
    return recorded


# --- 9. the demo listener's alerts ------------------------------------------------------------


def add_demo_alerts(username=DEMO_USERNAME):
    """Alerts through their real paths, once: a watch on the album of the cheapest landed demo
    offer shipping to the listener (it fires at once), and a recorded pressings refresh of an
    album of an artist they follow, replayed after forgetting one pressing, which the refresh
    then finds as new. Returns the notifications made."""
    user = demo_user(username)
    if user.notifications.exists():
        runs.note("cache_hits")
        return 0
    return len(demo_watch(user)) + demo_new_pressing(user)


def demo_watch(user):
    quote = filter_quotes(PriceQuote.objects.all(), buying_filters(user)).order_by("total_eur", "pk").first()
    if quote is None:
        return []  # no landed demo offer (seller inventories bring them)
    watch, _ = Watch.objects.get_or_create(
        user=user, album=quote.album, defaults={"max_total_eur": (quote.total_eur + 5).quantize(Decimal("1"))}
    )
    return alert_watches.evaluate_watch(watch)


DEMO_REPLAYED_NOTE = " (Demo: a recorded refresh, replayed as if this pressing were new.)"


def demo_new_pressing(user):
    # A pressing of a synced album of a followed artist is unlinked from its album (its quotes
    # stay), so the replayed refresh of the album's versions finds it again as new.
    spare = Release.objects.filter(
        album__artist_id__in=followed_artist_ids(user),
        album__releases_refreshed_at__isnull=False,
        album__discogs_master_id__isnull=False,
        collected_by__isnull=True,
    )
    release = spare.select_related("album").order_by("album_id", F("year").desc(nulls_last=True), "-discogs_id").first()
    if release is None:
        return 0
    album = release.album
    Release.objects.filter(pk=release.pk).update(album=None)
    services.sync_album_releases(album, force=True)
    notes = user.notifications.filter(kind="pressing", album=album)
    return notes.update(message=Concat(F("message"), Value(DEMO_REPLAYED_NOTE)))


# --- sample prices for the demo listener's collection --------------------------------------------

# The demo listener's collection is a real recorded one whose pressings no sample seller lists, so
# the collection value (accounts.collection_value) would value none of them. A few of its
# pressings by one named artist each get SAMPLE offers, flagged so and said so wherever shown:
# three sample sellers at prices made up from the pressing's Discogs id (not observed), shipping
# estimated from the shipping table, each pressing on an album of its own (sample_album, as the
# marketplace sample's pressings get one). Run last, so the demo's other figures stay as they were.
SAMPLE_COLLECTION_NOTE = "SAMPLE price for the demo collection's value; not an observed offer"
SAMPLE_COLLECTION_RECORDS = 8
SAMPLE_COLLECTION_KEY = "sample-collection:"


def add_demo_collection_prices(username=DEMO_USERNAME):
    """Sample offers for a few of the demo listener's records, once; returns how many were recorded."""
    user = demo_user(username)
    store = price_sources.get("sellers").store()
    items = user.collection_items.filter(folder="collection").select_related("release").order_by("release__discogs_id")
    records = [item.release for item in items if _one_named_artist(item.release.artist_credit)][:SAMPLE_COLLECTION_RECORDS]
    recorded = 0
    for release in records:
        album = release.album or sample_album(release.artist_credit, release.title, release)
        for n, (seller, country) in enumerate(SAMPLE_SELLERS[:3]):
            offer_key = f"{SAMPLE_COLLECTION_KEY}{release.discogs_id}:{n}"
            if PriceQuote.objects.filter(store=store, offer_key=offer_key).exists():
                continue
            offer = Offer(
                album=album,
                store=store,
                offer_key=offer_key,
                release=release,
                currency="EUR",
                amount=Decimal(12 + release.discogs_id % 17 + 3 * n),
                ships_to=str(user.profile.country),
                condition=PriceQuote.Condition.VG_PLUS,
                seller=seller,
                item_location=country,
                title=SAMPLE_COLLECTION_NOTE,
                sample=True,
            )
            record_offer(offer, rates={})
            recorded += 1
    refresh_best_prices()
    return recorded


def _one_named_artist(credit):
    return bool(credit) and not is_various_artists(credit) and not any(mark in credit for mark in (",", "&", " / "))


# --- all of it ---------------------------------------------------------------------------------


def load_demo(manifest=None, *, on_step=None):
    """Every part in order; `on_step(name)` is called before each (progress display)."""
    manifest = manifest or load_chain_manifest()
    steps = [
        ("Rolling Stone 500 list", load_rolling_stone),
        ("Discogs dump samples", load_dump_samples),
        ("ECB exchange rates", load_exchange_rates),
        ("recorded ingestion chain", lambda: run_recorded_chain(manifest)),
        ("Discogs marketplace sample", load_marketplace_sample),
        ("demo listener", lambda: load_demo_listener(manifest["listener"])),
        ("demo listener's picks", add_demo_picks),
        # The dump import gave its own orphan pressings albums; the chain, the marketplace
        # sample and the collection added pressings after it.
        ("orphan pressings", link_orphans),
        # Albums made before their pressings came (the list's) hear what those pressings say.
        ("studio verdicts", lambda: services.learn_verdicts_from_pressings(Album.objects.all())),
        # What each pressing is (original, reissue…), once every pressing is in (catalog.editions).
        ("pressing editions", lambda: classify_albums(Album.objects.values_list("pk", flat=True))),
        ("sample seller inventories", load_sample_inventories),
        ("sample price history", add_sample_price_history),
        ("best prices", refresh_best_prices),
        ("demo listener's alerts", add_demo_alerts),
        ("demo listener's sample collection prices", add_demo_collection_prices),
    ]
    with replaying():
        for name, step in steps:
            if on_step:
                on_step(name)
            step()

"""Hand-written eBay listing titles (and item specifics) for the pressing matcher, with the pressing
each one truly is (None: the listing does not say enough, or names a pressing we do not hold).

The pressings below are test rows written by hand after Discogs' way of stating them (country,
year, label, catalog number, format summary); they are not catalog data and are never shown.
The titles are the tricky cases: catalog numbers with and without spaces or dashes, a number
shared by an original and its represses, "1st press", "reissue", "remastered", "180g", "2LP",
album titles that are years or labels (1999, Harvest) and a band named after a country (Europe).
Used by pricing/tests/test_pressing_match.py and benchmarks/ebay_matching.py (precision).
"""

from types import SimpleNamespace


def pressing(key, country, year, label, catno, summary, edition="", weight=None, descriptions=()):
    return SimpleNamespace(
        key=key,
        pk=key,
        country=country,
        year=year,
        label=label,
        catalog_number=catno,
        format_summary=summary,
        edition=edition,
        weight_grams=weight,
        descriptions=list(descriptions),
    )


ALBUMS = {
    ("Pink Floyd", "The Dark Side Of The Moon"): [
        pressing("dsotm-uk73", "UK", 1973, "Harvest", "SHVL 804", "LP, Album", "original"),
        pressing("dsotm-uk75", "UK", 1975, "Harvest", "SHVL 804", "LP, Album, RP", "repress"),
        pressing("dsotm-us73", "US", 1973, "Harvest", "SMAS-11163", "LP, Album"),
        pressing("dsotm-jp73", "Japan", 1973, "Odeon", "EMS-80324", "LP, Album"),
        pressing("dsotm-de73", "Germany", 1973, "Harvest", "1C 062-05 249", "LP, Album"),
        pressing(
            "dsotm-eu16",
            "Europe",
            2016,
            "Pink Floyd Records",
            "PFRLP8",
            "LP, Album, RE, RM",
            "remaster",
            180,
            ["LP", "Album", "Reissue", "Remastered", "180 Gram"],
        ),
        pressing(
            "dsotm-eu03",
            "Europe",
            2003,
            "EMI",
            "582 4621",
            "LP, Album, RE, RM",
            "remaster",
            180,
            ["LP", "Album", "Reissue", "Remastered", "180 Gram"],
        ),
    ],
    ("Radiohead", "OK Computer"): [
        pressing("okc-uk97", "UK", 1997, "Parlophone", "NODATA 02", "2xLP, Album", "original"),
        pressing("okc-eu08", "Europe", 2008, "Parlophone", "5099921646614", "2xLP, Album, RE", "reissue", 180),
        pressing("okc-xl16", "Worldwide", 2016, "XL Recordings", "XLLP868", "2xLP, Album, RE, RM", "remaster", 180),
        pressing("okc-us97", "US", 1997, "Capitol Records", "C1-8-55229-1", "2xLP, Album"),
    ],
    ("Neil Young", "Harvest"): [
        pressing("harvest-us72", "US", 1972, "Reprise Records", "MS 2032", "LP, Album", "original"),
        pressing("harvest-uk72", "UK", 1972, "Reprise Records", "K 54005", "LP, Album"),
        pressing("harvest-us09", "US", 2009, "Reprise Records", "2032-1", "LP, Album, RE", "reissue", 180),
    ],
    ("Prince", "1999"): [
        pressing("1999-us82", "US", 1982, "Warner Bros. Records", "1-23720", "2xLP, Album", "original"),
        pressing("1999-eu19", "Europe", 2019, "Warner Records", "603497853441", "2xLP, Album, RE, RM", "remaster"),
    ],
    ("Europe", "The Final Countdown"): [
        pressing("countdown-se86", "Sweden", 1986, "Epic", "EPC 26808", "LP, Album", "original"),
        pressing("countdown-uk86", "UK", 1986, "Epic", "EPC 26808", "LP, Album"),
    ],
    ("The Fall", "Live At The Witch Trials"): [
        pressing("witch-uk79", "UK", 1979, "Step-Forward Records", "SFLP 1", "LP, Album", "original"),
        pressing("witch-uk04", "UK", 2004, "Castle Music", "CMQLP 953", "LP, Album, RE", "reissue"),
    ],
}

DSOTM = ("Pink Floyd", "The Dark Side Of The Moon")
OKC = ("Radiohead", "OK Computer")
HARVEST = ("Neil Young", "Harvest")
PRINCE = ("Prince", "1999")
EUROPE = ("Europe", "The Final Countdown")
WITCH = ("The Fall", "Live At The Witch Trials")

# (album, listing title, item specifics [(name, value)], the pressing it truly is or None)
CASES = [
    (DSOTM, "Pink Floyd Dark Side of the Moon LP Harvest SHVL 804", [], None),  # original and repress share it
    (DSOTM, "Pink Floyd - Dark Side Of The Moon - SHVL804 UK 1973 1st press solid blue triangle", [], "dsotm-uk73"),
    (DSOTM, "PINK FLOYD Dark Side of the Moon UK 1975 repress SHVL-804 A4/B4", [], "dsotm-uk75"),
    (DSOTM, "Pink Floyd Dark Side of the Moon 2016 remastered 180g vinyl PFRLP8", [], "dsotm-eu16"),
    (DSOTM, "Dark Side Of The Moon Pink Floyd Vinyl LP 180 gram Remastered New Sealed", [], None),  # 2003 or 2016
    (DSOTM, "Pink Floyd The Dark Side Of The Moon LP Japan Odeon EMS 80324 OBI", [], "dsotm-jp73"),
    (DSOTM, "Pink Floyd Dark Side of the Moon US Harvest SMAS 11163 1973", [], "dsotm-us73"),
    (DSOTM, "Pink Floyd - Dark Side Of The Moon - German press 1C 062 05249", [], "dsotm-de73"),
    (DSOTM, "Pink Floyd Dark Side of the Moon vinyl LP", [], None),
    (DSOTM, "Pink Floyd Dark Side of the Moon original 1973 UK", [], "dsotm-uk73"),
    (DSOTM, "Pink Floyd Dark Side of the Moon 2003 30th anniversary 180g EMI 5824621", [], "dsotm-eu03"),
    (DSOTM, "Pink Floyd DSOTM reissue LP", [], None),
    (DSOTM, "Pink Floyd Dark Side of the Moon LP 1973 Harvest UK first pressing", [], "dsotm-uk73"),
    (DSOTM, "PINK FLOYD dark side of the moon 2xLP", [], None),
    (DSOTM, "Pink Floyd Dark Side of the Moon SHVL 8041", [], None),  # not SHVL 804
    (DSOTM, "Pink Floyd Dark Side Of The Moon Remastered 2016 Reissue 180g Vinyl LP NEW", [], "dsotm-eu16"),
    (DSOTM, "Pink Floyd Dark Side of the Moon 804 pressing", [], None),
    (
        DSOTM,
        "Pink Floyd Dark Side of the Moon Vinyl LP",
        [
            ("Record Label", "Harvest"),
            ("Catalogue Number", "SHVL 804"),
            ("Release Year", "1973"),
            ("Country/Region of Manufacture", "United Kingdom"),
            ("Genre", "Rock"),
        ],
        "dsotm-uk73",
    ),
    (DSOTM, "Pink Floyd Dark Side Of The Moon", [("Genre", "Rock"), ("Style", "Prog Rock 1973")], None),
    (
        DSOTM,
        "Pink Floyd Dark Side Of The Moon LP",
        [
            ("Plattenfirma", "Harvest"),
            ("Katalognummer", "1C 062-05 249"),
            ("Herstellungsland und -region", "Deutschland"),
        ],
        "dsotm-de73",
    ),
    (OKC, "Radiohead OK Computer 2LP XL Recordings XLLP868 remastered", [], "okc-xl16"),
    (OKC, "Radiohead - OK Computer - NODATA 02 1997 UK 1st press", [], "okc-uk97"),
    (OKC, "Radiohead OK Computer vinyl 2xLP NODATA02", [], "okc-uk97"),
    (OKC, "Radiohead OK Computer LP", [], None),
    (OKC, "RADIOHEAD OK COMPUTER 2 LP Parlophone", [], None),  # 1997 or 2008
    (OKC, "Radiohead OK Computer OKNOTOK 2017 3LP XL", [], None),  # another record
    (OKC, "Radiohead OK Computer Capitol C1-8-55229-1 US 1997", [], "okc-us97"),
    (OKC, "Radiohead OK Computer 1997 original pressing Parlophone", [], "okc-uk97"),
    (
        OKC,
        "Radiohead OK Computer doble vinilo",
        [
            ("Discográfica", "XL Recordings"),
            ("Número de catálogo", "XLLP868"),
            ("Año de publicación", "2016"),
        ],
        "okc-xl16",
    ),
    (HARVEST, "Neil Young Harvest LP Reprise MS 2032 1972", [], "harvest-us72"),
    (HARVEST, "Neil Young Harvest vinyl LP", [], None),
    (HARVEST, "Neil Young - Harvest - UK K54005", [], "harvest-uk72"),
    (HARVEST, "Neil Young Harvest 2009 reissue 180g", [], "harvest-us09"),
    (HARVEST, "Neil Young Harvest LP original", [], None),  # US or UK 1972
    (PRINCE, "Prince 1999 2LP vinyl remastered 2019", [], "1999-eu19"),
    (PRINCE, "Prince 1999 original 2LP Warner Bros 1-23720", [], "1999-us82"),
    (PRINCE, "Prince 1999 LP", [], None),
    (EUROPE, "Europe The Final Countdown LP Epic EPC 26808", [], None),  # Sweden or UK
    (EUROPE, "Europe - The Final Countdown - Sweden 1986 EPC 26808", [], "countdown-se86"),
    (EUROPE, "Europe Final Countdown UK pressing 1986 EPC26808", [], "countdown-uk86"),
    (WITCH, "The Fall Live at the Witch Trials SFLP1 Step Forward 1979", [], "witch-uk79"),
    (WITCH, "THE FALL - LIVE AT THE WITCH TRIALS - S F L P 1", [], "witch-uk79"),
    (WITCH, "The Fall Live At The Witch Trials LP reissue", [], "witch-uk04"),
    # Listings that state a little: a pressing we may not hold (a Japanese or US repress, a
    # later UK press), or two of ours at once.
    (DSOTM, "Pink Floyd Dark Side of the Moon 1980 UK repress", [], None),
    (DSOTM, "Pink Floyd Dark Side Of The Moon Harvest LP 1973", [], None),
    (DSOTM, "Pink Floyd Dark Side of the Moon UK LP", [], None),
    (DSOTM, "Pink Floyd Dark Side of the Moon Japan", [], None),
    (DSOTM, "Pink Floyd Dark Side of the Moon Odeon Japan 1973", [], "dsotm-jp73"),
    (DSOTM, "Pink Floyd Dark Side of the Moon US 1973 repress", [], None),
    (DSOTM, "Pink Floyd Dark Side of the Moon 1973 repress", [], None),
    (OKC, "Radiohead OK Computer 2016 reissue", [], "okc-xl16"),
    (OKC, "Radiohead OK Computer 2xLP 180g Parlophone 2008", [], "okc-eu08"),
    (OKC, "Radiohead OK Computer reissue 2xLP 180g", [], None),
    (HARVEST, "Neil Young Harvest UK", [], None),
    (HARVEST, "Neil Young Harvest 180g", [], None),
    (HARVEST, "Neil Young Harvest LP US repress", [], None),
    (PRINCE, "Prince 1999 Warner Bros LP", [], None),
    (EUROPE, "Europe The Final Countdown Sweden 1986", [], "countdown-se86"),
    (EUROPE, "Europe The Final Countdown LP Germany 1986", [], None),
]


def run_cases(match_listing, aspects_text, tokens):
    """[(case, match)] for every case, with the album words taken from its artist and title."""
    results = []
    for case in CASES:
        (artist, title), listing, aspects, _truth = case
        text = f"{listing} {aspects_text(aspects)}".strip()
        results.append((case, match_listing(text, ALBUMS[(artist, title)], set(tokens(f"{artist} {title}")))))
    return results


def precision(results):
    """(precision, recall, matched, correct, expected): precision over the listings put on a
    pressing; recall over the listings that truly are one of our pressings."""
    matched = [(case, match) for case, match in results if match.release is not None]
    correct = sum(1 for case, match in matched if match.release.key == case[3])
    expected = sum(1 for case, _match in results if case[3] is not None)
    return (
        (correct / len(matched) if matched else 1.0),
        (correct / expected if expected else 1.0),
        len(matched),
        correct,
        expected,
    )

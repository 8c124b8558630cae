"""Which cover an album shows: the one rule, for every source that offers one.

Sources, best first: the Discogs master's or a pressing's image (Discogs' current image host),
the Cover Art Archive front of the MusicBrainz release group, Last.fm's album image, Spotify's.
A cover URL says its source by its host, so the rule needs no column to remember where the
stored cover came from: an offered URL replaces the stored one only when its source ranks
higher, and never with nothing. URLs on hosts Discogs retired (img.discogs.com went dark in
2022; Discogs' API now answers i.discogs.com URLs, signed, that cannot be rebuilt from an old
one) and plain-http URLs (blocked as mixed content) are not covers at all.

Pure (no Django); catalog.services.covers stores what it chooses.
"""

from urllib.parse import urlsplit

# (source, hosts), best first. An https URL on another host ranks after all of them.
SOURCES = (
    ("discogs", ("i.discogs.com",)),
    ("coverartarchive", ("coverartarchive.org", "archive.org")),
    ("lastfm", ("lastfm.freetls.fastly.net", "lastfm-img2.akamaized.net")),
    ("spotify", ("i.scdn.co",)),
)
RETIRED_HOSTS = ("img.discogs.com", "api-img.discogs.com")
UNRANKED = len(SOURCES)
NO_COVER = UNRANKED + 1


def usable(url):
    """The URL when it can be shown as a cover, else ""."""
    if not url or not isinstance(url, str):
        return ""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname or parts.hostname in RETIRED_HOSTS:
        return ""
    return url.strip()


def rank(url):
    """0 for the best source; UNRANKED for another host; NO_COVER for no usable URL."""
    url = usable(url)
    if not url:
        return NO_COVER
    host = urlsplit(url).hostname
    for position, (_, hosts) in enumerate(SOURCES):
        if any(host == known or host.endswith("." + known) for known in hosts):
            return position
    return UNRANKED


def source_rank(source):
    return next(position for position, (name, _) in enumerate(SOURCES) if name == source)


def better(current, offered):
    """The cover to keep of the stored one and an offered one: the offered when its source
    ranks strictly higher (a tie keeps what we have); never a retired or empty URL."""
    return usable(offered) if rank(offered) < rank(current) else usable(current)


def has_cover_as_good_as(url, source):
    """Whether `url` is a cover from `source` or a better one: asking `source` is pointless."""
    return rank(url) <= source_rank(source)


def coverartarchive_front(mbid):
    """The Cover Art Archive's front image of a MusicBrainz release group (500 px), no key
    needed; a group without one answers 404, and the page then shows the sleeve."""
    return f"https://coverartarchive.org/release-group/{mbid}/front-500" if mbid else ""

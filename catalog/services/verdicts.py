"""What a source learns about an album after it was made: its verdict heard again.

An album is judged by catalog.studio when a path makes it, with the facts that path holds.
Facts learned later (a pressing's genres, styles or tracklist headings, its master's styles,
the title read anew) can only take the studio mark away, never give it back, and never from
an album MusicBrainz typed (its release group's types outrank them).
"""

from integrations.runs import stamp

from .. import studio
from ..models import Album
from ..upsert import fit


def learn_verdict(album, facts):
    """Apply what a source says against the studio mark of an album made earlier with fewer
    facts (a pressing's styles or headings, its title); True if it changed. An album
    MusicBrainz typed keeps its verdict, and a studio verdict never overrides another."""
    if not album.is_studio or album.mbid:
        return False
    is_studio, reason = studio.verdict(facts)
    if is_studio:
        return False
    stamp(album, is_studio=is_studio, exclusion_reason=fit(Album, "exclusion_reason", reason))
    return True


def learn_verdicts_from_pressings(albums):
    """learn_verdict for each album from its title and the genres and styles its pressings
    carry (a soundtrack's "Stage & Screen", "Soundtrack"): for albums made before those facts
    came, as the demo's list albums. Returns how many lost the studio mark."""
    changed = 0
    for album in albums.filter(is_studio=True, mbid__isnull=True).prefetch_related("releases"):
        styles = tuple(sorted({s for release in album.releases.all() for s in release.styles or ()}))
        changed += learn_verdict(album, studio.Facts(title=album.title, styles=styles))
    return changed

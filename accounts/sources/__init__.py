"""The listening sources: one module each, registered in SOURCES (the allauth provider pattern).

accounts.services syncs and weighs any of them; the onboarding page, "Sync now", `sync_user`,
the daily fan-out and the console's check_integrations list whatever is registered. A new
source is one module with a TasteSource subclass plus one line below.
"""

from allauth.socialaccount.models import SocialAccount
from django.db.models import BooleanField, Exists, ExpressionWrapper, Q

from ..models import ListeningSnapshot, Profile, SeedArtist, SourceUsername
from .base import SourceUnavailable, TasteSource
from .discogs import Discogs
from .discogs_export import DiscogsExport
from .lastfm import Lastfm
from .listenbrainz import ListenBrainz
from .manual import Manual
from .spotify import Spotify

__all__ = ["SOURCES", "SourceUnavailable", "TasteSource", "get", "profile_with_taste", "registered", "syncable"]

SOURCES: list[TasteSource] = [
    Lastfm(),
    Spotify(),
    ListenBrainz(),
    Discogs(),
    DiscogsExport(),
    Manual(),
]


def registered():
    return list(SOURCES)


def syncable():
    """The sources a sync reads (the others arrive by upload or by hand)."""
    return [source for source in SOURCES if source.syncable]


def get(name):
    """The registered source called `name`; KeyError when none is."""
    for source in SOURCES:
        if source.name == name:
            return source
    raise KeyError(f"Unknown listening source {name!r}; use one of {', '.join(s.name for s in syncable())}")


def profile_with_taste(user):
    """The listener's profile with `has_taste`: a registered source connected (a username, an
    OAuth account of a source's provider, a snapshot synced or uploaded) or an artist of their
    own, in one query."""
    social = [source.social_provider for source in SOURCES if source.social_provider]
    taste = (
        Q(Exists(SourceUsername.objects.filter(user=user)))
        | Q(Exists(SocialAccount.objects.filter(user=user, provider__in=social)))
        | Q(Exists(ListeningSnapshot.objects.filter(user=user)))
        | Q(Exists(SeedArtist.objects.filter(user=user)))
    )
    return Profile.objects.annotate(has_taste=ExpressionWrapper(taste, output_field=BooleanField())).get(user=user)

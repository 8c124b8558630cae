"""What every listening source is: one module of accounts/sources, registered in its __init__.

A source says how a listener connects it (a username, kept in SourceUsername; an allauth
provider; an upload; by hand), fetches that listener's data as snapshot payloads (`fetch`), and says how
much its plays count in the taste profile (`weight`, `recency`). accounts.services syncs any
source through this interface, and the onboarding page, the daily fan-out, `sync_user` and
the console list whatever is registered.
"""

from allauth.socialaccount.models import SocialAccount
from django.utils.translation import gettext as _, gettext_lazy

from catalog.models import Source

from ..models import SourceUsername


class SourceUnavailable(Exception):
    """The listener has not connected this source (or the site lacks its API key).

    Its message is a sentence for the listener; `detail` says the same for an operator (which
    setting is missing), for commands and logs only."""

    def __init__(self, sentence, detail=""):
        super().__init__(sentence)
        self.detail = detail or sentence


class TasteSource:
    name = ""  # the ListeningSource value stored on snapshots and seeds
    label = ""
    provider = ""  # the integrations provider it calls (integrations.providers), "" for none
    catalog_source = Source.MANUAL  # catalog.Source recorded on artists first met here
    by_username = False  # connected by typing a username (kept in SourceUsername)
    social_provider = ""  # allauth provider id, for a source connected by OAuth
    csp_hosts = {}  # CSP directive → hosts its pages need (vinilogy.csp_sources), e.g. its sign-in
    # Why an artist of this source is recommended, when no play count says it (recommendations.
    # scoring): %(artist)s, %(source)s (the label) and %(album_plays)s; the sources of an artist
    # speak in reason_order (lowest first).
    reason = gettext_lazy("%(artist)s is one of your top artists on %(source)s%(album_plays)s")
    reason_order = 50
    syncable = True  # read by "Sync now", sync_user and the daily fan-out
    collection = False  # payloads are Discogs releases (collection/wantlist), not listens
    weight = 1.0  # how much one play (or rank) counts in the taste profile
    recency = {}  # period → how much more a recent period says about today's taste

    periods = ()  # what one sync reads, for a source that reads its listening period by period

    def fetch(self, user, client=None) -> dict[str, dict]:
        """{period: payload} for this listener; SourceUnavailable when not connected.

        A source connected by username reads each of its periods with `fetch_period`."""
        if not self.by_username:
            raise SourceUnavailable(_("%(source)s is not read by a sync") % {"source": self.label})
        username = self.username(user)
        if not username:
            raise SourceUnavailable(
                _("Connect your %(source)s username first") % {"source": self.label}, f"the listener has no {self.label} username"
            )
        client = client or self.client()
        return {period: self.fetch_period(client, username, period) for period in self.periods}

    def client(self):
        """The provider's client, built from settings."""
        raise SourceUnavailable(_("%(source)s is not read by a sync") % {"source": self.label}, f"{self.label} has no client")

    def fetch_period(self, client, username, period) -> dict:
        raise NotImplementedError

    def not_available_here(self) -> str:
        """Why this site cannot read the source for anyone (it lacks the key), in plain words;
        "" when it can."""
        return ""

    def username(self, user) -> str:
        if self.by_username:
            return SourceUsername.objects.filter(user=user, source=self.name).values_list("username", flat=True).first() or ""
        return ""

    def set_username(self, user, username):
        """Connect (or, with "", disconnect) the listener's username on this source."""
        if username:
            SourceUsername.objects.update_or_create(user=user, source=self.name, defaults={"username": username})
        else:
            SourceUsername.objects.filter(user=user, source=self.name).delete()

    def is_connected(self, user) -> bool:
        if self.username(user):
            return True
        return bool(self.social_provider) and SocialAccount.objects.filter(user=user, provider=self.social_provider).exists()

    def connected_user_ids(self) -> set:
        """Active users who connected this source (what the daily fan-out syncs)."""
        ids = set()
        if self.by_username:
            rows = SourceUsername.objects.filter(user__is_active=True, source=self.name)
            ids |= set(rows.values_list("user_id", flat=True))
        if self.social_provider:
            accounts = SocialAccount.objects.filter(user__is_active=True, provider=self.social_provider)
            ids |= set(accounts.values_list("user_id", flat=True))
        return ids

    def ping(self) -> str:
        """One cheap call to the source's provider; raises the client's ApiError when it fails."""
        return "no provider to call"

    def __str__(self):
        return str(self.label)


def client_or_unavailable(build, label):
    """A client from settings, or SourceUnavailable when the site lacks its key (ValueError):
    the listener reads that `label` sync is not available here yet, the operator which key."""
    try:
        return build()
    except ValueError as error:
        sentence = _("%(source)s sync is not available on this site yet") % {"source": label}
        raise SourceUnavailable(sentence, str(error)) from error

"""manage.py check_integrations [--live]: which external APIs are configured, and do they answer.

One row per provider of integrations.providers: its credentials, today's daily budget, and
which parts of Vinilogy depend on it (the price and listening sources of the two registries,
and the catalog). With --live each configured provider gets one cheap call (its client's
ping(), so it is in the ApiCall log too) and the command exits non-zero when any fails.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import sources as listening_sources
from integrations.providers import PROBES, budget_today, run_probe
from pricing import sources as price_sources

# What calls a provider outside the two registries.
CATALOG_USES = {"musicbrainz": ["catalog"], "discogs": ["catalog"], "lastfm": ["catalog"], "ecb": ["exchange rates"]}


def used_by(provider):
    """'catalog, price: Discogs marketplace, listening: Discogs' for one provider."""
    prices = [s.label for s in price_sources.registered() if s.provider == provider]
    listening = [s.label for s in listening_sources.registered() if s.provider == provider]
    parts = (
        CATALOG_USES.get(provider, []) + [f"price: {label}" for label in prices] + [f"listening: {label}" for label in listening]
    )
    return ", ".join(parts) or "-"


class Command(BaseCommand):
    help = "Report which external APIs have credentials and what uses them; with --live, make one cheap call to each."

    def add_arguments(self, parser):
        parser.add_argument("--live", action="store_true", help="call each configured provider once")

    def handle(self, *args, live=False, **options):
        if live and settings.VINILOGY_REPLAY_DIR:
            self.stdout.write(f"Replay mode: answers come from {settings.VINILOGY_REPLAY_DIR}, not the network.")
        results = [run_probe(probe, live) for probe in PROBES]
        self._print_table(results)
        summary = self._summary(results, live)
        failed = [r.provider for r in results if r.live == "FAILED"]
        if failed:
            raise CommandError(f"{summary}; failing: {', '.join(failed)}")
        self.stdout.write(self.style.SUCCESS(summary))

    def _print_table(self, results):
        rows = [("PROVIDER", "CREDENTIALS", "BUDGET TODAY", "USED BY", "LIVE", "DETAIL")]
        for r in results:
            credentials = ("yes: " if r.credentials.ready else "no: ") + r.credentials.detail
            rows.append((r.provider, credentials, budget_today(r.provider), used_by(r.provider), r.live, r.detail))
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row[:5], widths)) + "  " + row[5])

    def _summary(self, results, live):
        ready = sum(r.credentials.ready for r in results)
        summary = f"{len(results)} providers: {ready} ready, {len(results) - ready} not configured"
        if live:
            counts = {state: sum(r.live == state for r in results) for state in ("ok", "FAILED", "skipped")}
            summary += f"; live: {counts['ok']} ok, {counts['FAILED']} failed, {counts['skipped']} skipped"
        return summary

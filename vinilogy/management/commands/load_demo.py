"""manage.py load_demo — the offline demo catalog from real data (vinilogy/demo_data/SOURCES.md).

Run by `setup_local` (bin/serve) on an empty database; a second run adds nothing. Every API
answer comes from the replay folder: nothing reaches the network.
"""

from catalog.management.commands._ingestion import IngestionCommand
from vinilogy import demo


class Command(IngestionCommand):
    help = "Load the demo catalog: Rolling Stone list, Discogs dump samples, recorded API chain, prices, demo listener."

    def ingest(self, *args, **options):
        demo.load_demo(on_step=self.announce)

    def announce(self, step):
        if self.show_progress:
            self.stderr.write(f"demo: {step}…")

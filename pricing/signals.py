"""What pricing tells the apps to its right (alerts, recommendations) without importing them."""

from django.dispatch import Signal

# Sent after a price refresh, an inventory crawl or an eBay search recorded or retired quotes.
# Arguments: album_ids (a set of Album ids whose quotes changed).
quotes_changed = Signal()
# Sent by pricing.best_price after it recomputed albums' best prices (after a batch of quotes,
# and for the albums the nightly check repaired), in the same transaction as the new rows.
# Arguments: album_ids (a list of Album ids whose best prices were recomputed).
best_prices_changed = Signal()

"""What pricing tells the apps to its right (alerts, recommendations) without importing them."""
from django.dispatch import Signal

# Sent after a price refresh, an inventory crawl or an eBay search recorded or retired quotes.
# Arguments: album_ids (a set of Album ids whose quotes changed).
quotes_changed = Signal()

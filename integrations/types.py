"""Small value types shared by the provider clients.

- `Money`: an amount with its ISO currency, as a Decimal rounded to cents.
- `Page[T]`: one page of a paginated answer, with the cursor for the next page
  (a page number, an offset or a URL, whatever the provider pages by; None on the last page).
- `walk_pages(fetch, first)`: yields the items of every page, asking for the next cursor
  until a page says it is the last one. Every client's "all pages" method is built on it.
- Lenient converters for provider payloads (`to_int`, `to_float`, `as_list`), which say
  "unknown" with None instead of raising on the blanks and odd types real APIs send.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Generic, TypeVar

T = TypeVar("T")
CENT = Decimal("0.01")
# A provider that keeps answering "there is more" must not keep a worker busy for ever.
MAX_PAGES = 1000


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def parse(cls, value, currency):
        """Money from a provider's number or numeric string; None when either part is missing."""
        amount = to_decimal(value)
        if amount is None or not currency:
            return None
        return cls(amount, str(currency).upper())


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list
    total: int | None = None
    next_cursor: int | str | None = None
    # Entries the provider sent, when a parser dropped some (eBay listings without a price):
    # a page that lost all its items is not the end of the results.
    received: int | None = None

    @property
    def is_last(self):
        return self.next_cursor is None

    @property
    def is_empty(self):
        return (len(self.items) if self.received is None else self.received) == 0


def walk_pages(fetch: Callable[[object], Page], first, *, max_pages=MAX_PAGES) -> Iterator:
    """Items of every page from `first` on. Stops at the last page, on an empty page, when a
    provider points back at a page already read, or after `max_pages` pages."""
    cursor, seen = first, set()
    for _ in range(max_pages):
        seen.add(cursor)
        page = fetch(cursor)
        yield from page.items
        if page.is_last or page.is_empty or page.next_cursor in seen:
            return
        cursor = page.next_cursor


def to_decimal(value):
    """Decimal rounded to cents from a number or numeric string; None for blanks and junk."""
    if value is None or value == "":
        return None
    try:
        # str() first: Decimal(0.1) would carry the float's binary noise into the cents.
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return None


def to_int(value):
    """int from an int or numeric string ("1118", "3.0"); None for blanks and junk."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return None


def to_float(value):
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def as_list(value):
    """Providers that serialise XML to JSON send one child as an object and several as a
    list (Last.fm's track, tag, artist): always give a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]

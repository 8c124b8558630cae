"""Keeping the best-price view fresh."""
from django.db import connection

from .best_price_sql import POSTGRESQL_REFRESH


def refresh_best_prices():
    """Refresh the materialized view on PostgreSQL (readers are never blocked).

    On SQLite the view is a plain view, always current, so there is nothing to do.
    """
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(POSTGRESQL_REFRESH)
    return True

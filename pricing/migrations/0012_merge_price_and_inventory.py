"""Joins the two lines of pricing migrations written in parallel for issue 12: the best-price table,
shipping defaults and shop cities (0006–0008) and the seller crawl schedule and market check
(0010–0011). Neither touches the other's tables."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("pricing", "0008_local_shop_cities"), ("pricing", "0011_market_check")]

    operations = []

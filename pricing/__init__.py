"""pricing: stores, quotes (what each includes), exchange rates, the best price per album.

Layer 3 of 7 (docs/ARCHITECTURE.md): imports catalog and integrations only.

- `sources/`: the price-source registry (Discogs marketplace, eBay, local shops), one module
  each; services, the album page and the console iterate it.
- `offers.py` records an observed offer as a EUR quote with history; `currency.py` is the one
  `to_eur`; `queries.py` holds the reads other apps' pages share; `destinations.py` is where
  prices are computed to (accounts registers the listeners' countries there).
- `views.py`: the album's pressings and prices fragments, the artist page, price charts.
"""

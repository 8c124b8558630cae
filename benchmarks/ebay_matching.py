"""eBay listings put on their pressing: precision and recall of pricing.pressing_match.

    .venv/bin/python benchmarks/ebay_matching.py

No database and no network: the hand-written listing titles and item specifics of
pricing/tests/ebay_listing_cases.py (each with the pressing it truly is, or none) are matched
against their albums' hand-written pressings, at several thresholds and at the one in use
(pricing.pressing_match.THRESHOLD). Precision is over the listings put on a pressing (a wrong
pressing is the error that matters: an offer shown as a pressing it is not); recall over the
listings that truly are one of the pressings. The issue asks for precision >= 95%.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pricing import pressing_match  # noqa: E402  (pure logic: no Django setup needed)
from pricing.tests import ebay_listing_cases as cases  # noqa: E402

THRESHOLDS = (0.3, 0.5, 0.6, 0.7, 0.8, 0.9)


def at_threshold(results, threshold):
    """The results as if the threshold were `threshold` (the confidence does not depend on it)."""
    kept = []
    for case, match in results:
        release = match.best if match.confidence >= threshold and match.confidence > 0 else None
        kept.append((case, pressing_match.Match(release, match.confidence, match.evidence, match.best)))
    return kept


def main():
    results = cases.run_cases(pressing_match.match_listing, pressing_match.aspects_text, pressing_match.tokens)
    print(f"{len(results)} hand-written listings over {len(cases.ALBUMS)} albums")
    print("threshold  precision  recall  put on a pressing  right  truly a pressing")
    for threshold in THRESHOLDS:
        p, r, matched, correct, expected = cases.precision(at_threshold(results, threshold))
        mark = "  <- in use" if threshold == pressing_match.THRESHOLD else ""
        print(f"{threshold:9.2f}  {p:8.1%}  {r:6.1%}  {matched:17d}  {correct:5d}  {expected:16d}{mark}")
    p, r, matched, correct, expected = cases.precision(results)
    print(f"in use ({pressing_match.THRESHOLD}): precision {p:.1%} ({correct}/{matched}), recall {r:.1%} ({correct}/{expected})")
    for case, match in results:
        if match.release is not None and match.release.key != case[3]:
            print(f"  wrong: {case[1]!r} -> {match.release.key} (is {case[3]})")
    print_quota()
    return 0 if p >= 0.95 else 1


def print_quota():
    """What reading item specifics may cost of eBay's Browse quota (the settings and the source's
    bounds; nothing is called)."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinilogy.settings")
    import django

    django.setup()
    from django.conf import settings

    from pricing.sources import ebay

    budget = settings.DAILY_BUDGETS["ebay"]
    cap = int(budget * ebay.DETAIL_BUDGET_SHARE)
    print(
        f"getItem: at most {ebay.DETAIL_CALLS_PER_ALBUM} per album refresh (once per listing, never again for an item "
        f"a stored quote read), none once the day's eBay calls pass {cap} of the {budget}-call budget "
        f"({settings.PROVIDER_DAILY_LIMITS['ebay']} allowed by eBay)"
    )


if __name__ == "__main__":
    sys.exit(main())

"""recommendations: the engine, the taste profile, candidates, scoring, sets, feedback, wantlist.

Layer 5 of 7 (docs/ARCHITECTURE.md): imports every app to its left, never alerts or vinilogy.
`receivers.py` listens to accounts' `taste_changed` and regenerates a stale set.
"""

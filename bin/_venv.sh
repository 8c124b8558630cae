# Sourced by bin/serve and bin/test: makes .venv with the pinned requirements, once per change.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
REQS="${1:-requirements.txt}"
if [ ! -x .venv/bin/python ]; then
  echo "› creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
STAMP=".venv/.installed-$(cat requirements.txt "$REQS" | sha256sum | cut -c1-16)-$(basename "$REQS")"
if [ ! -f "$STAMP" ]; then
  echo "› installing $REQS"
  .venv/bin/pip install --quiet --disable-pip-version-check -r "$REQS"
  touch "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

"""Compiles the message catalogues (locale/<lang>/LC_MESSAGES/*.po → .mo) in pure Python with
Babel, so the set-up (bin/serve, the Dockerfile, the tests) needs no GNU gettext. The .mo files
are build products: git ignores them and every set-up makes them."""

import os
import tempfile
from pathlib import Path

from babel.messages import mofile, pofile


def po_files(locale_dirs):
    for directory in locale_dirs:
        yield from sorted(Path(directory).glob("*/LC_MESSAGES/*.po"))


def is_translated(message):
    """Every form has its text. Babel's write_mo would keep a plural whose forms are all empty
    (a tuple of empty strings is truthy), and gettext would then answer with nothing."""
    forms = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(forms)


def compile_po(po_path):
    """Writes the .mo beside the .po when it is missing or older; returns whether it wrote.
    Fuzzy entries stay out, as with msgfmt. The write is atomic (parallel test workers)."""
    po_path = Path(po_path)
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return False
    with open(po_path, "rb") as source:
        catalog = pofile.read_po(source, abort_invalid=True)
    for message in [m for m in catalog if m.id and not is_translated(m)]:
        catalog.delete(message.id, message.context)
    handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
    with os.fdopen(handle, "wb") as target:
        mofile.write_mo(target, catalog, use_fuzzy=False)
    os.chmod(temporary, 0o644)  # mkstemp makes it private; the server may run as another user
    os.replace(temporary, mo_path)
    return True


def compile_all(locale_dirs):
    """(how many .po files, how many .mo files written)."""
    paths = list(po_files(locale_dirs))
    return len(paths), sum(compile_po(path) for path in paths)


if __name__ == "__main__":
    # `python -m vinilogy.i18n_catalogues locale`: for the Dockerfile, which has no settings to load.
    import sys

    found, written = compile_all(sys.argv[1:] or ["locale"])
    print(f"{found} catalogue(s), {written} compiled")

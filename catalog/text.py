"""The one rule for text people send us: no NUL bytes or other control characters.

PostgreSQL refuses NUL in text columns (a DataError, so a 500 wherever it reached a query) and
no name, search or username needs a control character. Tab and line breaks are text (a
textarea holds one artist per line). Pure Python: the request guard and the CSV reader ask it.
"""

import re

from django.utils.translation import gettext as _

# C0 controls and DEL, except tab (\t), line feed (\n) and carriage return (\r).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_problem(value: str) -> str:
    """Why this text is refused, in words for the person who typed it, or '' when it is fine."""
    if "\x00" in value:
        return _("contains a NUL byte")
    if _CONTROL.search(value):
        return _("contains a control character")
    return ""

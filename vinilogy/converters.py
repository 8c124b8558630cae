"""Path converters of our URLs."""

BIGINT_MAX = 2**63 - 1


class IdConverter:
    """<id:album_id>: a row id, which a database column can hold. A longer number is no URL of
    ours (404) instead of an OverflowError (SQLite) or DataError (PostgreSQL) in the view."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if number > BIGINT_MAX:
            raise ValueError(value)  # Django reads a ValueError here as "this pattern does not match"
        return number

    def to_url(self, value):
        return str(value)

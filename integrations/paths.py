"""Values that go into an API path as one segment, never as path syntax."""

from urllib.parse import quote


def path_segment(value: str) -> str:
    """`value` percent-encoded as exactly one path segment.

    Every reserved character is escaped ('/' included), and "." or ".." are refused: servers
    resolve them as "this folder" and "the folder above" even when encoded, so a username ".."
    would re-route /users/../collection with our credentials.
    """
    if value.strip(".") == "" or value != value.strip():
        raise ValueError(f"{value!r} cannot name anything in an API path")
    return quote(value, safe="")

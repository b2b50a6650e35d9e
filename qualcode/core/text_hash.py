"""The one hash that says two document texts are the same text.

Plain-text import, REFI-QDA import and the stored `Document.sha256` column all use it, so a
document imported once is recognised however it comes back.
"""

import hashlib


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

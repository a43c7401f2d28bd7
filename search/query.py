"""Turning what a reader typed into a query the search backends accept."""

import unicodedata

MAX_QUERY_LENGTH = 200


def clean_query(raw: str) -> str:
    """NFC text without control characters or backend syntax, at most MAX_QUERY_LENGTH long."""
    text = unicodedata.normalize("NFC", raw)
    kept = (
        char if char.isalnum() or char in "/-." else " "
        for char in text
        if unicodedata.category(char)[0] != "C"
    )
    return " ".join("".join(kept).split())[:MAX_QUERY_LENGTH].strip()

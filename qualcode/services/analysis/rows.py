"""The rows retrieval and text search return, shared by the TUI's search, retrieval and export
screens and by `export_retrieved` (whose columns are RETRIEVED_COLUMNS)."""

from typing import TypedDict


class RetrievedSegment(TypedDict):
    """One segment found by code retrieval, with its text, context and the document's role and city."""

    id: int
    document: str
    coder: str
    code: str
    start: int
    end: int
    question: str
    role: str | None
    city: str | None
    text: str
    memo: str | None
    before: str
    after: str


class TextMatch(TypedDict):
    """One match of a text search, with the text just before and after it."""

    document: str
    start: int
    end: int
    match: str
    before: str
    after: str

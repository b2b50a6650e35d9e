"""The rows the suggestion services return, shared by the CLI (which prints them as JSON, so the
keys are a stable interface) and the TUI's suggestion review."""

from typing import Any, TypedDict


class SuggestionRow(TypedDict):
    """One machine suggestion with its text, as `suggest list` prints it and the workbench reviews it."""

    id: int
    document: str
    code: str
    start: int
    end: int
    text: str
    probability: float | None
    owner: str  # the pseudo-coder (model:<id> or ai:<source>) whose segment it is
    status: str
    reviewer: str | None
    provenance: dict[str, Any]

"""A validation problem tied to a place in a codebook, so readers can report file positions."""

from dataclasses import dataclass

Where = tuple[str, ...]  # e.g. ("code", "TAL.PROG", "color"), ("type", "GOV_LED", "rule")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a codebook, and where it is."""

    message: str
    where: Where = ()
    column_in_value: int | None = None  # rule expressions: 1-based column inside the text
    line_in_value: int | None = None

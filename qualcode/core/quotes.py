"""Where a quoted passage lies in a document's text: every exact occurrence, or the nearest one
(rapidfuzz alignment), for people who quote by hand and for machines that quote loosely."""

import unicodedata

# How much text either side of a candidate is shown, so a person can tell candidates apart.
CONTEXT = 15


def occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    """Every [start, end) where `quote` (NFC, as stored texts are) occurs in `text`, overlaps included."""
    needle = unicodedata.normalize("NFC", quote)
    if not needle:
        return []
    found: list[tuple[int, int]] = []
    at = text.find(needle)
    while at != -1:
        found.append((at, at + len(needle)))
        at = text.find(needle, at + 1)
    return found


def nearest(text: str, quote: str, min_score: float = 60.0) -> tuple[int, int] | None:
    """The passage of `text` most like `quote` (a near miss: a typo, other punctuation), or None."""
    from rapidfuzz import fuzz  # lazily: only needed when a quote is not found

    needle = unicodedata.normalize("NFC", quote)
    if not needle or not text:
        return None
    best = fuzz.partial_ratio_alignment(needle, text)
    if best is None or best.score < min_score:
        return None
    return best.dest_start, best.dest_end


def in_context(text: str, start: int, end: int, width: int = CONTEXT) -> str:
    """One line: the passage in «» with a little text either side."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    line = f"{'…' if start > width else ''}{before}«{text[start:end]}»{after}{'…' if end + width < len(text) else ''}"
    return " ".join(line.split())


# A machine's quote (a language model may change punctuation or spacing) still counts at this score.
MIN_SCORE = 90.0


def locate_quote(text: str, quote: str, min_score: float = MIN_SCORE) -> tuple[int, int] | None:
    """Half-open code point span of a quote a machine gave, or None when it is not there: the
    first exact occurrence, else the nearest passage scoring at least `min_score` (0-100)."""
    quote = quote.strip()
    if len(quote) < 2:
        return None
    found = occurrences(text, quote)
    if found:
        return found[0]
    return nearest(text, quote, min_score)

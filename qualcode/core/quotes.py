"""Finding a quoted passage in a document: exactly, else by fuzzy alignment (rapidfuzz)."""

MIN_SCORE = 90.0


def locate_quote(text: str, quote: str, min_score: float = MIN_SCORE) -> tuple[int, int] | None:
    """Half-open code point span of `quote` in `text`, or None when it is not there.

    A language model may change punctuation or spacing when it quotes; a partial-ratio
    alignment of at least `min_score` (0-100) still counts, anything less does not."""
    quote = quote.strip()
    if len(quote) < 2:
        return None
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    from rapidfuzz import fuzz

    found = fuzz.partial_ratio_alignment(quote, text, score_cutoff=min_score)
    if found is None or found.dest_end <= found.dest_start:
        return None
    return found.dest_start, found.dest_end

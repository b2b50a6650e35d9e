"""Sentence units inside a stretch of text (Chinese and Western punctuation)."""

import re

# A sentence ends after 。！？!?；; or …(with closing quotes/brackets), after a full stop followed by
# white space, or at a line break.
_END = re.compile(r"[。！？!?；;…]+[”’」』）)\"']*|\.(?=\s)|\n")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Half-open [s, e) spans of the sentences in text[start:end], trimmed of surrounding space."""
    stop = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for match in _END.finditer(text, start, stop):
        _add(text, pos, match.end(), spans)
        pos = match.end()
    _add(text, pos, stop, spans)
    return spans


def _add(text: str, s: int, e: int, spans: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((s, e))

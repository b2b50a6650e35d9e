"""Pure span arithmetic for showing coded text: elementary intervals, sentences, turns, disagreements.

Offsets are code point indices, spans half-open [start, end). Nothing here knows about screens.
"""

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

L = TypeVar("L", bound=Hashable)

SENTENCE_END = "。！？!?.；;…"
_SPEAKER_LABEL = re.compile(r"[^\n：:]{1,40}[：:]\s*")


@dataclass(frozen=True)
class Piece(Generic[L]):
    """A maximal run of text covered by exactly the same set of labels."""

    start: int
    end: int
    labels: frozenset[L]


def elementary_intervals(spans: Iterable[tuple[int, int, L]]) -> list[Piece[L]]:
    """Split possibly overlapping labelled spans into disjoint pieces with their label sets.

    Pieces covered by no label are omitted. Runs in O(n log n) over the span ends.
    """
    events: list[tuple[int, int, L]] = []
    for start, end, label in spans:
        if end > start:
            events.append((start, 1, label))
            events.append((end, -1, label))
    events.sort(key=lambda e: (e[0], e[1]))
    active: dict[L, int] = {}
    pieces: list[Piece[L]] = []
    prev: int | None = None
    i = 0
    while i < len(events):
        pos = events[i][0]
        if prev is not None and pos > prev and active:
            pieces.append(Piece(prev, pos, frozenset(active)))
        while i < len(events) and events[i][0] == pos:
            _, delta, label = events[i]
            count = active.get(label, 0) + delta
            if count:
                active[label] = count
            else:
                active.pop(label, None)
            i += 1
        prev = pos
    return pieces


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The sentence around `pos`: bounded by 。！？.!?;… or a line break, without surrounding spaces."""
    if not text:
        return (0, 0)
    pos = max(0, min(pos, len(text) - 1))
    start = pos
    while start > 0 and text[start - 1] not in SENTENCE_END and text[start - 1] != "\n":
        start -= 1
    end = pos
    while end < len(text) and text[end] != "\n" and text[end] not in SENTENCE_END:
        end += 1
    while end < len(text) and text[end] in SENTENCE_END:  # keep the closing punctuation (…… or ?!)
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end)


def turn_body(text: str, start: int, end: int) -> tuple[int, int]:
    """A speaker turn without its leading `Speaker:` label and trailing blank space."""
    match = _SPEAKER_LABEL.match(text, start, end)
    if match and match.end() < end:
        start = match.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end)


def speaker_label_end(text: str, start: int, end: int) -> int | None:
    """Where the `Speaker:` label at the start of a turn ends, if there is one."""
    match = _SPEAKER_LABEL.match(text, start, end)
    return match.end() if match else None


def disagreement_pieces(
    spans: Sequence[tuple[int, int, str, str]], coders: Sequence[str]
) -> list[tuple[int, int, bool, frozenset[tuple[str, str]]]]:
    """Compare coders over (start, end, coder, code) spans.

    Returns each covered piece with `agree` = every compared coder applied exactly the same
    set of codes there; a piece coded by only some coders is a disagreement.
    """
    pieces = elementary_intervals((s, e, (coder, code)) for s, e, coder, code in spans)
    out = []
    for piece in pieces:
        by_coder = {c: frozenset(code for who, code in piece.labels if who == c) for c in coders}
        agree = len(set(by_coder.values())) == 1
        out.append((piece.start, piece.end, agree, piece.labels))
    return out

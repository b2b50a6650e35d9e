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
    return [Piece(s, e, labels) for s, e, labels in elementary_tuples(spans)]


def elementary_tuples(spans: Iterable[tuple[int, int, L]]) -> list[tuple[int, int, frozenset[L]]]:
    """`elementary_intervals` as plain tuples (the transcript view calls this on every repaint)."""
    events: list[tuple[int, int, L]] = []
    for start, end, label in spans:
        if end > start:
            events.append((start, 1, label))
            events.append((end, -1, label))
    events.sort(key=_event_order)
    active: dict[L, int] = {}
    current: frozenset[L] = frozenset()
    pieces: list[tuple[int, int, frozenset[L]]] = []
    prev = 0
    n, i = len(events), 0
    while i < n:
        pos = events[i][0]
        if active and pos > prev:
            pieces.append((prev, pos, current))
        changed = False
        while i < n and events[i][0] == pos:
            _, delta, label = events[i]
            count = active.get(label, 0) + delta
            if count:
                active[label] = count
            else:
                del active[label]
            changed = True
            i += 1
        if changed:
            current = frozenset(active)
        prev = pos
    return pieces


def _event_order(event: tuple[int, int, object]) -> tuple[int, int]:
    return (event[0], event[1])


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
    out = []
    for start, end, labels in elementary_tuples((s, e, (coder, code)) for s, e, coder, code in spans):
        by_coder = {c: frozenset(code for who, code in labels if who == c) for c in coders}
        out.append((start, end, len(set(by_coder.values())) == 1, labels))
    return out

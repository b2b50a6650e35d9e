"""Choosing the original statements that stand as evidence for a code in a paper's coding table.

A journal's coding-evidence table ("original statements → initial concepts → sub-categories →
main categories") quotes a short, complete sentence for each code. A coded segment is often a
whole answer; the quotable passage is the shortest complete sentence inside it that still says
something (at least `min_chars` characters), else the segment itself. Several quotes for one code
come from different cases first, then different documents, so one talkative respondent does not
stand for everyone.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Sentence ends in Chinese and English text; a line break ends a turn's sentence too.
# An English full stop ends a sentence only before a blank or the end (not in 3.5 or e.g.x).
_SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』）)\"']*|\.(?=\s|$)[\"')]*|\n+")
_STRIP = " \t\r\n　"

MIN_CHARS = 10


@dataclass(frozen=True)
class Candidate:
    """A passage [start, end) of a document that could be quoted for a code."""

    document_id: int
    start: int
    end: int
    text: str
    case: str | None
    complete: bool  # ends at a sentence end


def sentences(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """The sentences of text[start:end] as (start, end, complete), offsets into `text`, with
    surrounding blanks left out; `complete` when the sentence ends at a sentence mark."""
    found: list[tuple[int, int, bool]] = []
    at = start
    for match in _SENTENCE_END.finditer(text, start, end):
        mark_start, mark_end = match.span()
        # Every alternative of the pattern but the line break starts with a sentence mark.
        complete = text[mark_start] != "\n"
        found.append((at, mark_end if complete else mark_start, complete))
        at = mark_end
    if at < end:
        found.append((at, end, False))
    trimmed = []
    for s, e, complete in found:
        while s < e and text[s] in _STRIP:
            s += 1
        while e > s and text[e - 1] in _STRIP:
            e -= 1
        if s < e:
            trimmed.append((s, e, complete))
    if trimmed and not _starts_sentence(text, trimmed[0][0]):
        # a segment that begins mid-sentence: its first piece is the tail of a sentence
        s, e, _complete = trimmed[0]
        trimmed[0] = (s, e, False)
    return trimmed


def _starts_sentence(text: str, at: int) -> bool:
    """Whether a sentence begins at `at`: the start of the text, or after a sentence mark, a line
    break or a speaker label's colon (blanks between do not matter)."""
    i = at
    while i > 0 and text[i - 1] in " \t　":
        i -= 1
    return i == 0 or text[i - 1] in "。！？!?；;…”’」』）)\n：:."


def quotable(
    text: str, document_id: int, start: int, end: int, case: str | None, min_chars: int = MIN_CHARS
) -> Candidate | None:
    """The passage of one coded segment to quote: its shortest complete sentence of at least
    `min_chars` characters; else the whole segment (trimmed); None for an empty segment."""
    parts = sentences(text, start, end)
    if not parts:
        return None
    full = [(s, e) for s, e, complete in parts if complete and e - s >= min_chars]
    if full:
        s, e = min(full, key=lambda span: (span[1] - span[0], span[0]))
        return Candidate(document_id, s, e, text[s:e], case, True)
    s, e = parts[0][0], parts[-1][1]
    return Candidate(document_id, s, e, text[s:e], case, parts[-1][2])


def pick(candidates: Iterable[Candidate], count: int) -> list[Candidate]:
    """Up to `count` quotes: complete sentences before fragments, shorter before longer, and each
    new quote from a case (then a document) not yet quoted while there is one."""
    ranked = sorted(
        {(c.document_id, c.start, c.end): c for c in candidates}.values(),
        key=lambda c: (not c.complete, len(c.text), c.document_id, c.start),
    )
    chosen: list[Candidate] = []
    for distinct in (lambda c: c.case, lambda c: c.document_id, None):
        for candidate in ranked:
            if len(chosen) >= count:
                return chosen
            if candidate in chosen:
                continue
            if distinct is not None and distinct(candidate) in {distinct(c) for c in chosen}:
                continue
            chosen.append(candidate)
    return chosen


def best_coder(alphas: dict[str, float | None], segments: dict[str, int]) -> str | None:
    """Whose coding to quote when there is no consensus: the coder with the highest alpha on the
    code (ties: more segments, then name); without any alpha, the coder with most segments."""
    coded = [name for name, n in segments.items() if n > 0]
    if not coded:
        return None
    scored = [name for name in coded if alphas.get(name) is not None]
    if scored:
        return min(scored, key=lambda name: (-(alphas[name] or 0.0), -segments[name], name))
    return min(coded, key=lambda name: (-segments[name], name))


def pair_alphas(pairs: dict[tuple[str, str], float | None]) -> dict[str, float | None]:
    """Each coder's mean alpha with the others on one code, from the pairwise values (undefined
    pairs left out; None for a coder with no defined pair)."""
    by_coder: dict[str, list[float]] = {}
    names: set[str] = set()
    for (a, b), value in pairs.items():
        names.update((a, b))
        if value is not None:
            by_coder.setdefault(a, []).append(value)
            by_coder.setdefault(b, []).append(value)
    return {name: (sum(by_coder[name]) / len(by_coder[name]) if name in by_coder else None) for name in names}


def levels_of(chain: Sequence[tuple[str, str]]) -> tuple[str | None, str | None]:
    """(main category, sub-category) keys of a code whose chain is (key, level) root first:
    the root is the main category (a dimension), the nearest `category` node the sub-category."""
    main = chain[0][0] if len(chain) > 1 else None
    sub = next((key for key, level in reversed(chain[:-1]) if level == "category"), None)
    if sub is None and len(chain) > 2:
        sub = chain[-2][0]
    return main, sub

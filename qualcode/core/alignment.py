"""Linking answers to the interview-guide question they answer (pure).

An interviewer turn names its question by an explicit marker (Q3, 问题3, 第三个问题,
第3题) or by (a paraphrase of) the question text, matched fuzzily with rapidfuzz.
Each respondent turn takes the question of the nearest interviewer turn before it.
Nothing is guessed silently: weak, merged or carried-over links get a low confidence
so that `needs_review` flags them for the lead.
"""

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from qualcode.core.transcript import INTERVIEWER, RESPONDENT, UnitSpec, line_start
from qualcode.i18n import label_of, pgettext_noop

# How a unit came to be linked to its question, as a reviewer reads it; the stored word is the key.
_LINK_SOURCES = {
    "marker": pgettext_noop("question link", "marker"),
    "fuzzy": pgettext_noop("question link", "similar wording"),
    "merged": pgettext_noop("question link", "merged questions"),
    "carried": pgettext_noop("question link", "carried from the question before"),
    "manual": pgettext_noop("question link", "set by hand"),
}


def link_source_label(source: str) -> str:
    """Why a unit is linked to its guide question (marker, similar wording...), for people."""
    return label_of(_LINK_SOURCES, source, "question link")


REVIEW_BELOW = 0.8  # links under this confidence are listed for review
FUZZY_FLOOR = 0.6  # fuzzy scores under this are no link at all
MERGED_CONFIDENCE = 0.5
CARRIED_CONFIDENCE = 0.5
MIN_FUZZY_CHARS = 6

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUM = "[零〇一二三四五六七八九十两兩]{1,4}"
_MARKERS = [
    re.compile(r"(?<![A-Za-z0-9])(?:Q|Question)\s*#?\s*(\d{1,3})(?!\d)", re.IGNORECASE),
    # simplified and traditional (問題, 個, 題) forms
    re.compile(rf"[问問][题題]\s*(\d{{1,3}}|{_CN_NUM})(?![\d])"),
    re.compile(rf"第\s*(\d{{1,3}}|{_CN_NUM})\s*(?:[个個])?\s*(?:[问問][题題]|[题題])"),
]
_STRIP = re.compile(r"[\W_]+", re.UNICODE)
# The speaker label before the first colon is noise for fuzzy matching.
_LABEL = re.compile(r"^\s*[^:：\n]{1,20}[:：]")


@dataclass(frozen=True)
class GuideQuestion:
    key: str
    text_en: str | None = None
    text_zh: str | None = None
    order: int = 0


@dataclass(frozen=True)
class Link:
    question_key: str | None
    confidence: float | None
    source: str | None  # marker | fuzzy | merged | carried | None


NO_LINK = Link(None, None, None)


def chinese_number(text: str) -> int | None:
    """Value of a small Chinese numeral (一 .. 九十九) or of ASCII digits."""
    if text.isdigit():
        return int(text)
    if any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        value = (_CN_DIGITS[tens] if tens else 1) * 10
        return value + (_CN_DIGITS[ones] if ones else 0)
    if len(text) == 1:
        return _CN_DIGITS[text]
    return None


def marker_numbers(text: str) -> list[int]:
    """Question numbers named in the text, in order of appearance, without repeats."""
    found: list[tuple[int, int]] = []
    for pattern in _MARKERS:
        for match in pattern.finditer(text):
            number = chinese_number(match.group(1))
            if number is not None:
                found.append((match.start(), number))
    numbers: list[int] = []
    for _, number in sorted(found):
        if number not in numbers:
            numbers.append(number)
    return numbers


def _squash(text: str) -> str:
    return _STRIP.sub(" ", text.casefold()).strip()


def _key_for_number(number: int, guide: list[GuideQuestion]) -> str | None:
    for question in guide:
        if question.key.casefold() in (f"q{number}", str(number)):
            return question.key
    for question in guide:
        if question.order == number:
            return question.key
    return None if guide else f"Q{number}"


def fuzzy_scores(text: str, guide: list[GuideQuestion]) -> list[tuple[float, str]]:
    """Best similarity of the turn to each question (EN or ZH wording), best first."""
    turn = _squash(_LABEL.sub("", text, count=1))
    if len(turn.replace(" ", "")) < MIN_FUZZY_CHARS:
        return []
    scores: list[tuple[float, str]] = []
    for question in guide:
        best = 0.0
        for wording in (question.text_en, question.text_zh):
            if not wording:
                continue
            target = _squash(wording)
            # partial_ratio finds the question inside a longer turn, but flatters a
            # turn much shorter than the question; then compare whole strings.
            if len(turn) * 2 >= len(target):
                score = fuzz.partial_ratio(target, turn)
            else:
                score = fuzz.ratio(target, turn)
            best = max(best, score / 100.0)
        scores.append((best, question.key))
    scores.sort(key=lambda item: -item[0])
    return scores


_STOPWORDS = frozenset(
    "a about an and any are as at be been by can could did do does for from had has have how i in is it me "
    "more of on or our please say so some tell that the their there these this those to us was we were what "
    "when where which who why with would you your".split()
)
_WORD = re.compile(r"[a-z]+")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
OVERLAP_FLOOR = 0.2


def _features(text: str) -> set[str]:
    """Content-word stems (English) and character bigrams (Chinese) of a text."""
    folded = text.casefold()
    # A five-letter prefix is a crude stem: transfer / transferring / transferred agree.
    words = {w[:5] for w in _WORD.findall(folded) if w not in _STOPWORDS and len(w) > 2}
    bigrams = {run[i : i + 2] for run in _HAN_RUN.findall(folded) for i in range(len(run) - 1)}
    return words | bigrams


def overlap_scores(text: str, guide: list[GuideQuestion]) -> list[tuple[float, str]]:
    """Shared content words (or Chinese bigrams) relative to the smaller side, best first.

    Catches paraphrases that character-level fuzzy matching misses ("what about transferring
    results?" for "How are research results transferred?").
    """
    turn = _features(_LABEL.sub("", text, count=1))
    if not turn:
        return []
    scores = []
    for question in guide:
        best = 0.0
        for wording in (question.text_en, question.text_zh):
            target = _features(wording or "")
            if target:
                best = max(best, len(turn & target) / min(len(turn), len(target)))
        scores.append((best, question.key))
    scores.sort(key=lambda item: -item[0])
    return scores


def link_question(text: str, guide: list[GuideQuestion]) -> Link:
    """The guide question an interviewer turn asks, or NO_LINK."""
    keys = [key for key in (_key_for_number(n, guide) for n in marker_numbers(text)) if key is not None]
    if len(keys) == 1:
        return Link(keys[0], 1.0, "marker")
    if len(keys) > 1:
        return Link(keys[0], MERGED_CONFIDENCE, "merged")
    scores = fuzzy_scores(text, guide)
    if not scores or scores[0][0] < FUZZY_FLOOR:
        return _link_by_overlap(text, guide)
    strong = [key for score, key in scores if score >= REVIEW_BELOW]
    if len(strong) > 1:
        return Link(scores[0][1], MERGED_CONFIDENCE, "merged")
    if not strong:
        # A weak character match of a short turn is often one shared phrase ("the
        # consortium"); where the content words clearly name another question, they win.
        by_words = _link_by_overlap(text, guide)
        if by_words.question_key is not None and by_words.question_key != scores[0][1]:
            return by_words
    return Link(scores[0][1], round(scores[0][0], 3), "fuzzy")


def _link_by_overlap(text: str, guide: list[GuideQuestion]) -> Link:
    """A weak link (always below REVIEW_BELOW, so always reviewed) from shared content words,
    only when one question clearly leads."""
    scores = overlap_scores(text, guide)
    if not scores or scores[0][0] < OVERLAP_FLOOR:
        return NO_LINK
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if scores[0][0] < 2 * runner_up:
        return NO_LINK
    return Link(scores[0][1], round(min(scores[0][0], REVIEW_BELOW - 0.01), 3), "fuzzy")


def align(
    turns: list[tuple[str | None, str]], guide: list[GuideQuestion], fixed: list[Link | None] | None = None
) -> list[Link]:
    """One link per turn: interviewer turns get the question they ask, respondent turns
    the question of the nearest preceding interviewer turn.

    `turns` are (speaker_role, text including the speaker label). An interviewer turn that
    asks no recognisable question (a probe: "Could you give an example?") keeps the
    previous question, flagged as carried. `fixed` links (a survey row, a lead's
    correction) are kept as they are; a fixed interviewer link also applies to the answers after it.
    """
    links: list[Link] = []
    current = NO_LINK
    for index, (role, text) in enumerate(turns):
        pinned = fixed[index] if fixed is not None else None
        if pinned is not None:
            if role == INTERVIEWER:
                current = pinned
            links.append(pinned)
        elif role == INTERVIEWER:
            found = link_question(text, guide)
            if found.question_key is not None:
                current = found
            elif current.question_key is not None:
                current = Link(
                    current.question_key, min(current.confidence or 0, CARRIED_CONFIDENCE), "carried"
                )
            links.append(current)
        elif role == RESPONDENT:
            links.append(current)
        else:
            links.append(NO_LINK)
    return links


def needs_review(key: str | None, confidence: float | None, source: str | None) -> bool:
    """True for an answer whose link the lead should check."""
    if source == "manual" or source == "row":
        return False
    return key is None or confidence is None or confidence < REVIEW_BELOW


def align_units(text: str, units: list[UnitSpec], guide: list[GuideQuestion]) -> None:
    """Set the question fields of `units` (in document order) in place; links from a
    survey row or a lead's correction are kept."""
    turns = [(u.speaker_role, text[line_start(text, u.start) : u.end]) for u in units]
    fixed = [
        Link(u.question_key, u.question_confidence, u.question_source)
        if u.question_source in ("row", "manual")
        else None
        for u in units
    ]
    for unit, link in zip(units, align(turns, guide, fixed), strict=True):
        unit.question_key, unit.question_confidence, unit.question_source = (
            link.question_key,
            link.confidence,
            link.source,
        )

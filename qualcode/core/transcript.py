"""Splitting a transcript into header attributes and speaker turns (pure).

Offsets are code point indices into the text given, which must already be the
stored text (NFC, LF-only): see `normalise_text`.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from qualcode.core.attributes import key_variants
from qualcode.i18n import label_of, pgettext_noop

INTERVIEWER = "interviewer"
RESPONDENT = "respondent"
# A speaker role as a reader sees it; the stored word stays the key in JSON and the database.
_SPEAKER_LABELS = {
    INTERVIEWER: pgettext_noop("speaker", "interviewer"),
    RESPONDENT: pgettext_noop("speaker", "respondent"),
}


def speaker_label(role: str) -> str:
    """A unit's speaker role in the interface language (an unknown role as stored)."""
    return label_of(_SPEAKER_LABELS, role, "speaker")


# Labels a speaker turn may start with, and the role each one means. Matching is
# case-insensitive for Latin labels.
DEFAULT_LABELS: dict[str, str] = {
    "interviewer": INTERVIEWER,
    "interviewee": RESPONDENT,
    "respondent": RESPONDENT,
    "moderator": INTERVIEWER,
    "question": INTERVIEWER,
    "answer": RESPONDENT,
    "int": INTERVIEWER,
    "resp": RESPONDENT,
    "q": INTERVIEWER,
    "a": RESPONDENT,
    "i": INTERVIEWER,
    "r": RESPONDENT,
    "访谈者": INTERVIEWER,
    "采访者": INTERVIEWER,
    "访谈人": INTERVIEWER,
    "主持人": INTERVIEWER,
    "受访者": RESPONDENT,
    "被访者": RESPONDENT,
    "受访人": RESPONDENT,
    "问": INTERVIEWER,
    "答": RESPONDENT,
    # traditional characters (Big5 transcripts from Taiwan and Hong Kong)
    "訪談者": INTERVIEWER,
    "採訪者": INTERVIEWER,
    "訪談人": INTERVIEWER,
    "受訪者": RESPONDENT,
    "被訪者": RESPONDENT,
    "受訪人": RESPONDENT,
    "問": INTERVIEWER,
}

# Keys of the header block commonly used by the research team (others are accepted too).
HEADER_KEYS = ("Case", "City", "Role", "Date", "Interviewer", "案例", "城市", "身份", "日期", "访谈者")
# One table of bilingual header keys for the whole tool: core/attributes.py.
header_key_variants = key_variants


_COLON = "[:：]"
_HEADER_LINE = re.compile(
    r"^(?P<key>[^\s:：][^:：\n]{0,39}?)[ \t\u3000]*[:：][ \t\u3000]*(?P<value>.*?)[ \t\u3000]*$"
)
# A numbered question label ("Q3:"), asked by the interviewer.
_NUMBERED_Q = re.compile(r"q\d{1,3}\.?", re.IGNORECASE)
# A named speaker: a short Chinese name or title (张主任, 李院长) or up to three capitalised words.
_NAMED = r"[\u3400-\u9fff]{1,6}|[A-Z][\w.'’-]{0,20}(?: [A-Z][\w.'’-]{0,20}){0,2}"


@dataclass(frozen=True)
class SpeakerRules:
    """Which line prefixes start a turn and which role each speaker has.

    `roles` maps a named speaker (e.g. 张主任) to interviewer/respondent; a named
    speaker not in it is a respondent unless it is the header's interviewer.
    Named speakers are recognised only if they appear at least `min_named_turns` times,
    so an answer line such as "例如：" is not taken for a speaker.
    """

    labels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LABELS))
    roles: dict[str, str] = field(default_factory=dict)
    named: bool = True
    min_named_turns: int = 2
    # Derived once in __post_init__: folded look-ups and the compiled label pattern.
    _labels: dict[str, str] = field(init=False, repr=False, compare=False)
    _roles: dict[str, str] = field(init=False, repr=False, compare=False)
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Folded look-up tables, built once: label_role runs for every line of every file.
        object.__setattr__(self, "_labels", {k.casefold(): v for k, v in self.labels.items()})
        object.__setattr__(self, "_roles", {k.casefold(): v for k, v in self.roles.items()})
        object.__setattr__(self, "_regex", _label_regex(self))

    def label_role(self, label: str) -> str | None:
        role = self._labels.get(label.casefold())
        if role is None and _NUMBERED_Q.fullmatch(label):
            return INTERVIEWER
        return role

    def role_of(self, speaker: str, interviewer_names: frozenset[str] = frozenset()) -> str | None:
        mapped = self._roles.get(speaker.casefold())
        if mapped is not None:
            return mapped
        known = self.label_role(speaker)
        if known is not None:
            return known
        if speaker.casefold() in interviewer_names:
            return INTERVIEWER
        return RESPONDENT


@dataclass
class UnitSpec:
    """A unit of a document before it is stored."""

    start: int
    end: int
    kind: str = "turn"  # turn | answer | paragraph | page (a PDF page)
    speaker: str | None = None
    speaker_role: str | None = None
    question_key: str | None = None
    question_confidence: float | None = None
    question_source: str | None = None
    t_start: float | None = None
    t_end: float | None = None


@dataclass
class ParsedTranscript:
    attributes: dict[str, str]
    units: list[UnitSpec]
    body_start: int


def normalise_text(text: str) -> str:
    """The stored form: no BOM, LF line endings, NFC."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def kind_for(role: str | None) -> str:
    return "answer" if role == RESPONDENT else "turn"


_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")


def parse_header(text: str, rules: SpeakerRules | None = None) -> tuple[dict[str, str], int]:
    """Attributes from the leading `Key: value` block and where the body starts.

    The block counts as a header only if it is followed by a blank line and at least
    one key is not a speaker label: `Interviewer: Hello` followed by `Respondent: ...`
    is dialogue, `Case: X / Interviewer: Wang` is a header.
    """
    rules = rules or SpeakerRules()
    blank = _BLANK_LINE.search(text)
    if blank is None:
        return {}, 0
    start = 0
    first = text[: blank.start()]
    if "\n" not in first and _HEADER_LINE.match(first) is None and len(first) <= 80:
        # A title line ("# 访谈记录 03") above the header: the header is the next block.
        start = blank.end()
        blank = _BLANK_LINE.search(text, start)
        if blank is None:
            return {}, 0
    block = text[start : blank.start()]
    lines = block.split("\n")
    pairs: list[tuple[str, str]] = []
    for line in lines:
        match = _HEADER_LINE.match(line)
        if match is None:
            return {}, 0
        # Markdown files often bold the keys: **City:** Haibin
        pairs.append((match["key"].strip(" *_\t\u3000"), match["value"].strip(" *_\t\u3000")))
    if not pairs or all(_is_speaker_line(line, rules) for line in lines):
        return {}, 0
    attributes: dict[str, str] = {}
    for key, value in pairs:
        attributes.setdefault(key, value)
    return attributes, blank.end()


_BOLD = r"(?:\*\*|__)?"
_SPACE = r"[ \t\u3000]*"


def _label_regex(rules: SpeakerRules) -> re.Pattern[str]:
    """Line-start speaker labels, optionally bold in Markdown (`**Interviewer:**`) and
    optionally naming the person: `Respondent (Director Zhang):`, `受访者（张主任）：`."""
    labels = sorted(rules.labels, key=len, reverse=True) + sorted(rules.roles, key=len, reverse=True)
    known = "|".join([re.escape(label) for label in labels] + [r"q\d{1,3}\.?"])
    alternation = f"(?i:{known})" + (f"|{_NAMED}" if rules.named else "")
    name = rf"(?:{_SPACE}[(（](?P<name>[^()（）\n]{{1,40}})[)）])?"
    return re.compile(
        rf"^{_SPACE}{_BOLD}(?P<label>{alternation}){name}{_SPACE}{_BOLD}{_SPACE}{_COLON}{_SPACE}{_BOLD}{_SPACE}",
        re.MULTILINE,
    )


def _is_speaker_line(line: str, rules: SpeakerRules) -> bool:
    match = rules._regex.match(line)
    return match is not None and _is_known(match["label"], rules)


def _is_known(label: str, rules: SpeakerRules) -> bool:
    return rules.label_role(label) is not None or label.casefold() in rules._roles


def parse_turns(
    text: str,
    rules: SpeakerRules | None = None,
    *,
    start: int = 0,
    interviewer_names: frozenset[str] = frozenset(),
) -> list[UnitSpec]:
    """Speaker turns in text[start:]: each unit spans the words after the label."""
    rules = rules or SpeakerRules()
    matches = list(rules._regex.finditer(text, start))
    counts = Counter(m["label"] for m in matches if not _is_known(m["label"], rules))
    accepted = [
        m for m in matches if _is_known(m["label"], rules) or counts[m["label"]] >= rules.min_named_turns
    ]
    units: list[UnitSpec] = []
    for index, match in enumerate(accepted):
        limit = accepted[index + 1].start() if index + 1 < len(accepted) else len(text)
        content_start, content_end = _trim(text, match.end(), limit)
        if content_start >= content_end:
            continue
        speaker = match["name"] or match["label"]
        role = rules.role_of(match["label"], interviewer_names)
        if match["name"] and rules.label_role(match["label"]) is None:
            role = rules.role_of(speaker, interviewer_names)
        units.append(UnitSpec(content_start, content_end, kind_for(role), speaker, role))
    return units


def parse_paragraphs(text: str, start: int = 0) -> list[UnitSpec]:
    """Paragraph units (split on blank lines), for text without speaker labels."""
    units: list[UnitSpec] = []
    for match in re.finditer(r"[^\n]+(?:\n(?![ \t\u3000]*\n)[^\n]*)*", text[start:]):
        s, e = _trim(text, start + match.start(), start + match.end())
        if s < e:
            units.append(UnitSpec(s, e, "paragraph"))
    return units


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def parse_transcript(text: str, rules: SpeakerRules | None = None) -> ParsedTranscript:
    """Header attributes plus turns (or paragraphs when no speaker label is found)."""
    rules = rules or SpeakerRules()
    attributes, body_start = parse_header(text, rules)
    interviewer_names = frozenset(
        value.casefold()
        for key, value in attributes.items()
        if rules.label_role(key) == INTERVIEWER and value
    )
    units = parse_turns(text, rules, start=body_start, interviewer_names=interviewer_names)
    if not units:
        units = parse_paragraphs(text, body_start)
    return ParsedTranscript(attributes, units, body_start)


def line_start(text: str, offset: int) -> int:
    """Offset of the first character of the line holding `offset`."""
    return text.rfind("\n", 0, offset) + 1


_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# In UTF-8 every character from U+4000 to U+9FFF (CJK ideographs) starts with one of these
# bytes, and no other character does: counting bytes is much faster than a regex over text.
_HAN_LEAD_BYTES = bytes(range(0xE4, 0xEA))


def detect_language(text: str) -> str | None:
    """'zh' when most letters are CJK ideographs, 'en' when most are Latin, else None."""
    sample = text[:5_000].encode("utf-8", "surrogatepass")
    cjk = len(sample) - len(sample.translate(None, _HAN_LEAD_BYTES))
    latin = len(sample) - len(sample.translate(None, _ASCII_LETTERS))
    if cjk == 0 and latin == 0:
        return None
    # One ideograph carries roughly as much as a short English word.
    return "zh" if cjk * 4 >= latin else "en"

"""The rows the document services return, shared by the CLI (which prints them as JSON, so the
keys are a stable interface) and the TUI."""

from typing import TypedDict


class RoleFields(TypedDict):
    """A document's role as the typology reads it (all None when it has no role attribute)."""

    role: str | None
    role_title: str | None  # the rest of the value, e.g. 某职业学院副院长
    role_value: str | None  # the value as stored
    role_mapped: bool | None  # whether the role vocabulary knew it


class DocumentListing(TypedDict):
    """One document of `docs list`: identity, size, attributes, units by speaker role, case and
    role (the RoleFields keys, in the order the JSON has them)."""

    name: str
    sha256: str
    encoding: str | None
    language: str | None
    length: int
    attributes: dict[str, str | None]
    units: dict[str, int]
    case: str | None
    role: str | None
    role_title: str | None
    role_value: str | None
    role_mapped: bool | None
    version_of: str | None
    source_filename: str | None


class GuideQuestionRow(TypedDict):
    """One interview-guide question of `guide list`, in guide order."""

    key: str
    order: int
    text_en: str | None
    text_zh: str | None
    code_key: str | None  # the code that auto-coding by question applies


class StoredUnit(TypedDict):
    """One unit of a document as stored: a speaker turn or an answer and its guide question."""

    seq: int
    start: int
    end: int
    kind: str
    speaker: str | None
    speaker_role: str | None
    question_key: str | None
    question_confidence: float | None
    question_source: str | None
    t_start: float | None
    t_end: float | None


class DocumentShown(TypedDict):
    """One document with its stored text, attributes and units (`docs show --format json`)."""

    name: str
    text: str
    encoding: str | None
    language: str | None
    sha256: str
    attributes: dict[str, str | None]
    units: list[StoredUnit]


class QuestionLink(TypedDict):
    """A unit's guide question after a lead's correction (`guide align`)."""

    document: str
    seq: int
    question_key: str | None
    question_confidence: float | None
    question_source: str | None


class FlaggedAnswer(TypedDict):
    """An answer whose question link is missing or weak, with what was asked just before it."""

    document: str
    seq: int
    speaker: str | None
    asked: str | None
    question_key: str | None
    question_text: str | None
    question_confidence: float | None
    question_source: str | None
    excerpt: str


class GuideReview(TypedDict):
    """Answers to check, and per document the guide questions it never reaches (`guide review`)."""

    flagged: list[FlaggedAnswer]
    missing: dict[str, list[str]]

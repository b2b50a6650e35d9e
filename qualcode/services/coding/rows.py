"""The rows the coding services return, shared by the CLI (which prints them as JSON, so the keys
are a stable interface) and the TUI."""

from typing import TypedDict


class CodedSegment(TypedDict):
    """One coded segment with its text: what `code add`, `code list` and `code remove` print."""

    id: int
    document: str
    coder: str
    code: str
    start: int
    end: int
    text: str
    memo: str | None
    created_at: str
    updated_at: str


class UpdatedSegment(CodedSegment):
    """A segment after `update_segment`; `changed` says whether anything was written."""

    changed: bool


class DocumentSegment(TypedDict):
    """One segment of the open document as the workbench paints it: no text, but the code's
    names and colour."""

    id: int
    start: int
    end: int
    memo: str | None
    coder: str
    code: str
    name_en: str
    name_zh: str
    color: str | None


class MemoRow(TypedDict):
    """One memo as `memo list` prints it and the memo screens show it."""

    id: int | None  # None for a segment's own memo (it is the segment's, not a memo row)
    target_type: str
    target_id: int | None
    target: str
    coder: str | None
    title: str | None
    text: str
    updated_at: str


class DocumentStatusRow(TypedDict):
    """A coder's mark on a document after `code status` / `code done`."""

    document: str
    coder: str
    status: str


class DocumentOverview(TypedDict):
    """One document of the workbench's document list, with this coder's status and count."""

    name: str
    language: str | None
    length: int
    case: str | None
    role: str | None
    city: str | None
    status: str
    segments: int


class ReversedChange(TypedDict):
    """One change that `undo` or `redo` reversed or re-applied."""

    action: str
    entity: str
    entity_id: int | None


class DoneMarks(TypedDict):
    """What `code done --all` did for one coder."""

    coder: str
    marked: int
    already_done: int
    not_coded: int  # documents left unmarked because the coder has no segments there


class WorkbenchUnit(TypedDict):
    """One unit of the open document: a speaker turn, and the guide question an answer answers."""

    seq: int
    start: int
    end: int
    kind: str
    speaker: str | None
    speaker_role: str | None
    question_key: str | None
    question: str | None  # the question's wording (Chinese, else English)


class OpenedDocument(TypedDict):
    """The document the workbench opens: its text, attributes and units."""

    name: str
    text: str
    language: str | None
    attributes: dict[str, str | None]
    units: list[WorkbenchUnit]


class InVivoCoded(TypedDict):
    """An in-vivo code made from the selected words, and the segment that applies it."""

    code: str
    segment: CodedSegment


class AutocodeSummary(TypedDict):
    """What an auto-coding run did or, with `dry_run`, would do (`autocode run`)."""

    run_id: str | None
    coder: str
    dry_run: bool
    total: int
    skipped_existing: int
    counts: dict[str, dict[str, int]]  # code -> document -> segments
    variants_folded: bool

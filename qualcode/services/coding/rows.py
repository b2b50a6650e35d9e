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

"""Messages that cross widget boundaries in the workbench."""

from dataclasses import dataclass

from textual.message import Message


@dataclass
class DocumentChosen(Message):
    """The coder picked a document to open."""

    name: str


@dataclass
class CodeHighlighted(Message):
    """The cursor of the codebook tree rests on a code (show its definition)."""

    key: str | None


@dataclass
class CodeChosen(Message):
    """The coder pressed enter on a code: apply it to the selection."""

    key: str


@dataclass
class SegmentChosen(Message):
    """A segment row was chosen: jump to it."""

    segment_id: int
    start: int
    end: int


@dataclass
class JumpTo(Message):
    """Open a document and select [start, end) in it (from retrieval, search or agreement)."""

    document: str
    start: int
    end: int

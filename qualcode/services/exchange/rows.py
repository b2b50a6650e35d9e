"""The summaries the exchange services return, shared by the CLI (which prints them as JSON, so the
keys are a stable interface), the TUI's export screen and the event log (`after` of an export or
import event)."""

from typing import TypedDict

from qualcode.services.codebook.rows import CodebookLoaded


class CodebookIdentity(TypedDict):
    """Which codebook the codings were made with, as a .qdpx records it."""

    id: str | None
    version: int
    sha256: str


class QdpxContents(TypedDict):
    """What a .qdpx holds, and what the project has that REFI-QDA cannot carry."""

    users: int
    codes: int
    variables: int
    cases: int
    sources: int
    selections: int
    codings: int
    notes: int
    codebook: CodebookIdentity
    not_exported: list[str]


class _WrittenFile(TypedDict):
    file: str
    bytes: int


class QdpxExported(_WrittenFile, QdpxContents):
    """A written .qdpx (`export --qdpx`): the file and its size, then what it holds (the keys of
    QdpxContents, in order: a TypedDict's bases come first)."""


class QdpxCounts(TypedDict):
    """What a .qdpx import added (and found already there)."""

    coders: int
    codes: int
    codes_matched: int
    documents: int
    documents_reused: int
    units: int
    attributes: int
    cases: int
    segments: int
    segments_already_present: int
    memos: int


class _QdpxFile(TypedDict):
    file: str
    origin: str | None  # the exporting tool


class QdpxImported(_QdpxFile, QdpxCounts):
    """A .qdpx import (`import`, `init --from`): the file and exporting tool, then the counts
    (keys in that order: a TypedDict's bases come first), position conventions, and what the
    archive held that the project could not take."""

    conventions: dict[str, str]
    not_imported: list[str]


class CodebookFileWritten(TypedDict):
    """A codebook written as YAML or .qdc (`codebook export`)."""

    id: str | None
    version: int
    file_version: str | None
    sha256: str
    codes: int
    path: str


class QdcImported(CodebookLoaded):
    """A .qdc loaded as the codebook (`codebook import-qdc`): what changed, what was dropped and how
    many keys were made from names."""

    dropped: list[str]
    generated_keys: int


class SegmentsCsv(TypedDict):
    """The long segment table written as CSV (`export --csv`)."""

    file: str
    bytes: int
    segments: int

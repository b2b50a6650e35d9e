"""The rows the codebook services return, shared by the CLI (which prints them as JSON, so the keys
are a stable interface) and the TUI."""

from typing import TypedDict


class CodeListing(TypedDict):
    """One code of `list_codes`, in tree order, with how many segments the viewer may see."""

    key: str
    parent: str | None
    name_en: str
    name_zh: str
    dimension: str
    level: str
    depth: int
    codable: bool
    retired: bool
    color: str | None
    short_definition: str | None
    short_definition_zh: str | None
    definition: str | None
    definition_zh: str | None
    inclusion: str | None
    inclusion_zh: str | None
    exclusion: str | None
    exclusion_zh: str | None
    example_en: str | None
    example_zh: str | None
    guid: str | None
    id: int
    segments: int


class CodebookInfo(TypedDict):
    """Which codebook a project holds (`codebook info`, the workbook's Codebook sheet, exports)."""

    id: str | None
    version: int  # the project's codebook version, moved by every change
    file_version: str | None  # the version the codebook file names
    sha256: str
    codes: int


class CodebookLoaded(TypedDict):
    """What loading a codebook file changed (`codebook load`, `import-qdc`, `init --codebook`)."""

    id: str
    version: int
    codes: int
    retired: list[str]  # codes the file no longer has, kept as retired because they are coded
    guide_links_cleared: list[str]  # "question (code)" whose code the file no longer has
    changes: int


class CodeChanged(TypedDict):
    """One code added, renamed, edited, retired or made active again; `changes`: rows written."""

    key: str
    version: int
    changes: int


class CodeMoved(TypedDict):
    """A code moved under another parent (None: to the top)."""

    key: str
    parent: str | None
    version: int
    changes: int


class CodesMerged(TypedDict):
    """A code merged into another: its segments moved, exact duplicates collapsed."""

    source: str
    target: str
    segments_moved: int
    duplicates_collapsed: int
    version: int
    changes: int


class CodebookUndone(TypedDict):
    """The codebook change an undo reversed, as a whole."""

    undone: str  # the action, e.g. codebook.merge
    events: int
    version: int

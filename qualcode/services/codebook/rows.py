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

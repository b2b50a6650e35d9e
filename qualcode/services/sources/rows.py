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

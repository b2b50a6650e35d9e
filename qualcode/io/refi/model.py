"""An exchange project in the shape of REFI-QDA 1.0 (project.qde), as plain dataclasses.

This is what `qdpx_write` serialises and `qdpx_read` produces. It knows nothing of the
store. Texts and positions are always in qualcode's convention: NFC, LF line ends, no BOM,
half-open code point offsets [start, end). The reader converts each vendor's positions
into this convention before filling the model.
"""

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

NAMESPACE = "urn:QDA-XML:project:1.0"
VARIABLE_TYPES = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")


@dataclass
class User:
    guid: str
    name: str | None = None
    id: str | None = None


@dataclass
class Code:
    guid: str
    name: str
    is_codable: bool = True
    color: str | None = None
    description: str | None = None
    note_refs: list[str] = field(default_factory=list)
    children: list["Code"] = field(default_factory=list)

    def walk(self) -> "list[Code]":
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class Variable:
    guid: str
    name: str
    type: str = "Text"  # one of VARIABLE_TYPES
    description: str | None = None


@dataclass
class VariableValue:
    variable_guid: str
    type: str  # one of VARIABLE_TYPES; decides the value element
    value: str | None  # the lexical value as written in XML; None for an empty VariableValue


@dataclass
class Case:
    guid: str
    name: str | None = None
    description: str | None = None
    variable_values: list[VariableValue] = field(default_factory=list)
    source_refs: list[str] = field(default_factory=list)


@dataclass
class Coding:
    guid: str
    code_guid: str
    creating_user: str | None = None
    created: datetime | None = None
    note_refs: list[str] = field(default_factory=list)


@dataclass
class Selection:
    """A PlainTextSelection, already in qualcode's half-open code point convention."""

    guid: str
    start: int
    end: int
    name: str | None = None
    description: str | None = None
    creating_user: str | None = None
    created: datetime | None = None
    codings: list[Coding] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)


@dataclass
class TextSource:
    guid: str
    name: str
    text: str  # normalised plain text
    creating_user: str | None = None
    created: datetime | None = None
    description: str | None = None
    selections: list[Selection] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)  # whole-source codings
    note_refs: list[str] = field(default_factory=list)
    variable_values: list[VariableValue] = field(default_factory=list)


@dataclass
class Note:
    guid: str
    name: str | None
    text: str
    creating_user: str | None = None
    created: datetime | None = None


@dataclass
class ExchangeProject:
    name: str
    origin: str | None = None
    creating_user: str | None = None
    created: datetime | None = None
    description: str | None = None
    users: list[User] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)  # top level of the codebook tree
    variables: list[Variable] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sources: list[TextSource] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)  # notes on the project as a whole
    # Filled by the reader: what the archive held that this model cannot carry, one line each.
    not_imported: list[str] = field(default_factory=list)
    # Filled by the reader: how positions were interpreted (convention name and reason).
    conventions: dict[str, str] = field(default_factory=dict)

    def all_codes(self) -> list[Code]:
        out: list[Code] = []
        for code in self.codes:
            out.extend(code.walk())
        return out


_GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")


def is_guid(value: str) -> bool:
    return bool(_GUID.match(value))


def canonical_guid(value: str) -> str:
    """GUIDs compare case-insensitively and may be braced; keep one lowercase form as the key."""
    return value.strip().strip("{}").lower()


@lru_cache(maxsize=64)
def _namespace_bytes(namespace: str) -> bytes:
    return uuid.UUID(namespace).bytes


def derived_guid(namespace: str, kind: str, ident: object) -> str:
    """A GUID that is the same on every export of the same project entity.

    Equal to str(uuid.uuid5(UUID(namespace), f"{kind}:{ident}")), computed without building
    UUID objects (exports derive tens of thousands of them).
    """
    digest = bytearray(hashlib.sha1(_namespace_bytes(namespace) + f"{kind}:{ident}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

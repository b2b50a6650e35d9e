"""Write an ExchangeProject as a REFI-QDA project: project.qde and a .qdpx archive.

Children are emitted in the order Project.xsd's sequences require (an out-of-order
element makes the file invalid for strict importers). Plain texts go to
`sources/<guid>.txt` as UTF-8 without BOM and with LF line ends, so positions in the
file are exactly qualcode's code point offsets (lxml serialises; ElementTree was 5x slower); ends are written exclusive, as QualCoder,
NVivo, MAXQDA and ATLAS.ti do in practice.
"""

import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree as ET

from qualcode.io.refi.model import (
    NAMESPACE,
    Case,
    Code,
    Coding,
    ExchangeProject,
    Note,
    Selection,
    TextSource,
    Variable,
    VariableValue,
)

_VALUE_ELEMENT = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}


# Characters XML 1.0 cannot carry at all (not even escaped); dropped from names and notes.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: str) -> str:
    return _ILLEGAL_XML.sub("", value)


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _sub(parent: ET._Element, tag: str, **attrs: str | None) -> ET._Element:
    return ET.SubElement(parent, _q(tag), {k: _clean(v) for k, v in attrs.items() if v is not None})


def _text_child(parent: ET._Element, tag: str, text: str | None) -> None:
    if text is not None:
        _sub(parent, tag).text = _clean(text)


def _when(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _refs(parent: ET._Element, tag: str, guids: list[str]) -> None:
    for guid in guids:
        _sub(parent, tag, targetGUID=guid)


def _code(parent: ET._Element, code: Code) -> None:
    el = _sub(
        parent,
        "Code",
        guid=code.guid,
        name=code.name,
        isCodable="true" if code.is_codable else "false",
        color=code.color,
    )
    _text_child(el, "Description", code.description)
    _refs(el, "NoteRef", code.note_refs)
    for child in code.children:
        _code(el, child)


def _variable_value(parent: ET._Element, vv: VariableValue) -> None:
    el = _sub(parent, "VariableValue")
    _sub(el, "VariableRef", targetGUID=vv.variable_guid)
    if vv.value is not None:
        _sub(el, _VALUE_ELEMENT[vv.type]).text = _clean(vv.value)


def _coding(parent: ET._Element, coding: Coding) -> None:
    el = _sub(
        parent,
        "Coding",
        guid=coding.guid,
        creatingUser=coding.creating_user,
        creationDateTime=_when(coding.created),
    )
    _sub(el, "CodeRef", targetGUID=coding.code_guid)
    _refs(el, "NoteRef", coding.note_refs)


def _selection(parent: ET._Element, sel: Selection) -> None:
    el = _sub(
        parent,
        "PlainTextSelection",
        guid=sel.guid,
        name=sel.name,
        startPosition=str(sel.start),
        endPosition=str(sel.end),
        creatingUser=sel.creating_user,
        creationDateTime=_when(sel.created),
    )
    _text_child(el, "Description", sel.description)
    for coding in sel.codings:
        _coding(el, coding)
    _refs(el, "NoteRef", sel.note_refs)


def _source(parent: ET._Element, src: TextSource) -> None:
    el = _sub(
        parent,
        "TextSource",
        guid=src.guid,
        name=src.name,
        plainTextPath=f"internal://{src.guid}.txt",
        creatingUser=src.creating_user,
        creationDateTime=_when(src.created),
    )
    _text_child(el, "Description", src.description)
    for sel in src.selections:
        _selection(el, sel)
    for coding in src.codings:
        _coding(el, coding)
    _refs(el, "NoteRef", src.note_refs)
    for vv in src.variable_values:
        _variable_value(el, vv)


def _note(parent: ET._Element, note: Note) -> None:
    el = _sub(
        parent,
        "Note",
        guid=note.guid,
        name=note.name,
        creatingUser=note.creating_user,
        creationDateTime=_when(note.created),
    )
    _text_child(el, "PlainTextContent", note.text)


def _case(parent: ET._Element, case: Case) -> None:
    el = _sub(parent, "Case", guid=case.guid, name=case.name)
    _text_child(el, "Description", case.description)
    for vv in case.variable_values:
        _variable_value(el, vv)
    _refs(el, "SourceRef", case.source_refs)


def _variable(parent: ET._Element, var: Variable) -> None:
    el = _sub(parent, "Variable", guid=var.guid, name=var.name, typeOfVariable=var.type)
    _text_child(el, "Description", var.description)


def project_xml(project: ExchangeProject) -> bytes:
    """The project.qde document, UTF-8 with an XML declaration."""
    root = ET.Element(
        _q("Project"),
        {
            k: _clean(v)
            for k, v in {
                "name": project.name,
                "origin": project.origin,
                "creatingUserGUID": project.creating_user,
                "creationDateTime": _when(project.created),
            }.items()
            if v is not None
        },
        nsmap={None: NAMESPACE},
    )
    if project.users:
        users = _sub(root, "Users")
        for user in project.users:
            _sub(users, "User", guid=user.guid, name=user.name, id=user.id)
    if project.codes:
        codes = _sub(_sub(root, "CodeBook"), "Codes")
        for code in project.codes:
            _code(codes, code)
    if project.variables:
        variables = _sub(root, "Variables")
        for var in project.variables:
            _variable(variables, var)
    if project.cases:
        cases = _sub(root, "Cases")
        for case in project.cases:
            _case(cases, case)
    if project.sources:
        sources = _sub(root, "Sources")
        for src in project.sources:
            _source(sources, src)
    if project.notes:
        notes = _sub(root, "Notes")
        for note in project.notes:
            _note(notes, note)
    _text_child(root, "Description", project.description)
    _refs(root, "NoteRef", project.note_refs)
    ET.indent(root, space="  ")
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def source_bytes(text: str) -> bytes:
    """A plain-text source file: UTF-8, no BOM, LF (the text is stored LF-only already)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")


def write_qdpx(project: ExchangeProject, path: str | Path) -> int:
    """Write the .qdpx archive to `path` (callers make it atomic: services/outputs.py); returns its size."""
    target = Path(path)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml(project))
        for src in project.sources:
            archive.writestr(f"sources/{src.guid}.txt", source_bytes(src.text))
    return target.stat().st_size

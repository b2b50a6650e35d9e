"""Read a REFI-QDA project (.qdpx) into an ExchangeProject, safely and in our convention.

The archive goes through SafeZip (no extraction, limits on size, ratio and names) and the
XML through defusedxml with DTDs forbidden, so entity expansion ("billion laughs") and
external entities are refused before any content is read. Every selection is converted
from the exporting tool's position convention (qdpx_offsets) into half-open offsets into
the normalised text, so that the text a selection covers is the text the tool selected.
Whatever the model cannot carry is listed in `not_imported`.
"""

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from qualcode.core.codebook import MAX_DEPTH, depth_problem
from qualcode.core.errors import QualcodeError
from qualcode.i18n import _
from qualcode.io.refi.model import (
    NAMESPACE,
    VARIABLE_TYPES,
    Case,
    Code,
    Coding,
    ExchangeProject,
    Note,
    Selection,
    TextSource,
    User,
    Variable,
    VariableValue,
    canonical_guid,
)
from qualcode.io.refi.offsets import (
    CONVENTIONS,
    POSITIONS,
    Convention,
    SourceText,
    convention_for_origin,
    normalise_text,
)
from qualcode.io.safe_zip import SafeZip, UnsafeArchiveError, ZipLimits

_VALUE_TYPES = {
    "TextValue": "Text",
    "BooleanValue": "Boolean",
    "IntegerValue": "Integer",
    "FloatValue": "Float",
    "DateValue": "Date",
    "DateTimeValue": "DateTime",
}
_OTHER_SOURCES = {
    "PictureSource": "picture",
    "PDFSource": "PDF",
    "AudioSource": "audio",
    "VideoSource": "video",
}


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _children(el: ET.Element, name: str) -> Iterator[ET.Element]:
    for child in el:
        if _local(child.tag) == name:
            yield child


def _child(el: ET.Element, name: str) -> ET.Element | None:
    return next(_children(el, name), None)


def _child_text(el: ET.Element, name: str) -> str | None:
    child = _child(el, name)
    return None if child is None else (child.text or "")


def _guid(el: ET.Element, attr: str = "guid") -> str | None:
    value = el.get(attr)
    return canonical_guid(value) if value else None


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _refs(el: ET.Element, name: str) -> list[str]:
    return [g for g in (_guid(r, "targetGUID") for r in _children(el, name)) if g]


def parse_project_xml(data: bytes, archive_name: str = "project.qde") -> ET.Element:
    """Parse project.qde with DTDs (and so all entity declarations) refused."""
    import defusedxml
    import defusedxml.ElementTree as SafeET

    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise UnsafeArchiveError(
            _(
                "{archive_name}: project.qde declares a DTD or entities ({name__}); refusing possible entity expansion or external entity access"
            ).format(archive_name=archive_name, name__=type(exc).__name__)
        ) from exc
    except ET.ParseError as exc:
        raise QualcodeError(
            _("{archive_name}: project.qde is not well-formed XML ({exc})").format(
                archive_name=archive_name, exc=exc
            )
        ) from exc
    if _local(root.tag) != "Project":
        raise QualcodeError(
            _("{archive_name}: project.qde has root <{local}>, not <Project>").format(
                archive_name=archive_name, local=_local(root.tag)
            )
        )
    namespace = str(root.tag)[1:].partition("}")[0] if str(root.tag).startswith("{") else None
    if namespace is not None and namespace != NAMESPACE:
        # No namespace is tolerated (hand-made files); another one is some other format.
        raise QualcodeError(
            _(
                "{archive_name}: project.qde is in namespace {namespace!r}, not REFI-QDA's {NAMESPACE!r}"
            ).format(archive_name=archive_name, namespace=namespace, NAMESPACE=NAMESPACE)
        )
    return root


def refuse_duplicate_guids(root: ET.Element, archive_name: str) -> None:
    """REFI-QDA identifies every object (user, code, source, selection, coding, note, case,
    variable, set, graph) by its `guid`; two objects with one GUID cannot be told apart, so
    the archive is refused rather than one of them dropped or merged by guess."""
    seen: dict[str, ET.Element] = {}
    for el in root.iter():
        guid = _guid(el)
        if guid is None:
            continue
        first = seen.setdefault(guid, el)
        if first is not el:
            raise QualcodeError(
                _(
                    "{archive_name}: the GUID {get} belongs to two objects ({describe} and {describe2}); every object needs its own GUID, so the archive is not imported"
                ).format(
                    archive_name=archive_name,
                    get=el.get('guid'),
                    describe=_describe(first),
                    describe2=_describe(el),
                )
            )


def _unusable(st: SourceText, start: int, end: int, conv: Convention, width: int) -> str:
    """Why a selection's positions give no span, in the words a person would check them by."""
    length = st.vendor_length(width)
    if start < 0 or end > length or (conv.end_inclusive and end >= length):
        return f"positions {start}-{end} lie outside the text ({length} positions)"
    if end + (1 if conv.end_inclusive else 0) <= start:
        return (
            f"positions {start}-{end} select no text (an empty selection)"
            if end == start
            else f"positions {start}-{end} end before they start"
        )
    return f"positions {start}-{end} select no whole character"


def _describe(el: ET.Element) -> str:
    name = el.get("name")
    return f"<{_local(el.tag)}> {name!r}" if name else f"<{_local(el.tag)}>"


class _Reader:
    def __init__(self, archive: SafeZip, convention: Convention | None, positions: str = "auto") -> None:
        self.archive = archive
        self.forced = convention
        self.positions = positions
        self.lost: list[str] = []
        self.conventions: dict[str, str] = {}

    def _decode(self, data: bytes, what: str) -> str | None:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.lost.append(f"{what}: not UTF-8 text ({exc.reason} at byte {exc.start})")
            return None

    def _raw_text(self, el: ET.Element, what: str) -> str | None:
        content = _child_text(el, "PlainTextContent")
        if content is not None:
            return content
        path = el.get("plainTextPath")
        if not path:
            self.lost.append(f"{what}: no plain text (only {el.get('richTextPath') or 'nothing'})")
            return None
        if not path.lower().startswith("internal://"):
            self.lost.append(f"{what}: external file {path} is not inside the archive")
            return None
        member = self.archive.find("sources/" + path[len("internal://") :].lstrip("/"))
        if member is None:
            self.lost.append(f"{what}: {path} is missing from the archive")
            return None
        return self._decode(self.archive.read(member), what)

    def users(self, root: ET.Element) -> list[User]:
        users = _child(root, "Users")
        if users is None:
            return []
        return [
            User(guid=g, name=u.get("name"), id=u.get("id"))
            for u in _children(users, "User")
            if (g := _guid(u))
        ]

    def _code(self, el: ET.Element, depth: int = 0) -> Code | None:
        if depth >= MAX_DEPTH:
            raise QualcodeError(_("project.qde: {message}").format(message=depth_problem().message))
        guid = _guid(el)
        if guid is None:
            self.lost.append(f"code {el.get('name')!r}: no guid")
            return None
        code = Code(
            guid=guid,
            name=el.get("name") or guid,
            is_codable=el.get("isCodable", "true") in ("true", "1"),
            color=el.get("color"),
            description=_child_text(el, "Description"),
            note_refs=_refs(el, "NoteRef"),
        )
        code.children = [c for c in (self._code(child, depth + 1) for child in _children(el, "Code")) if c]
        return code

    def codes(self, root: ET.Element) -> list[Code]:
        book = _child(root, "CodeBook")
        codes = _child(book, "Codes") if book is not None else None
        if codes is None:
            return []
        return [c for c in (self._code(el) for el in _children(codes, "Code")) if c]

    def variable_values(self, el: ET.Element) -> list[VariableValue]:
        out = []
        for vv in _children(el, "VariableValue"):
            ref = _child(vv, "VariableRef")
            guid = _guid(ref, "targetGUID") if ref is not None else None
            if guid is None:
                continue
            typ, value = "Text", None
            for child in vv:
                if _local(child.tag) in _VALUE_TYPES:
                    typ, value = _VALUE_TYPES[_local(child.tag)], (child.text or "")
            out.append(VariableValue(variable_guid=guid, type=typ, value=value))
        return out

    def variables(self, root: ET.Element) -> list[Variable]:
        holder = _child(root, "Variables")
        if holder is None:
            return []
        out = []
        for el in _children(holder, "Variable"):
            guid = _guid(el)
            typ = el.get("typeOfVariable", "Text")
            if guid:
                out.append(
                    Variable(
                        guid=guid,
                        name=el.get("name") or guid,
                        type=typ if typ in VARIABLE_TYPES else "Text",
                        description=_child_text(el, "Description"),
                    )
                )
        return out

    def cases(self, root: ET.Element) -> list[Case]:
        holder = _child(root, "Cases")
        if holder is None:
            return []
        out = []
        for el in _children(holder, "Case"):
            guid = _guid(el)
            if guid is None:
                continue
            case = Case(
                guid=guid,
                name=el.get("name"),
                description=_child_text(el, "Description"),
                variable_values=self.variable_values(el),
                source_refs=_refs(el, "SourceRef"),
            )
            lost = len(_refs(el, "SelectionRef")) + len(_refs(el, "CodeRef"))
            if lost:
                self.lost.append(f"case {case.name or guid}: {lost} references to selections or codes")
            out.append(case)
        return out

    def _coding(self, el: ET.Element, fallback_user: str | None) -> Coding | None:
        ref = _child(el, "CodeRef")
        code_guid = _guid(ref, "targetGUID") if ref is not None else None
        guid = _guid(el)
        if code_guid is None or guid is None:
            return None
        return Coding(
            guid=guid,
            code_guid=code_guid,
            creating_user=_guid(el, "creatingUser") or fallback_user,
            created=_when(el.get("creationDateTime")),
            note_refs=_refs(el, "NoteRef"),
        )

    def _convention(self, origin: str | None) -> Convention:
        conv = self.forced or convention_for_origin(origin)
        if self.positions == "auto":
            return conv
        inclusive = self.positions == "inclusive"
        return replace(conv, name=f"{conv.name}, {self.positions} ends", end_inclusive=inclusive)

    def text_source(self, el: ET.Element, origin: str | None) -> TextSource | None:
        guid = _guid(el)
        name = el.get("name") or guid or "?"
        if guid is None:
            self.lost.append(f"text source {name!r}: no guid")
            return None
        raw = self._raw_text(el, f"text source {name!r}")
        if raw is None:
            return None
        st = SourceText(raw)
        conv = self._convention(origin)
        raw_sels = []
        for sel in _children(el, "PlainTextSelection"):
            try:
                raw_sels.append((sel, int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))))
            except ValueError:
                self.lost.append(f"selection {sel.get('guid')} in {name!r}: positions are not integers")
        width = conv.crlf_width
        if width is None:
            max_end = max((e + (1 if conv.end_inclusive else 0) for _sel, _start, e in raw_sels), default=0)
            width, why = st.sniff_crlf_width(max_end)
            self.conventions[name] = f"{conv.name}: {why}"
        else:
            self.conventions[name] = conv.name
        src_user = _guid(el, "creatingUser")
        source = TextSource(
            guid=guid,
            name=name,
            text=st.text,
            creating_user=src_user,
            created=_when(el.get("creationDateTime")),
            description=_child_text(el, "Description"),
            note_refs=_refs(el, "NoteRef"),
            variable_values=self.variable_values(el),
        )
        for sel, start, end in raw_sels:
            span = st.convert(start, end, conv, width)
            sel_guid = _guid(sel)
            if span is None or sel_guid is None:
                why = "it has no guid" if sel_guid is None else _unusable(st, start, end, conv, width)
                self.lost.append(f"selection {sel.get('guid')} in {name!r}: {why}")
                continue
            user = _guid(sel, "creatingUser") or src_user
            codings = [c for c in (self._coding(c_el, user) for c_el in _children(sel, "Coding")) if c]
            source.selections.append(
                Selection(
                    guid=sel_guid,
                    start=span[0],
                    end=span[1],
                    name=sel.get("name"),
                    description=_child_text(sel, "Description"),
                    creating_user=user,
                    created=_when(sel.get("creationDateTime")),
                    codings=codings,
                    note_refs=_refs(sel, "NoteRef"),
                )
            )
        source.codings = [c for c in (self._coding(c_el, src_user) for c_el in _children(el, "Coding")) if c]
        return source

    def sources(self, root: ET.Element, origin: str | None) -> list[TextSource]:
        holder = _child(root, "Sources")
        if holder is None:
            return []
        out = []
        others: Counter[str] = Counter()
        for el in holder:
            kind = _local(el.tag)
            if kind == "TextSource":
                src = self.text_source(el, origin)
                if src is not None:
                    out.append(src)
            elif kind in _OTHER_SOURCES:
                others[_OTHER_SOURCES[kind]] += 1
        for kind, count in sorted(others.items()):
            self.lost.append(
                f"{count} {kind} source{'s' if count > 1 else ''} (only text sources are imported)"
            )
        return out

    def notes(self, root: ET.Element) -> list[Note]:
        holder = _child(root, "Notes")
        if holder is None:
            return []
        out = []
        for el in _children(holder, "Note"):
            guid = _guid(el)
            what = f"note {el.get('name') or guid!r}"
            text = self._raw_text(el, what) if guid else None
            if guid is None or text is None:
                continue
            if _child(el, "PlainTextSelection") is not None:
                self.lost.append(f"{what}: selections and codings inside the note")
            out.append(
                Note(
                    guid=guid,
                    name=el.get("name"),
                    text=normalise_text(text),
                    creating_user=_guid(el, "creatingUser"),
                    created=_when(el.get("creationDateTime")),
                )
            )
        return out

    def other_parts(self, root: ET.Element) -> None:
        for holder, item, label in (
            ("Links", "Link", "link"),
            ("Sets", "Set", "set"),
            ("Graphs", "Graph", "graph"),
        ):
            el = _child(root, holder)
            if el is not None:
                count = len(list(_children(el, item)))
                if count:
                    self.lost.append(f"{count} {label}{'s' if count > 1 else ''} (not supported)")


def read_qdpx(
    path: str | Path,
    *,
    convention: str | None = None,
    positions: str = "auto",
    limits: ZipLimits | None = None,
) -> ExchangeProject:
    """Read and vet a .qdpx archive; raise QualcodeError on anything hostile or unreadable.

    `convention` forces a position convention (a key of qdpx_offsets.CONVENTIONS) instead
    of choosing it from Project/@origin. `positions` says whether a selection's endPosition
    is its last character (`inclusive`, the REFI-QDA text read literally) or the one after it
    (`exclusive`); `auto` takes what the exporting tool is known to write.
    """
    if positions not in POSITIONS:
        raise QualcodeError(
            _("unknown --positions {positions!r}; use one of {POSITIONS}").format(
                positions=positions, POSITIONS=', '.join(POSITIONS)
            )
        )
    forced = None
    if convention is not None:
        if convention not in CONVENTIONS:
            raise QualcodeError(
                _("unknown position convention {convention!r}; use one of {CONVENTIONS}").format(
                    convention=convention, CONVENTIONS=', '.join(CONVENTIONS)
                )
            )
        forced = CONVENTIONS[convention]
    with SafeZip(path, limits) as archive:
        member = archive.find("project.qde")
        if member is None:
            raise QualcodeError(
                _("{name} is not a REFI-QDA project: it holds no project.qde").format(name=Path(path).name)
            )
        root = parse_project_xml(archive.read(member), Path(path).name)
        refuse_duplicate_guids(root, Path(path).name)
        reader = _Reader(archive, forced, positions)
        origin = root.get("origin")
        project = ExchangeProject(
            name=root.get("name") or Path(path).stem,
            origin=origin,
            creating_user=_guid(root, "creatingUserGUID"),
            created=_when(root.get("creationDateTime")),
            description=_child_text(root, "Description"),
            users=reader.users(root),
            codes=reader.codes(root),
            variables=reader.variables(root),
            cases=reader.cases(root),
            sources=reader.sources(root, origin),
            notes=reader.notes(root),
            note_refs=_refs(root, "NoteRef"),
        )
        reader.other_parts(root)
        project.not_imported = reader.lost
        project.conventions = reader.conventions
        return project

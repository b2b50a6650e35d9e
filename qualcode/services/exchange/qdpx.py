"""REFI-QDA project exchange: export a project to .qdpx, import a .qdpx into a project.

GUIDs are stable across exports: entities without a stored GUID get one derived (uuid5)
from a per-project namespace kept in the settings table (`refi_namespace`) and the row id.
"""

import re
import shutil
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from qualcode import __version__
from qualcode.core.codebook import TEXT_FIELDS
from qualcode.core.errors import QualcodeError
from qualcode.core.transcript import SpeakerRules
from qualcode.i18n.messages import Message
from qualcode.io.refi import codemeta as qdpx_codemeta
from qualcode.io.refi.model import (
    Case as XCase,
)
from qualcode.io.refi.model import (
    Code as XCode,
)
from qualcode.io.refi.model import (
    Coding,
    ExchangeProject,
    Note,
    Selection,
    TextSource,
    User,
    Variable,
    VariableValue,
    derived_guid,
    is_guid,
)
from qualcode.io.refi.read import read_qdpx
from qualcode.io.refi.write import write_qdpx
from qualcode.io.safe_zip import ZipLimits
from qualcode.services.codebook.sync import read_book, read_version
from qualcode.services.events import record
from qualcode.services.exchange.rows import CodebookIdentity, QdpxContents, QdpxExported, QdpxImported
from qualcode.services.outputs import output_file
from qualcode.services.settings import read_setting, write_setting
from qualcode.services.team.access import can_see, visible_coder_ids
from qualcode.store.db import Project, init_project, is_url
from qualcode.store.mapped import saved_id
from qualcode.store.models import (
    Case,
    CaseMember,
    Code,
    Coder,
    Document,
    DocumentAttribute,
    DocumentStatus,
    Memo,
    Question,
    Segment,
    Unit,
)

NAMESPACE_SETTING = "refi_namespace"
ORIGIN = f"qualcode {__version__}"
_RGB = re.compile(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_BOOLEAN = re.compile(r"true|false|1|0")


def _is_date(value: str) -> bool:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


# attribute type -> (REFI typeOfVariable, check that the lexical value fits the XSD type)
_ATTR_TYPES: dict[str, tuple[str, Callable[[str], bool] | None]] = {
    "text": ("Text", None),
    "integer": ("Integer", lambda v: bool(_INTEGER.fullmatch(v))),
    "float": ("Float", lambda v: bool(_DECIMAL.fullmatch(v))),
    "date": ("Date", _is_date),
    "boolean": ("Boolean", lambda v: bool(_BOOLEAN.fullmatch(v))),
}
CODE_META_FIELDS = (
    "key",
    "level",
    "name_en",
    "name_zh",
    *(f for f in TEXT_FIELDS if f != "definition"),  # the definition is the Description's text
    "retired",
    "sort_order",
)


def _namespace(session: Session) -> tuple[str, bool]:
    """The project's GUID namespace and whether it is new (to be saved after a successful export)."""
    value = read_setting(session, NAMESPACE_SETTING)
    return (str(value), False) if value else (str(uuid.uuid4()), True)


def _stable(stored: str | None, namespace: str, kind: str, ident: object, used: set[str]) -> str:
    guid = stored.strip().strip("{}").lower() if stored and is_guid(stored.strip()) else None
    if guid is None or guid in used:
        guid = derived_guid(namespace, kind, ident)
    used.add(guid)
    return guid


def _variables(attrs: list[DocumentAttribute], ns: str) -> dict[str, Variable]:
    """One Variable per attribute key; a key whose values do not fit its type is exported as Text."""
    by_key: dict[str, list[DocumentAttribute]] = defaultdict(list)
    for attr in attrs:
        by_key[attr.key].append(attr)
    out: dict[str, Variable] = {}
    for key, rows in sorted(by_key.items()):
        types = {r.type for r in rows}
        declared = types.pop() if len(types) == 1 else None
        refi, check = _ATTR_TYPES.get(declared or "", ("Text", None))
        if check is not None and not all(r.value is None or check(r.value) for r in rows):
            refi = "Text"
        # A type REFI cannot express (values that do not fit it) travels in the description.
        kept = declared if declared and refi == "Text" and declared != "text" else None
        out[key] = Variable(
            guid=derived_guid(ns, "variable", key),
            name=key,
            type=refi,
            description=qdpx_codemeta.compose(None, {"type": kept}),
        )
    return out


def _code_description(code: Code) -> str | None:
    meta: dict[str, Any] = {f: getattr(code, f) for f in CODE_META_FIELDS}
    meta["retired"] = code.retired or None
    if code.color and not _RGB.fullmatch(code.color):
        meta["color"] = code.color
    return qdpx_codemeta.compose(code.definition, meta)


def build_exchange(
    session: Session, ns: str, name: str, visible: set[int] | None = None
) -> tuple[ExchangeProject, QdpxContents]:
    """The whole project as an ExchangeProject, plus counts and a list of what is not exported.

    `visible` (from access.visible_coder_ids) limits users, codings and memos to those coders'.
    """
    used: set[str] = set()
    coders = [c for c in session.exec(select(Coder).order_by(col(Coder.id))).all() if can_see(visible, c.id)]
    user_guid = {c.id: derived_guid(ns, "coder", c.id) for c in coders}
    users = [User(guid=user_guid[c.id], name=c.name) for c in coders]

    codes = session.exec(select(Code).order_by(col(Code.sort_order), col(Code.id))).all()
    xcodes: dict[int, XCode] = {}
    for code in codes:
        xcodes[saved_id(code.id)] = XCode(
            guid=_stable(code.guid, ns, "code", code.id, used),
            name=code.name_en or code.name_zh or code.key,
            is_codable=code.codable,
            color=code.color if code.color and _RGB.fullmatch(code.color) else None,
            description=_code_description(code),
        )
    top = _code_tree(codes, xcodes)

    docs = session.exec(select(Document).order_by(col(Document.id))).all()
    attrs = session.exec(select(DocumentAttribute).order_by(col(DocumentAttribute.id))).all()
    variables = _variables(list(attrs), ns)
    sources: dict[int, TextSource] = {}
    for doc in docs:
        sources[saved_id(doc.id)] = TextSource(
            guid=derived_guid(ns, "document", doc.id), name=doc.name, text=doc.text, created=doc.imported_at
        )
    for attr in attrs:
        var = variables[attr.key]
        sources[attr.document_id].variable_values.append(
            VariableValue(variable_guid=var.guid, type=var.type, value=attr.value)
        )

    selections: dict[int, Selection] = {}
    # Plain column rows, not ORM objects: a project can hold tens of thousands of segments.
    segments = session.execute(
        sa.select(
            col(Segment.id),
            col(Segment.document_id),
            col(Segment.coder_id),
            col(Segment.code_id),
            col(Segment.start),
            col(Segment.end),
            col(Segment.memo),
            col(Segment.created_at),
            col(Segment.guid),
        ).order_by(col(Segment.document_id), col(Segment.start), col(Segment.end), col(Segment.id))
    ).all()
    for seg_id, doc_id, coder_id, code_id, start, end, memo, created, stored_guid in segments:
        if not can_see(visible, coder_id):
            continue
        src = sources[doc_id]
        sel = Selection(
            guid=_stable(stored_guid, ns, "segment", seg_id, used),
            start=start,
            end=end,
            name=src.text[start:end][:100],
            description=memo,
            creating_user=user_guid[coder_id],
            created=created,
            codings=[
                Coding(
                    guid=derived_guid(ns, "coding", seg_id),
                    code_guid=xcodes[code_id].guid,
                    creating_user=user_guid[coder_id],
                    created=created,
                )
            ],
        )
        src.selections.append(sel)
        selections[seg_id] = sel

    exchange = ExchangeProject(
        name=name,
        origin=ORIGIN,
        users=users,
        codes=top,
        variables=list(variables.values()),
        sources=list(sources.values()),
    )
    warnings: list[str] = []
    for memo in session.exec(select(Memo).order_by(col(Memo.id))).all():
        if not can_see(visible, memo.coder_id) or (
            memo.target_type == "segment" and visible is not None and memo.target_id not in selections
        ):
            continue  # blind mode: another coder's memo, or a memo on another coder's segment
        note = Note(
            guid=_stable(memo.guid, ns, "memo", memo.id, used),
            name=memo.title,
            text=memo.text,
            creating_user=user_guid.get(memo.coder_id) if memo.coder_id else None,
            created=memo.created_at,
        )
        exchange.notes.append(note)
        holders: dict[str, dict[int, TextSource] | dict[int, XCode] | dict[int, Selection]] = {
            "document": sources,
            "code": xcodes,
            "segment": selections,
        }
        holder = holders.get(memo.target_type)
        target = holder.get(memo.target_id) if holder is not None and memo.target_id is not None else None
        if target is None and memo.target_type != "project":
            if holder is None:  # a target type this version does not know: named as stored
                warnings.append(Message("qdpx_memo_target_gone", memo=memo.id, target=memo.target_type))
            else:
                warnings.append(Message(f"qdpx_memo_{memo.target_type}_gone", memo=memo.id))
        (target.note_refs if target is not None else exchange.note_refs).append(note.guid)

    exchange.cases = _cases(session, ns, list(docs), list(attrs), sources)
    # Project-level qualcode settings that give the exchanged data its meaning.
    leads = sorted(c.name for c in coders if c.role == "lead")  # REFI Users have no role
    # which instrument the codings were made with (issue: exports record version and hash)
    book = read_book(session)
    codebook: CodebookIdentity = {
        "id": book.id or None,
        "version": read_version(session),
        "sha256": book.sha256(),
    }
    exchange.description = qdpx_codemeta.compose(
        None,
        {
            "case_attribute": read_setting(session, "case_attribute"),
            "leads": leads or None,
            "codebook": codebook,
        },
    )
    summary: QdpxContents = {
        "users": len(users),
        "codes": len(codes),
        "variables": len(variables),
        "cases": len(exchange.cases),
        "sources": len(sources),
        "selections": len(selections),
        "codings": len(selections),
        "notes": len(exchange.notes),
        "codebook": codebook,
        "not_exported": _not_exported(session) + warnings,
    }
    return exchange, summary


def _code_tree(codes: list[Code] | Any, xcodes: dict[int, XCode]) -> list[XCode]:
    """Nest codes under their parents; a code whose parent chain never reaches a root goes to the top."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for code in codes:
        parent = code.parent_id if code.parent_id in xcodes else None
        children[parent].append(saved_id(code.id))
    placed: set[int] = set()

    def place(ident: int) -> XCode:
        placed.add(ident)
        node = xcodes[ident]
        node.children = [place(c) for c in children.get(ident, []) if c not in placed]
        return node

    top = [place(c) for c in children[None]]
    top += [place(saved_id(c.id)) for c in codes if c.id not in placed]  # cycles in parent_id
    return top


def _cases(
    session: Session,
    ns: str,
    docs: list[Document],
    attrs: list[DocumentAttribute],
    sources: dict[int, TextSource],
) -> list[XCase]:
    """The project's cases as they are now.

    Stored cases (from another tool's archive, or joined by the case attribute) are written
    with their current members; a case left without documents, as every case of an old case
    attribute is once the attribute changes, is not a case any more. With a case attribute
    set, every case the typology and the workbook use (the same resolver) is written too,
    marked with the attribute so that an import restores the setting.
    """
    out: list[XCase] = []
    for case in session.exec(select(Case).order_by(col(Case.id))).all():
        members = session.exec(select(CaseMember.document_id).where(CaseMember.case_id == case.id)).all()
        refs = [sources[m].guid for m in sorted(members) if m in sources]
        if refs:
            out.append(
                XCase(
                    guid=derived_guid(ns, "case", case.id),
                    name=case.name,
                    description=case.description,
                    source_refs=refs,
                )
            )
    key = read_setting(session, "case_attribute")
    if key:
        taken = {c.name for c in out}
        out += [c for c in _attribute_cases(ns, key, docs, attrs, sources) if c.name not in taken]
    return out


def _attribute_cases(
    ns: str,
    key: Any,
    docs: list[Document],
    attrs: list[DocumentAttribute],
    sources: dict[int, TextSource],
) -> list[XCase]:
    from qualcode.services.analysis.data import AnalysisData
    from qualcode.services.exchange.tables import default_unit

    attributes: dict[int, dict[str, str | None]] = defaultdict(dict)
    for attr in attrs:
        attributes[attr.document_id][attr.key] = attr.value
    data = AnalysisData(
        documents={d.id: (d.name, "") for d in docs if d.id is not None},
        attributes=dict(attributes),
        units={},
        codes={},
        coders={},
        segments=[],
        settings={"case_attribute": key},
    )
    keys = [str(k) for k in key] if isinstance(key, list) else [str(key)]
    case_of: dict[int, str] = {}
    for one in reversed(keys):  # several keys: a document's case comes from the first it has
        try:
            case_of |= default_unit(data, one).case_of
        except QualcodeError:  # no document has this attribute (yet): no cases from it
            continue
    groups: dict[str, list[int]] = defaultdict(list)
    for doc_id, case in case_of.items():
        groups[case].append(doc_id)
    label = ", ".join(keys)
    return [
        XCase(
            guid=derived_guid(ns, "case", f"attr:{label}={value}"),
            name=value,
            description=qdpx_codemeta.compose(
                f"Documents whose {label} is {value}.", {"case_attribute": key}
            ),
            source_refs=[sources[d].guid for d in sorted(doc_ids) if d in sources],
        )
        for value, doc_ids in sorted(groups.items())
    ]


def _not_exported(session: Session) -> list[str]:
    def count(model: Any) -> int:
        return int(session.exec(select(func.count()).select_from(model)).one())

    lost: list[str] = []
    # qualcode's importer splits the text into turns again (with its default speaker rules),
    # which the units' sentence says.
    for model, kind in (
        (Unit, "qdpx_units_not_exported"),
        (Question, "qdpx_questions_not_exported"),
        (DocumentStatus, "qdpx_progress_not_exported"),
    ):
        if n := count(model):
            lost.append(Message(kind, count=n))
    if read_setting(session, "codebook.typology"):
        lost.append(Message("qdpx_typology_not_exported"))
    lost.append(Message("qdpx_history_not_exported"))
    return lost


def _project_name(project: Project) -> str:
    if project.folder is not None:
        return project.folder.resolve().name
    return project.display


def export_qdpx(
    project: Project,
    path: str | Path,
    *,
    actor: str | None = None,
    viewer: str | None = None,
    force: bool = False,
) -> QdpxExported:
    """Write the project to a .qdpx archive; returns counts and what could not be exported.

    The viewer (by default the actor) decides what goes in: in blind mode a coder exports only
    their own codings and memos, and appears as the only user. An existing file is replaced
    only with `force` (see services/outputs.py).
    """
    with output_file(project, path, force=force) as temporary:
        with project.read() as session:
            visible = visible_coder_ids(session, viewer if viewer is not None else actor)
            ns, new = _namespace(session)
            exchange, contents = build_exchange(session, ns, _project_name(project), visible)
        size = write_qdpx(exchange, temporary)
    summary: QdpxExported = {"file": str(path), "bytes": size, **contents}

    def _log(session: Session) -> None:
        if new and not read_setting(session, NAMESPACE_SETTING):
            write_setting(session, NAMESPACE_SETTING, ns)
            record(
                session, actor=actor, action="setting.set", entity="setting", after={NAMESPACE_SETTING: ns}
            )
        record(session, actor=actor, action="export.qdpx", entity="project", after=summary)

    project.transact(_log)
    return summary


def import_qdpx(
    project: Project,
    path: str | Path,
    *,
    actor: str | None = None,
    convention: str | None = None,
    positions: str = "auto",
    rules: SpeakerRules | None = None,
    max_mb: float | None = None,
) -> QdpxImported:
    """Import a .qdpx archive into the project in one transaction; nothing changes on error.

    `max_mb` (the import's --max-size) bounds what is inflated from the archive and read.

    `convention` forces a position convention (see qualcode.io.refi.offsets.CONVENTIONS)
    instead of choosing it from the exporting tool's name; `positions` (auto, exclusive,
    inclusive) says how selection ends are read; `rules` are the speaker rules that split new
    documents into turns (as for a .txt import).
    """
    from qualcode.services.exchange.qdpx_import import import_exchange

    limits = ZipLimits.for_import(max_mb) if max_mb is not None else None
    exchange = read_qdpx(path, convention=convention, positions=positions, limits=limits)

    def _work(session: Session) -> QdpxImported:
        return import_exchange(session, exchange, Path(path).name, actor=actor, rules=rules)

    return project.transact(_work)


def init_from_qdpx(
    target: str,
    path: str | Path,
    *,
    db_url: str | None = None,
    name: str | None = None,
    positions: str = "auto",
) -> QdpxImported:
    """Create a project and import a .qdpx into it; a failed import removes the new folder.

    The project is named `name`, else after the archive's project; `positions` as for
    `import_qdpx`."""
    from qualcode.services.exchange.qdpx_import import import_exchange

    exchange = read_qdpx(path, positions=positions)  # refuse a bad archive before creating anything
    folder = None if is_url(target) else Path(target).expanduser()
    existed = folder is not None and folder.exists()
    project = init_project(target, db_url=db_url, name=name or exchange.name)
    try:
        return project.transact(
            lambda session: import_exchange(session, exchange, Path(path).name, actor=None)
        )
    except BaseException:
        project.dispose()
        if folder is not None and not existed:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        project.dispose()

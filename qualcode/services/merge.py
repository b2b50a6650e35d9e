"""Merging coders' offline copies of a project into one target project.

Matching rules (see docs/team.md):

* documents by the SHA-256 of their text; a source document whose text is new is copied
  with its units and attributes, unless a different text already uses its name (refused);
* codes by key; a segment or memo whose code key the target lacks is refused, unless
  `add_codes` copies the missing codes. Other codebook differences are reported only;
* coders by name, or by an explicit mapping SOURCE_NAME -> TARGET_NAME. Without a mapping,
  a name is refused when its role differs between the projects, or when both projects
  hold that coder's coding of the same document and each side has segments the other
  lacks (two people may share a default name; a continuation only adds);
* a segment is (document SHA-256, coder, code key, start, end): added when missing, never
  duplicated. Merging never deletes. A differing segment memo is appended to the
  target's memo unless the target memo already contains it;
* memos are (target, author, title, text): added when missing;
* document status: 'done' on either side wins.

The whole merge (all sources) is one transaction; refusing changes nothing. Merging the
same source twice changes nothing the second time. A dry run computes the same plan
from a read-only view and writes nothing.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session

from qualcode.core.errors import QualcodeError
from qualcode.services.events import new_group_id
from qualcode.store.db import Project, open_project
from qualcode.store.models import (
    Case, CaseMember, Code, Coder, Document, DocumentAttribute, DocumentStatus, Event, Memo, Segment, Unit, utcnow,
)

SegmentKey = tuple[str, str, str, int, int]  # document sha256, coder, code key, start, end
CODE_FIELDS = ("level", "name_en", "name_zh", "short_definition", "definition", "inclusion", "exclusion", "codable")
DOC_FIELDS = ("name", "text", "length", "sha256", "source_filename", "encoding", "language", "imported_at")
T_SEG, T_MEMO, T_STATUS = Segment.__table__, Memo.__table__, DocumentStatus.__table__  # type: ignore[attr-defined]


class MergeConflictError(QualcodeError):
    """The sources cannot be merged without a decision; nothing was changed."""


@dataclass
class _Side:
    """One project's content, keyed by the identities the merge matches on."""

    coders: dict[str, str] = field(default_factory=dict)  # name -> role
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> fields (+ parent key)
    docs: dict[str, str] = field(default_factory=dict)  # sha256 -> document name (target's choice)
    names: dict[str, str] = field(default_factory=dict)  # document name -> sha256
    segments: dict[SegmentKey, dict[str, Any]] = field(default_factory=dict)
    memos: set[tuple[Any, ...]] = field(default_factory=set)
    statuses: dict[tuple[str, str], str] = field(default_factory=dict)
    cases: dict[str, set[str]] = field(default_factory=dict)  # case name -> document sha256s
    # source-only detail needed to copy rows
    doc_rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    memo_rows: list[dict[str, Any]] = field(default_factory=list)
    case_rows: dict[str, str | None] = field(default_factory=dict)


def _load(session: Session, full: bool) -> _Side:
    side = _Side()
    coder_names = {}
    for cid, name, role in session.execute(select(Coder.id, Coder.name, Coder.role)):
        side.coders[name], coder_names[cid] = role, name
    code_keys: dict[int, str] = {}
    parents: dict[str, int | None] = {}
    for row in session.execute(select(Code)).scalars():
        code_keys[row.id] = row.key
        side.codes[row.key] = {f: getattr(row, f) for f in CODE_FIELDS} | {
            "color": row.color, "example_en": row.example_en, "example_zh": row.example_zh,
            "sort_order": row.sort_order, "retired": row.retired, "guid": row.guid,
        }
        parents[row.key] = row.parent_id
    for key, parent_id in parents.items():
        side.codes[key]["parent"] = code_keys.get(parent_id) if parent_id is not None else None
    doc_sha: dict[int, str] = {}
    columns = [Document.id, Document.name, Document.sha256] + ([Document.text] if full else [])
    for row in session.execute(select(*columns).order_by(Document.id)):
        doc_sha[row.id] = row.sha256
        side.names[row.name] = row.sha256
        side.docs.setdefault(row.sha256, row.name)
    if full:
        for doc in session.execute(select(Document)).scalars():
            side.doc_rows[doc.sha256] = {f: getattr(doc, f) for f in DOC_FIELDS} | {
                "units": [{c: getattr(u, c) for c in Unit.model_fields if c not in ("id", "document_id")}
                          for u in session.execute(select(Unit).where(Unit.document_id == doc.id)).scalars()],
                "attributes": [{"key": a.key, "value": a.value, "type": a.type} for a in session.execute(
                    select(DocumentAttribute).where(DocumentAttribute.document_id == doc.id)).scalars()],
            }
    seg_keys: dict[int, SegmentKey] = {}
    for seg in session.execute(select(Segment)).scalars():
        key = (doc_sha[seg.document_id], coder_names[seg.coder_id], code_keys[seg.code_id], seg.start, seg.end)
        seg_keys[seg.id] = key  # type: ignore[index]
        side.segments[key] = {"memo": seg.memo, "guid": seg.guid, "created_at": seg.created_at,
                              "updated_at": seg.updated_at}
    for memo in session.execute(select(Memo)).scalars():
        ref: Any = None
        if memo.target_type == "document":
            ref = doc_sha.get(memo.target_id)  # type: ignore[arg-type]
        elif memo.target_type == "code":
            ref = code_keys.get(memo.target_id)  # type: ignore[arg-type]
        elif memo.target_type == "segment":
            ref = seg_keys.get(memo.target_id)  # type: ignore[arg-type]
        author = coder_names.get(memo.coder_id) if memo.coder_id is not None else None
        side.memos.add((memo.target_type, ref, author, memo.title, memo.text))
        if full:
            side.memo_rows.append({"target_type": memo.target_type, "ref": ref, "coder": author, "title": memo.title,
                                   "text": memo.text, "guid": memo.guid, "created_at": memo.created_at,
                                   "updated_at": memo.updated_at})
    for status in session.execute(select(DocumentStatus)).scalars():
        side.statuses[(doc_sha[status.document_id], coder_names[status.coder_id])] = status.status
    case_names = {}
    for case in session.execute(select(Case)).scalars():
        case_names[case.id] = case.name
        side.cases[case.name] = set()
        side.case_rows[case.name] = case.description
    for member in session.execute(select(CaseMember)).scalars():
        side.cases[case_names[member.case_id]].add(doc_sha[member.document_id])
    return side


@dataclass
class _Plan:
    """Everything one source adds to the target, in target names."""

    source: str
    coder_map: dict[str, str] = field(default_factory=dict)
    new_coders: dict[str, str] = field(default_factory=dict)
    new_codes: list[str] = field(default_factory=list)
    new_documents: list[str] = field(default_factory=list)  # sha256
    new_segments: list[SegmentKey] = field(default_factory=list)
    present_segments: int = 0
    memo_merges: dict[SegmentKey, str] = field(default_factory=dict)
    new_memos: list[dict[str, Any]] = field(default_factory=list)
    statuses: dict[tuple[str, str], str] = field(default_factory=dict)
    new_cases: list[str] = field(default_factory=list)
    new_members: list[tuple[str, str]] = field(default_factory=list)
    codebook: dict[str, Any] = field(default_factory=dict)

    def changes(self) -> int:
        return (len(self.new_coders) + len(self.new_codes) + len(self.new_documents) + len(self.new_segments)
                + len(self.memo_merges) + len(self.new_memos) + len(self.statuses) + len(self.new_cases)
                + len(self.new_members))


def _map_coders(target: _Side, src: _Side, mapping: dict[str, str], plan: _Plan, conflicts: list[str]) -> None:
    for name, role in sorted(src.coders.items()):
        dst = mapping.get(name, name)
        plan.coder_map[name] = dst
        if dst not in target.coders:
            plan.new_coders[dst] = role
            target.coders[dst] = role
            continue
        if name in mapping:
            continue  # an explicit decision: same person (or deliberately merged)
        if target.coders[dst] != role:
            conflicts.append(f"coder {name!r} is a {role} in {plan.source} but a {target.coders[dst]} in the target "
                             f"(map it with --map-coder {name}=NAME)")
            continue
        mine: dict[str, set[tuple[str, int, int]]] = {}
        theirs: dict[str, set[tuple[str, int, int]]] = {}
        for (sha, coder, code, start, end) in src.segments:
            if coder == name:
                mine.setdefault(sha, set()).add((code, start, end))
        for (sha, coder, code, start, end) in target.segments:
            if coder == dst and sha in mine:
                theirs.setdefault(sha, set()).add((code, start, end))
        diverged = [target.docs.get(sha, src.docs.get(sha, sha)) for sha in theirs
                    if mine[sha] - theirs[sha] and theirs[sha] - mine[sha]]
        if diverged:
            conflicts.append(
                f"coder {name!r} has different coding of {', '.join(sorted(diverged))} in {plan.source} and in the "
                f"target (same person: --map-coder {name}={name} to take the union; two people: "
                f"--map-coder {name}=OTHER_NAME)"
            )


def _codebook_report(target: _Side, src: _Side, plan: _Plan) -> None:
    changed = []
    for key in sorted(set(src.codes) & set(target.codes)):
        for name in (*CODE_FIELDS, "parent"):
            if src.codes[key].get(name) != target.codes[key].get(name):
                changed.append({"key": key, "field": name, "target": target.codes[key].get(name),
                                "source": src.codes[key].get(name)})
    plan.codebook = {
        "only_in_source": sorted(set(src.codes) - set(target.codes)),
        "only_in_target": sorted(set(target.codes) - set(src.codes)),
        "changed": changed,
    }


def _plan_codes(target: _Side, src: _Side, plan: _Plan, add_codes: bool, conflicts: list[str]) -> None:
    missing = set(src.codes) - set(target.codes)
    used = {key[2] for key in src.segments} | {m["ref"] for m in src.memo_rows if m["target_type"] == "code"}
    used |= {m["ref"][2] for m in src.memo_rows if m["target_type"] == "segment" and m["ref"]}
    if not add_codes:
        needed = sorted(missing & used)
        if needed:
            conflicts.append(f"{plan.source} uses codes the target's codebook lacks: {', '.join(needed)} "
                             f"(add them with --add-codes, or add them to the target's codebook first)")
        return
    added: list[str] = []

    def visit(key: str) -> None:  # parents before children
        if key in added or key in target.codes:
            return
        parent = src.codes[key].get("parent")
        if parent is not None:
            visit(parent)
        added.append(key)

    for key in sorted(missing):
        visit(key)
    plan.new_codes = added
    for key in added:
        target.codes[key] = src.codes[key]


def _plan_documents(target: _Side, src: _Side, plan: _Plan, conflicts: list[str]) -> None:
    for sha, row in src.doc_rows.items():
        if sha in target.docs:
            continue
        if row["name"] in target.names:
            conflicts.append(f"document {row['name']!r} has a different text in {plan.source} than in the target "
                             f"(rename one of them before merging)")
            continue
        plan.new_documents.append(sha)
        target.docs[sha], target.names[row["name"]] = row["name"], sha


def _plan_rows(target: _Side, src: _Side, plan: _Plan) -> None:
    def mapped(key: SegmentKey) -> SegmentKey:
        return (key[0], plan.coder_map[key[1]], key[2], key[3], key[4])

    for key, info in src.segments.items():
        tkey = mapped(key)
        existing = target.segments.get(tkey)
        if existing is None:
            plan.new_segments.append(tkey)
            target.segments[tkey] = dict(info)
            continue
        plan.present_segments += 1
        memo, ours = info["memo"], existing["memo"]
        if memo and memo != ours and (not ours or memo not in ours):
            existing["memo"] = memo if not ours else f"{ours}\n\n{memo}"
            plan.memo_merges[tkey] = existing["memo"]
    for row in src.memo_rows:
        ref = row["ref"]
        if row["target_type"] == "segment" and ref is not None:
            ref = mapped(ref)
        author = plan.coder_map.get(row["coder"], row["coder"]) if row["coder"] is not None else None
        ident = (row["target_type"], ref, author, row["title"], row["text"])
        if row["target_type"] != "project" and ref is None:
            continue  # the memo's target no longer exists in the source
        if ident not in target.memos:
            target.memos.add(ident)
            plan.new_memos.append(row | {"ref": ref, "coder": author})
    for (sha, coder), status in src.statuses.items():
        tkey = (sha, plan.coder_map[coder])
        current = target.statuses.get(tkey)
        if current is None or (current != "done" and status == "done"):
            plan.statuses[tkey] = status
            target.statuses[tkey] = status
    for name, shas in src.cases.items():
        if name not in target.cases:
            plan.new_cases.append(name)
            target.cases[name] = set()
        for sha in sorted(shas - target.cases[name]):
            plan.new_members.append((name, sha))
            target.cases[name].add(sha)


def _plan(target: _Side, sources: list[tuple[str, _Side]], mapping: dict[str, str], add_codes: bool) -> list[_Plan]:
    unknown = set(mapping) - {name for _, side in sources for name in side.coders}
    if unknown:
        raise MergeConflictError(f"--map-coder names coders that no source has: {', '.join(sorted(unknown))}")
    plans, conflicts = [], []
    for label, src in sources:
        plan = _Plan(source=label)
        _codebook_report(target, src, plan)
        _map_coders(target, src, mapping, plan, conflicts)
        _plan_codes(target, src, plan, add_codes, conflicts)
        _plan_documents(target, src, plan, conflicts)
        if not conflicts:
            _plan_rows(target, src, plan)
        plans.append(plan)
    if conflicts:
        raise MergeConflictError("merge refused, nothing was changed: " + "; ".join(conflicts))
    return plans


def _ids(session: Session) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    coders = {n: i for i, n in session.execute(select(Coder.id, Coder.name))}
    codes = {k: i for i, k in session.execute(select(Code.id, Code.key))}
    docs: dict[str, int] = {}
    for i, sha in session.execute(select(Document.id, Document.sha256).order_by(Document.id)):
        docs.setdefault(sha, i)
    return coders, codes, docs


def _event(actor: str | None, action: str, entity: str, entity_id: int | None, group: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> dict[str, Any]:
    import json

    def dump(data: dict[str, Any] | None) -> str | None:
        if data is None:
            return None
        clean = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
        return json.dumps(clean, ensure_ascii=False, sort_keys=True)

    return {"at": utcnow(), "actor": actor, "action": action, "entity": entity, "entity_id": entity_id,
            "before": dump(before), "after": dump(after), "group_id": group}


def _apply(session: Session, plan: _Plan, src: _Side, actor: str | None) -> None:
    created, rows = new_group_id(), new_group_id()
    events: list[dict[str, Any]] = []
    for name, role in plan.new_coders.items():
        coder = Coder(name=name, role=role)
        session.add(coder)
        session.flush()
        events.append(_event(actor, "merge.create", "coder", coder.id, created, after={"name": name, "role": role}))
    for key in plan.new_codes:
        data = dict(src.codes[key])
        parent = data.pop("parent")
        code = Code(key=key, parent_id=_ids(session)[1].get(parent) if parent else None, **data)
        session.add(code)
        session.flush()
        events.append(_event(actor, "merge.create", "code", code.id, created, after={"key": key}))
    for sha in plan.new_documents:
        row = dict(src.doc_rows[sha])
        units, attributes = row.pop("units"), row.pop("attributes")
        doc = Document(**row)
        session.add(doc)
        session.flush()
        session.add_all([Unit(document_id=doc.id, **u) for u in units])
        session.add_all([DocumentAttribute(document_id=doc.id, **a) for a in attributes])
        events.append(_event(actor, "merge.create", "document", doc.id, created,
                             after={"name": row["name"], "sha256": sha}))
    session.flush()
    coder_ids, code_ids, doc_ids = _ids(session)
    seg_ids: dict[SegmentKey, int] = {}
    for key in plan.new_segments:
        info = _source_segment(src, plan, key)
        value = {"document_id": doc_ids[key[0]], "coder_id": coder_ids[key[1]], "code_id": code_ids[key[2]],
                 "start": key[3], "end": key[4], "memo": info["memo"], "guid": info["guid"],
                 "created_at": info["created_at"], "updated_at": info["updated_at"]}
        seg_ids[key] = session.execute(insert(T_SEG).values(**value).returning(T_SEG.c.id)).scalar_one()
        events.append(_event(actor, "merge.row", "segment", seg_ids[key], rows, after={"id": seg_ids[key], **value}))
    for key, memo in plan.memo_merges.items():
        seg = session.execute(select(Segment).where(
            Segment.document_id == doc_ids[key[0]], Segment.coder_id == coder_ids[key[1]],
            Segment.code_id == code_ids[key[2]], Segment.start == key[3], Segment.end == key[4])).scalar_one()
        before = seg.model_dump()
        session.execute(update(T_SEG).where(T_SEG.c.id == seg.id).values(memo=memo, updated_at=utcnow()))
        events.append(_event(actor, "merge.row", "segment", seg.id, rows, before=before, after=before | {"memo": memo}))
    for memo in plan.new_memos:
        target_id = _memo_target(session, memo, doc_ids, code_ids, coder_ids, seg_ids)
        value = {"target_type": memo["target_type"], "target_id": target_id,
                 "coder_id": coder_ids.get(memo["coder"]) if memo["coder"] else None, "title": memo["title"],
                 "text": memo["text"], "guid": memo["guid"], "created_at": memo["created_at"],
                 "updated_at": memo["updated_at"]}
        new_id = session.execute(insert(T_MEMO).values(**value).returning(T_MEMO.c.id)).scalar_one()
        events.append(_event(actor, "merge.row", "memo", new_id, rows, after={"id": new_id, **value}))
    for (sha, coder), status in plan.statuses.items():
        pk = {"document_id": doc_ids[sha], "coder_id": coder_ids[coder]}
        row = session.get(DocumentStatus, (pk["document_id"], pk["coder_id"]))
        after = pk | {"status": status, "updated_at": utcnow()}
        if row is None:
            session.execute(insert(T_STATUS).values(**after))
            events.append(_event(actor, "merge.row", "document_status", pk["document_id"], rows, after=after))
        else:
            before = row.model_dump()
            session.execute(update(T_STATUS).where(T_STATUS.c.document_id == pk["document_id"],
                                                   T_STATUS.c.coder_id == pk["coder_id"]).values(**after))
            events.append(_event(actor, "merge.row", "document_status", pk["document_id"], rows,
                                 before=before, after=after))
    for name in plan.new_cases:
        session.add(Case(name=name, description=src.case_rows.get(name)))
    session.flush()
    case_ids = {n: i for i, n in session.execute(select(Case.id, Case.name))}
    for name, sha in plan.new_members:
        session.add(CaseMember(case_id=case_ids[name], document_id=doc_ids[sha]))
    summary = _plan_dict(plan)
    events.append(_event(actor, "merge", "project", None, new_group_id(), after=summary))
    session.execute(insert(Event), events)
    session.expire_all()


def _source_segment(src: _Side, plan: _Plan, key: SegmentKey) -> dict[str, Any]:
    """The source's row for a target-named segment key (coder names mapped back)."""
    for name, dst in plan.coder_map.items():
        if dst == key[1] and (key[0], name, key[2], key[3], key[4]) in src.segments:
            return src.segments[(key[0], name, key[2], key[3], key[4])]
    raise AssertionError(f"no source segment for {key}")


def _memo_target(session: Session, memo: dict[str, Any], doc_ids: dict[str, int], code_ids: dict[str, int],
                 coder_ids: dict[str, int], seg_ids: dict[SegmentKey, int]) -> int | None:
    ref = memo["ref"]
    if memo["target_type"] == "document":
        return doc_ids[ref]
    if memo["target_type"] == "code":
        return code_ids[ref]
    if memo["target_type"] == "segment":
        if ref in seg_ids:
            return seg_ids[ref]
        return session.execute(select(Segment.id).where(
            Segment.document_id == doc_ids[ref[0]], Segment.coder_id == coder_ids[ref[1]],
            Segment.code_id == code_ids[ref[2]], Segment.start == ref[3], Segment.end == ref[4])).scalar_one()
    return None


def _plan_dict(plan: _Plan) -> dict[str, Any]:
    return {
        "source": plan.source,
        "coders": plan.coder_map,
        "new_coders": plan.new_coders,
        "new_codes": plan.new_codes,
        "new_documents": len(plan.new_documents),
        "segments_added": len(plan.new_segments),
        "segments_already_present": plan.present_segments,
        "segment_memos_merged": len(plan.memo_merges),
        "memos_added": len(plan.new_memos),
        "statuses_changed": len(plan.statuses),
        "cases_added": len(plan.new_cases),
        "case_members_added": len(plan.new_members),
        "codebook": plan.codebook,
    }


def _same_store(a: Project, b: Project) -> bool:
    if a.dialect == "sqlite" and b.dialect == "sqlite":
        return Path(a.engine.url.database or "").resolve() == Path(b.engine.url.database or "").resolve()
    return a.engine.url.render_as_string(hide_password=True) == b.engine.url.render_as_string(hide_password=True)


def merge_projects(
    target: Project, sources: list[str], *, dry_run: bool = False, coder_map: dict[str, str] | None = None,
    add_codes: bool = False, actor: str | None = None,
) -> dict[str, Any]:
    """Merge each source project into `target` (or, with `dry_run`, only say what would change)."""
    if not sources:
        raise QualcodeError("name at least one source project to merge")
    loaded: list[tuple[str, _Side]] = []
    for source in sources:
        project = open_project(source, upgrade=False)
        try:
            if _same_store(project, target):
                raise QualcodeError(f"{source} is the target project itself")
            with project.read() as session:
                loaded.append((project.display, _load(session, full=True)))
        finally:
            project.dispose()
    mapping = dict(coder_map or {})

    def work(session: Session) -> list[_Plan]:
        plans = _plan(_load(session, full=False), loaded, mapping, add_codes)
        if not dry_run:
            for plan, (_, src) in zip(plans, loaded):
                if plan.changes():
                    _apply(session, plan, src, actor)
        return plans

    if dry_run:
        with target.read() as session:
            plans = work(session)
    else:
        plans = target.transact(work)
    return {
        "target": target.display,
        "dry_run": dry_run,
        "changed": (not dry_run) and any(p.changes() for p in plans),
        "would_change": any(p.changes() for p in plans),
        "sources": [_plan_dict(p) for p in plans],
    }

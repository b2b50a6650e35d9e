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

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session, col

from qualcode.core.errors import QualcodeError
from qualcode.services.events import new_group_id
from qualcode.services.team.merge_plan import (
    MergeConflictError,
    Plan,
    SegmentKey,
    Side,
    load_side,
    make_plans,
)
from qualcode.services.team.merge_state import (
    Key,
    LoggedEvent,
    State,
    event_guids,
    learn_ids,
    load_events,
    load_state,
)
from qualcode.services.team.merge_threeway import (
    SIDES,
    Conflict,
    ThreeWayPlan,
    conflict_id,
    map_coders,
    plan_threeway,
)
from qualcode.services.team.merge_threeway_apply import apply_threeway, event_row, insert_events
from qualcode.store.backup import backup_project
from qualcode.store.db import Project, open_source_copy
from qualcode.store.mapped import table_of
from qualcode.store.models import (
    Case,
    CaseMember,
    Code,
    Coder,
    Document,
    DocumentAttribute,
    DocumentStatus,
    Memo,
    Segment,
    Unit,
    utcnow,
)

T_SEG, T_MEMO, T_STATUS = table_of(Segment), table_of(Memo), table_of(DocumentStatus)
__all__ = ["MergeConflictError", "merge_projects"]


def _ids(session: Session) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    coders = {n: i for i, n in session.execute(select(col(Coder.id), col(Coder.name)))}
    codes = {k: i for i, k in session.execute(select(col(Code.id), col(Code.key)))}
    docs: dict[str, int] = {}
    for i, sha in session.execute(select(col(Document.id), col(Document.sha256)).order_by(col(Document.id))):
        docs.setdefault(sha, i)
    return coders, codes, docs


def _apply(session: Session, plan: Plan, src: Side, actor: str | None, events: list[dict[str, Any]]) -> None:
    created, rows = new_group_id(), new_group_id()
    for name, role in plan.new_coders.items():
        coder = Coder(name=name, role=role)
        session.add(coder)
        session.flush()
        events.append(
            event_row(actor, "merge.create", "coder", coder.id, created, after={"name": name, "role": role})
        )
    for code_key in plan.new_codes:
        data = dict(src.codes[code_key])
        parent = data.pop("parent")
        code = Code(key=code_key, parent_id=_ids(session)[1].get(parent) if parent else None, **data)
        session.add(code)
        session.flush()
        events.append(event_row(actor, "merge.create", "code", code.id, created, after={"key": code_key}))
    events += copy_documents(session, src, plan.new_documents, actor, created)
    session.flush()
    coder_ids, code_ids, doc_ids = _ids(session)
    seg_ids: dict[SegmentKey, int] = {}
    for key in plan.new_segments:
        info = _source_segment(src, plan, key)
        value = {
            "document_id": doc_ids[key[0]],
            "coder_id": coder_ids[key[1]],
            "code_id": code_ids[key[2]],
            "start": key[3],
            "end": key[4],
            "memo": info["memo"],
            "guid": info["guid"],
            "created_at": info["created_at"],
            "updated_at": info["updated_at"],
        }
        seg_ids[key] = session.execute(insert(T_SEG).values(**value).returning(T_SEG.c.id)).scalar_one()
        events.append(
            event_row(actor, "merge.row", "segment", seg_ids[key], rows, after={"id": seg_ids[key], **value})
        )
    for key, merged_memo in plan.memo_merges.items():
        seg = session.execute(
            select(Segment).where(
                col(Segment.document_id) == doc_ids[key[0]],
                col(Segment.coder_id) == coder_ids[key[1]],
                col(Segment.code_id) == code_ids[key[2]],
                col(Segment.start) == key[3],
                col(Segment.end) == key[4],
            )
        ).scalar_one()
        before = seg.model_dump()
        session.execute(
            update(T_SEG).where(T_SEG.c.id == seg.id).values(memo=merged_memo, updated_at=utcnow())
        )
        events.append(
            event_row(
                actor,
                "merge.row",
                "segment",
                seg.id,
                rows,
                before=before,
                after=before | {"memo": merged_memo},
            )
        )
    for memo in plan.new_memos:
        target_id = _memo_target(session, memo, doc_ids, code_ids, coder_ids, seg_ids)
        value = {
            "target_type": memo["target_type"],
            "target_id": target_id,
            "coder_id": coder_ids.get(memo["coder"]) if memo["coder"] else None,
            "title": memo["title"],
            "text": memo["text"],
            "guid": memo["guid"],
            "created_at": memo["created_at"],
            "updated_at": memo["updated_at"],
        }
        new_id = session.execute(insert(T_MEMO).values(**value).returning(T_MEMO.c.id)).scalar_one()
        events.append(event_row(actor, "merge.row", "memo", new_id, rows, after={"id": new_id, **value}))
    for (sha, coder_name), status in plan.statuses.items():
        pk = {"document_id": doc_ids[sha], "coder_id": coder_ids[coder_name]}
        row = session.get(DocumentStatus, (pk["document_id"], pk["coder_id"]))
        after = pk | {"status": status, "updated_at": utcnow()}
        if row is None:
            session.execute(insert(T_STATUS).values(**after))
            events.append(
                event_row(actor, "merge.row", "document_status", pk["document_id"], rows, after=after)
            )
        else:
            before = row.model_dump()
            session.execute(
                update(T_STATUS)
                .where(T_STATUS.c.document_id == pk["document_id"], T_STATUS.c.coder_id == pk["coder_id"])
                .values(**after)
            )
            events.append(
                event_row(
                    actor, "merge.row", "document_status", pk["document_id"], rows, before=before, after=after
                )
            )
    for name in plan.new_cases:
        session.add(Case(name=name, description=src.case_rows.get(name)))
    session.flush()
    case_ids = {n: i for i, n in session.execute(select(col(Case.id), col(Case.name)))}
    for name, sha in plan.new_members:
        session.add(CaseMember(case_id=case_ids[name], document_id=doc_ids[sha]))
    session.flush()


def copy_documents(
    session: Session, src: Side, shas: list[str], actor: str | None, group: str
) -> list[dict[str, Any]]:
    """Copy the source's documents (text, units, attributes) with these SHA-256s into the target."""
    events = []
    for sha in shas:
        row = dict(src.doc_rows[sha])
        units, attributes = row.pop("units"), row.pop("attributes")
        doc = Document(**row)
        session.add(doc)
        session.flush()
        assert doc.id is not None  # the flush above gave it one
        session.add_all([Unit(document_id=doc.id, **u) for u in units])
        session.add_all([DocumentAttribute(document_id=doc.id, **a) for a in attributes])
        events.append(
            event_row(
                actor, "merge.create", "document", doc.id, group, after={"name": row["name"], "sha256": sha}
            )
        )
    session.flush()
    return events


def _source_segment(src: Side, plan: Plan, key: SegmentKey) -> dict[str, Any]:
    """The source's row for a target-named segment key (coder names mapped back)."""
    for name, dst in plan.coder_map.items():
        if dst == key[1] and (key[0], name, key[2], key[3], key[4]) in src.segments:
            return src.segments[(key[0], name, key[2], key[3], key[4])]
    raise AssertionError(f"no source segment for {key}")


def _memo_target(
    session: Session,
    memo: dict[str, Any],
    doc_ids: dict[str, int],
    code_ids: dict[str, int],
    coder_ids: dict[str, int],
    seg_ids: dict[SegmentKey, int],
) -> int | None:
    ref = memo["ref"]
    if memo["target_type"] == "document":
        return doc_ids[ref]
    if memo["target_type"] == "code":
        return code_ids[ref]
    if memo["target_type"] == "segment":
        if ref in seg_ids:
            return seg_ids[ref]
        return session.execute(
            select(col(Segment.id)).where(
                col(Segment.document_id) == doc_ids[ref[0]],
                col(Segment.coder_id) == coder_ids[ref[1]],
                col(Segment.code_id) == code_ids[ref[2]],
                col(Segment.start) == ref[3],
                col(Segment.end) == ref[4],
            )
        ).scalar_one()
    return None


def _plan_dict(plan: Plan) -> dict[str, Any]:
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
    return a.engine.url.render_as_string(hide_password=True) == b.engine.url.render_as_string(
        hide_password=True
    )


@dataclass
class _Source:
    label: str
    side: Side
    state: State
    events: list[LoggedEvent]


def _load_source(source: str, target: Project) -> _Source:
    with ExitStack() as stack:
        project = open_source_copy(source, Path(stack.enter_context(TemporaryDirectory())))
        stack.callback(project.dispose)
        if _same_store(project, target):
            raise QualcodeError(f"{source} is the target project itself")
        with project.read() as session:
            state, events = load_state(session, keep_raw=True), load_events(session)
            learn_ids(state, events)
            return _Source(source, load_side(session, full=True), state, events)
    raise AssertionError("unreachable")


def _names(sources: list[_Source], session: Session) -> Callable[[str, Any], str]:
    """Person-readable names for identities, for listing changes and conflicts."""
    target = load_state(session, keep_raw=False)
    docs, coders, codes = dict(target.doc_names), {}, {}
    for state in [src.state for src in sources] + [target]:
        docs.update(state.doc_names)
        coders.update({g: info["name"] for g, info in state.coders.items()})
        codes.update({k[1]: v["key"] for k, v in state.rows.items() if k[0] == "code" and v is not None})

    def name(kind: str, ident: Any) -> str:
        table = {"document": docs, "coder": coders, "code": codes}[kind]
        return str(table.get(ident, ident))

    return name


def _describe(
    kind: str, key: Key, value: dict[str, Any] | None, name: Callable[[str, Any], str]
) -> str | None:
    if value is None:
        return None
    if kind == "segment":
        return "{coder}: {code} [{start}, {end}) in {document}{memo}".format(
            coder=name("coder", value["coder"]),
            code=name("code", value["code"]),
            start=value["start"],
            end=value["end"],
            document=name("document", value["document"]),
            memo=f" (memo: {value['memo']!r})" if value["memo"] else "",
        )
    if kind == "memo":
        target = value["target"]
        if value["target_type"] in ("document", "code"):
            target = name(value["target_type"], target)
        return "memo by {coder} on {target_type} {target}: {text!r}".format(
            coder=name("coder", value["coder"]) if value["coder"] else "nobody",
            target_type=value["target_type"],
            target=target,
            text=value["text"],
        )
    if kind == "status":
        sha, coder = key[1]
        return "{coder}'s status of {document}: {status}".format(
            coder=name("coder", coder), document=name("document", sha), status=value["status"]
        )
    return "code {key} ({en} / {zh}){retired}".format(
        key=value["key"],
        en=value["name_en"],
        zh=value["name_zh"],
        retired=" retired" if value["retired"] else "",
    )


def _threeway_report(
    plan: ThreeWayPlan, counts: dict[str, int], new_documents: int, name: Callable[[str, Any], str]
) -> dict[str, Any]:
    def conflict(c: Conflict) -> dict[str, Any]:
        kind = c.key[0]
        return {
            "id": c.id,
            "kind": c.kind,
            "entity": kind,
            "target": _describe(kind, c.key, c.target, name),
            "source": _describe(kind, c.key, c.source, name),
            "at_split": _describe(kind, c.key, c.base, name),
        }

    actions = []
    for change in plan.changes:
        kind = change.key[0]
        action = "remove" if change.source is None else "add" if change.target is None else "change"
        actions.append(
            {
                "action": action,
                "entity": kind,
                "id": conflict_id(change.key),
                "target": _describe(kind, change.key, change.target, name),
                "source": _describe(kind, change.key, change.source, name),
            }
        )
    return {
        "source": plan.source,
        "mode": "three-way",
        "warnings": [],
        "copy_events": len(plan.own_events),
        "coders": plan.coder_names,
        "new_coders": {n: r for _, n, r in plan.new_coders},
        "new_documents": new_documents,
        "applied": {k: v for k, v in sorted(counts.items()) if k != "already_present"},
        "already_present": plan.already + counts.get("already_present", 0),
        "actions": actions,
        "conflicts": [conflict(c) for c in plan.conflicts],
        "resolved": [conflict(c) | {"take": side} for c, side in plan.settled],
        "events_merged": len(plan.merged_events),
    }


def _plan_source(
    session: Session,
    src: _Source,
    target_guids: set[str],
    mapping: dict[str, str],
    decisions: dict[str, str],
    policy: str | None,
) -> tuple[ThreeWayPlan, list[str]]:
    target = load_state(session, keep_raw=False)
    plan = ThreeWayPlan(src.label, [e for e in src.events if e.guid not in target_guids])
    map_coders(plan, target, src.state, mapping)
    new_docs = []
    for sha, row in src.side.doc_rows.items():
        if sha in target.doc_names:
            continue
        if (
            session.execute(select(col(Document.id)).where(col(Document.name) == row["name"])).first()
            is not None
        ):
            raise MergeConflictError(
                f"merge refused, nothing was changed: document {row['name']!r} has a different text in "
                f"{src.label} than in the target (rename one of them before merging)"
            )
        new_docs.append(sha)
    plan_threeway(plan, target, src.state, decisions, policy)
    return plan, new_docs


def merge_projects(
    target: Project,
    sources: list[str],
    *,
    dry_run: bool = False,
    coder_map: dict[str, str] | None = None,
    add_codes: bool = False,
    actor: str | None = None,
    take: dict[str, str] | None = None,
    policy: str | None = None,
) -> dict[str, Any]:
    """Merge each source project into `target` (or, with `dry_run`, only say what would change).

    A source that shares history with the target (a copy of it, or of an earlier state) is
    merged three-way from its event log; others are merged as a union (see the module doc).
    `take` settles conflicts by id ("target" or "source"); `policy` settles all the others.
    A real merge backs the target up first and runs as one transaction.
    """
    if not sources:
        raise QualcodeError("name at least one source project to merge")
    if policy is not None and policy not in SIDES:
        raise QualcodeError(f"the conflict policy is 'target' or 'source', not {policy!r}")
    loaded = [_load_source(source, target) for source in sources]
    mapping = dict(coder_map or {})
    unknown = set(mapping) - {info["name"] for src in loaded for info in src.state.coders.values()}
    if unknown:
        raise MergeConflictError(f"--map-coder names coders that no source has: {', '.join(sorted(unknown))}")
    decisions = dict(take or {})

    def work(session: Session) -> list[dict[str, Any]]:
        target_guids = event_guids(session)
        shared = [any(e.guid in target_guids for e in src.events) for src in loaded]
        reports: list[dict[str, Any]] = [{} for _ in loaded]
        events: list[dict[str, Any]] = []
        union = [i for i, has in enumerate(shared) if not has]
        if union:
            names = {n for i in union for n in loaded[i].side.coders}
            plans = make_plans(
                load_side(session, full=False),
                [(loaded[i].label, loaded[i].side) for i in union],
                {k: v for k, v in mapping.items() if k in names},
                add_codes,
            )
            for i, plan in zip(union, plans, strict=True):
                if plan.changes():
                    _apply(session, plan, loaded[i].side, actor, events)
                reports[i] = _plan_dict(plan) | {
                    "mode": "union",
                    "warnings": [
                        f"{plan.source} shares no history with the target (an older copy, or a separate "
                        "project): it was merged as a union, so segments removed or moved in it cannot be "
                        "carried over"
                    ],
                    "changes": plan.changes(),
                }
        picked = [c for c in decisions if c not in {"*"}]
        found: set[str] = set()
        for i, src in enumerate(loaded):
            if not shared[i]:
                continue
            threeway, new_docs = _plan_source(session, src, target_guids, mapping, decisions, policy)
            found |= {c.id for c, _ in threeway.settled}
            events.extend(copy_documents(session, src.side, new_docs, actor, new_group_id()))
            counts = apply_threeway(session, threeway, src.state, actor, events)
            reports[i] = _threeway_report(threeway, counts, len(new_docs), _names(loaded, session))
            reports[i]["changes"] = sum(counts.values()) - counts.get("already_present", 0) + len(new_docs)
            reports[i]["changes"] += len(threeway.new_coders) + len(threeway.merged_events)
        missing = [c for c in picked if c not in found]
        if missing:
            raise QualcodeError(
                f"no open conflict has the id {missing[0]!r} (see `qualcode merge TARGET SOURCE --dry-run`)"
            )
        for report in reports:  # one summary per source that brought something
            if report["changes"]:
                summary = {k: v for k, v in report.items() if k not in ("actions", "changes")}
                events.append(event_row(actor, "merge", "project", None, new_group_id(), after=summary))
        insert_events(session, events)
        return reports

    with target.read() as session:  # every merge is tried first, then rolled back
        reports = work(session)
        session.rollback()
    would_change = any(r["changes"] for r in reports)
    backup = None
    if would_change and not dry_run:
        backup = str(backup_project(target, reason="before-merge"))
        reports = target.transact(work)
    for report in reports:
        del report["changes"]
    return {
        "target": target.display,
        "dry_run": dry_run,
        "changed": would_change and not dry_run,
        "would_change": would_change,
        "backup": backup,
        "conflicts": sum(len(r.get("conflicts", [])) for r in reports),
        "sources": reports,
    }


def open_conflict_ids(
    target: Project, source: str, wanted: list[str], coder_map: dict[str, str] | None = None
) -> list[str]:
    """The full ids of the open conflicts `wanted` names (each an id or a unique start of one)."""
    report = merge_projects(target, [source], dry_run=True, coder_map=coder_map)
    ids = [c["id"] for src in report["sources"] for c in src.get("conflicts", [])]
    out = []
    for name in wanted:
        hits = [i for i in ids if i == name] or [i for i in ids if i.startswith(name)]
        if len(hits) != 1:
            reason = "matches no open conflict" if not hits else f"matches {len(hits)} open conflicts"
            raise QualcodeError(f"{name!r} {reason} (see `qualcode merge TARGET SOURCE --dry-run`)")
        out.append(hits[0])
    return out

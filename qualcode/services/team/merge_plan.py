"""Planning a merge: what each source adds to the target, and which conflicts stop it.

Pure bookkeeping over in-memory snapshots of both projects; `merge.py` applies the plan.
The rules are described in `merge.py` and docs/team.md.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from qualcode.core.codebook import TEXT_FIELDS
from qualcode.core.errors import QualcodeError
from qualcode.core.participation import role_label
from qualcode.i18n import _, pgettext
from qualcode.services.coders import check_coder_name
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
)

SegmentKey = tuple[str, str, str, int, int]  # document sha256, coder, code key, start, end
# The examples are carried beside these, not compared (see load_side).
CODE_FIELDS = (
    "level",
    "name_en",
    "name_zh",
    *(f for f in TEXT_FIELDS if f not in ("example_en", "example_zh")),
    "codable",
)
DOC_FIELDS = ("name", "text", "length", "sha256", "source_filename", "encoding", "language", "imported_at")
T_SEG, T_MEMO, T_STATUS = table_of(Segment), table_of(Memo), table_of(DocumentStatus)


class MergeConflictError(QualcodeError):
    """The sources cannot be merged without a decision; nothing was changed."""


@dataclass
class Side:
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


def load_side(session: Session, full: bool) -> Side:
    """One project's coders, codes, documents and segments, keyed so they can be matched across projects."""
    side = Side()
    coder_names = {}
    for cid, name, role in session.execute(select(col(Coder.id), col(Coder.name), col(Coder.role))):
        side.coders[name], coder_names[cid] = role, name
    code_keys: dict[int, str] = {}
    parents: dict[str, int | None] = {}
    for row in session.execute(select(Code)).scalars():
        code_keys[row.id] = row.key
        side.codes[row.key] = {f: getattr(row, f) for f in CODE_FIELDS} | {
            "color": row.color,
            "example_en": row.example_en,
            "example_zh": row.example_zh,
            "sort_order": row.sort_order,
            "retired": row.retired,
            "guid": row.guid,
        }
        parents[row.key] = row.parent_id
    for key, parent_id in parents.items():
        side.codes[key]["parent"] = code_keys.get(parent_id) if parent_id is not None else None
    doc_sha: dict[int, str] = {}
    columns = [col(Document.id), col(Document.name), col(Document.sha256)] + (
        [col(Document.text)] if full else []
    )
    for row in session.execute(select(*columns).order_by(col(Document.id))):
        doc_sha[row.id] = row.sha256
        side.names[row.name] = row.sha256
        side.docs.setdefault(row.sha256, row.name)
    if full:
        for doc in session.execute(select(Document)).scalars():
            side.doc_rows[doc.sha256] = {f: getattr(doc, f) for f in DOC_FIELDS} | {
                "units": [
                    {c: getattr(u, c) for c in Unit.model_fields if c not in ("id", "document_id")}
                    for u in session.execute(select(Unit).where(Unit.document_id == doc.id)).scalars()
                ],
                "attributes": [
                    {"key": a.key, "value": a.value, "type": a.type}
                    for a in session.execute(
                        select(DocumentAttribute).where(DocumentAttribute.document_id == doc.id)
                    ).scalars()
                ],
            }
    seg_keys: dict[int, SegmentKey] = {}
    for seg in session.execute(select(Segment)).scalars():
        assert seg.id is not None  # a stored row
        seg_key = (
            doc_sha[seg.document_id],
            coder_names[seg.coder_id],
            code_keys[seg.code_id],
            seg.start,
            seg.end,
        )
        seg_keys[seg.id] = seg_key
        side.segments[seg_key] = {
            "memo": seg.memo,
            "guid": seg.guid,
            "created_at": seg.created_at,
            "updated_at": seg.updated_at,
        }
    for memo in session.execute(select(Memo)).scalars():
        ref: Any = None
        if memo.target_type == "document":
            ref = doc_sha.get(memo.target_id)
        elif memo.target_type == "code":
            ref = code_keys.get(memo.target_id)
        elif memo.target_type == "segment":
            ref = seg_keys.get(memo.target_id)
        author = coder_names.get(memo.coder_id) if memo.coder_id is not None else None
        side.memos.add((memo.target_type, ref, author, memo.title, memo.text))
        if full:
            side.memo_rows.append(
                {
                    "target_type": memo.target_type,
                    "ref": ref,
                    "coder": author,
                    "title": memo.title,
                    "text": memo.text,
                    "guid": memo.guid,
                    "created_at": memo.created_at,
                    "updated_at": memo.updated_at,
                }
            )
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
class Plan:
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
        return (
            len(self.new_coders)
            + len(self.new_codes)
            + len(self.new_documents)
            + len(self.new_segments)
            + len(self.memo_merges)
            + len(self.new_memos)
            + len(self.statuses)
            + len(self.new_cases)
            + len(self.new_members)
        )


def _map_coders(target: Side, src: Side, mapping: dict[str, str], plan: Plan, conflicts: list[str]) -> None:
    for name, role in sorted(src.coders.items()):
        dst = check_coder_name(mapping.get(name, name))  # a copy may hold names this project refuses
        plan.coder_map[name] = dst
        if dst not in target.coders:
            plan.new_coders[dst] = role
            target.coders[dst] = role
            continue
        if name in mapping:
            continue  # an explicit decision: same person (or deliberately merged)
        if target.coders[dst] != role:
            conflicts.append(
                _(
                    "coder {name!r} is a {role} in {source} but a {target_role} in the target "
                    "(map it with --map-coder {coder}=NAME)"
                ).format(
                    name=name,
                    role=role_label(role),
                    source=plan.source,
                    target_role=role_label(target.coders[dst]),
                    coder=name,
                )
            )
            continue
        mine: dict[str, set[tuple[str, int, int]]] = {}
        theirs: dict[str, set[tuple[str, int, int]]] = {}
        for sha, coder, code, start, end in src.segments:
            if coder == name:
                mine.setdefault(sha, set()).add((code, start, end))
        for sha, coder, code, start, end in target.segments:
            if coder == dst and sha in mine:
                theirs.setdefault(sha, set()).add((code, start, end))
        diverged = [
            target.docs.get(sha, src.docs.get(sha, sha))
            for sha in theirs
            if mine[sha] - theirs[sha] and theirs[sha] - mine[sha]
        ]
        if diverged:
            conflicts.append(
                _(
                    "coder {name!r} has different coding of {documents} in {source} and in the target "
                    "(same person: --map-coder {coder}={coder} to take the union; two people: "
                    "--map-coder {coder}=OTHER_NAME)"
                ).format(name=name, documents=", ".join(sorted(diverged)), source=plan.source, coder=name)
            )


def _codebook_report(target: Side, src: Side, plan: Plan) -> None:
    changed = []
    for key in sorted(set(src.codes) & set(target.codes)):
        for name in (*CODE_FIELDS, "parent"):
            if src.codes[key].get(name) != target.codes[key].get(name):
                changed.append(
                    {
                        "key": key,
                        "field": name,
                        "target": target.codes[key].get(name),
                        "source": src.codes[key].get(name),
                    }
                )
    plan.codebook = {
        "only_in_source": sorted(set(src.codes) - set(target.codes)),
        "only_in_target": sorted(set(target.codes) - set(src.codes)),
        "changed": changed,
    }


def _plan_codes(target: Side, src: Side, plan: Plan, add_codes: bool, conflicts: list[str]) -> None:
    missing = set(src.codes) - set(target.codes)
    used = {key[2] for key in src.segments} | {m["ref"] for m in src.memo_rows if m["target_type"] == "code"}
    used |= {m["ref"][2] for m in src.memo_rows if m["target_type"] == "segment" and m["ref"]}
    if not add_codes:
        needed = sorted(missing & used)
        if needed:
            conflicts.append(
                _(
                    "{source} uses codes the target's codebook lacks: {keys} "
                    "(add them with --add-codes, or add them to the target's codebook first)"
                ).format(source=plan.source, keys=", ".join(needed))
            )
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


def _plan_documents(target: Side, src: Side, plan: Plan, conflicts: list[str]) -> None:
    for sha, row in src.doc_rows.items():
        if sha in target.docs:
            continue
        if row["name"] in target.names:
            conflicts.append(
                _(
                    "document {name!r} has a different text in {source} than in the target "
                    "(rename one of them before merging)"
                ).format(name=row["name"], source=plan.source)
            )
            continue
        plan.new_documents.append(sha)
        target.docs[sha], target.names[row["name"]] = row["name"], sha


def _plan_rows(target: Side, src: Side, plan: Plan) -> None:
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
        status_key = (sha, plan.coder_map[coder])
        current = target.statuses.get(status_key)
        if current is None or (current != "done" and status == "done"):
            plan.statuses[status_key] = status
            target.statuses[status_key] = status
    for name, shas in src.cases.items():
        if name not in target.cases:
            plan.new_cases.append(name)
            target.cases[name] = set()
        for sha in sorted(shas - target.cases[name]):
            plan.new_members.append((name, sha))
            target.cases[name].add(sha)


def make_plans(
    target: Side, sources: list[tuple[str, Side]], mapping: dict[str, str], add_codes: bool
) -> list[Plan]:
    """What merging each source into the target would add, and any conflicts. Refused when --map-coder names a
    coder no source has."""
    unknown = set(mapping) - {name for _unused, side in sources for name in side.coders}
    if unknown:
        raise MergeConflictError(
            _("--map-coder names coders that no source has: {unknown}").format(
                unknown=', '.join(sorted(unknown))
            )
        )
    plans: list[Plan] = []
    conflicts: list[str] = []
    for label, src in sources:
        plan = Plan(source=label)
        _codebook_report(target, src, plan)
        _map_coders(target, src, mapping, plan, conflicts)
        _plan_codes(target, src, plan, add_codes, conflicts)
        _plan_documents(target, src, plan, conflicts)
        if not conflicts:
            _plan_rows(target, src, plan)
        plans.append(plan)
    if conflicts:
        raise MergeConflictError(
            _("merge refused, nothing was changed: {conflicts}").format(
                conflicts=pgettext("clause separator", "; ").join(conflicts)
            )
        )
    return plans

"""Loading what an agreement report compares: coders, codes, done documents, segments, units.

Reads with plain column selects (no ORM objects) so that a project with 100k segments loads
in a fraction of a second, and turns segments into a codes x coders x units presence array.
"""

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlmodel import Session, col, select

from qualcode.core.agreement.sentences import sentence_spans
from qualcode.core.errors import NotFoundError, ValidationError
from qualcode.core.participation import PARTICIPATION_RULE, coder_kind, takes_part
from qualcode.i18n import N_, _, join_list
from qualcode.i18n.messages import Message
from qualcode.services.coders import is_pseudo_coder
from qualcode.services.team.access import require_full_view
from qualcode.store.mapped import saved_id
from qualcode.store.models import Code, Coder, Document, DocumentStatus, Segment

UNIT_TYPES = ("answer", "sentence", "char", "span")
MISSING_RULE = N_(
    "a coder's values count only in documents where the coder takes part (participation rule); "
    "elsewhere the coder is missing, not 'absent'; units with values from fewer than two coders "
    "are not pairable"
)


@dataclass
class CodeInfo:
    id: int
    key: str
    name_en: str
    name_zh: str
    dimension: str  # key of the top-level ancestor


@dataclass
class Frame:
    coders: list[str]
    coder_ids: list[int]
    excluded_coders: list[str]
    codes: list[CodeInfo]
    doc_names: dict[int, str]
    doc_lengths: dict[int, int]
    done: np.ndarray  # bool, documents (in doc_order) x coders
    doc_order: list[int]
    seg_doc: np.ndarray
    seg_coder: np.ndarray  # index into coders
    seg_code: np.ndarray  # index into codes
    seg_start: np.ndarray
    seg_end: np.ndarray
    seg_id: np.ndarray
    notes: list[str] = field(default_factory=list)

    def doc_index(self) -> dict[int, int]:
        return {d: i for i, d in enumerate(self.doc_order)}


@dataclass
class Units:
    """Non-overlapping units in global coordinates (documents laid end to end)."""

    kind: str
    doc: np.ndarray  # document id per unit
    start: np.ndarray  # offsets within the document
    end: np.ndarray
    label: list[str]  # e.g. "doc1 #3" or "doc1 [10, 42)"

    def __len__(self) -> int:
        return len(self.doc)


def _dimension_of(codes: dict[int, tuple[str, int | None]]) -> dict[int, str]:
    out: dict[int, str] = {}
    for cid in codes:
        seen, cur = set(), cid
        while codes[cur][1] is not None and codes[cur][1] in codes and cur not in seen:
            seen.add(cur)
            cur = codes[cur][1]  # type: ignore[assignment]
        out[cid] = codes[cur][0]
    return out


def load_frame(
    session: Session,
    *,
    coders: list[str] | None = None,
    codes: list[str] | None = None,
    include_pseudo: bool = False,
    viewer: str | None = None,
) -> Frame:
    """Everything agreement compares, read once: the coders who take part (by the participation rule), the
    codes and every segment. Refused in blind mode for anyone but a lead; unknown coders or codes, or fewer
    than two coders, are errors."""
    # Comparing coders needs everyone's work: in blind mode only a lead may.
    require_full_view(session, viewer, "agreement")
    all_coders = list(session.exec(select(Coder.id, Coder.name, Coder.role).order_by(col(Coder.name))).all())
    by_name = {name: saved_id(cid) for cid, name, _ in all_coders}
    roles = {name: role for _, name, role in all_coders}
    if coders:
        unknown = [c for c in coders if c not in by_name]
        if unknown:
            raise NotFoundError(
                _("unknown coder(s) {unknown} (known: {value})").format(
                    unknown=', '.join(map(repr, unknown)), value=', '.join(by_name) or 'none'
                )
            )
        chosen = list(dict.fromkeys(coders))
        excluded = [n for n in by_name if n not in chosen]
    else:
        chosen = [n for n in by_name if include_pseudo or not is_pseudo_coder(n)]
        excluded = [n for n in by_name if n not in chosen]
    _need_two(chosen, excluded)
    rows = session.exec(select(Code)).all()
    tree = {saved_id(r.id): (r.key, r.parent_id) for r in rows}
    dims = _dimension_of(tree)
    info = {r.key: CodeInfo(saved_id(r.id), r.key, r.name_en, r.name_zh, dims[saved_id(r.id)]) for r in rows}
    if codes:
        wanted: list[str] = []
        for key in codes:
            if key not in info:
                raise NotFoundError(_("unknown code {key!r}").format(key=key))
            # A dimension or category key stands for every codable code below it.
            below = [
                r.key
                for r in rows
                if r.codable and not r.retired and _has_ancestor(tree, saved_id(r.id), info[key].id)
            ]
            wanted += below or [key]
        selected = [info[k] for k in dict.fromkeys(wanted)]
    else:
        ordered = sorted(
            (r for r in rows if r.codable and not r.retired),
            key=lambda r: (dims[saved_id(r.id)], r.sort_order, r.key),
        )
        selected = [info[r.key] for r in ordered]
    if not selected:
        raise ValidationError(_("the project has no codable codes to compare (load a codebook first)"))
    coder_ids = [by_name[n] for n in chosen]
    docs = [
        (saved_id(i), name, length)
        for i, name, length in session.exec(
            select(Document.id, Document.name, Document.length).order_by(col(Document.name))
        ).all()
    ]
    doc_order = [d[0] for d in docs]
    d_index = {d: i for i, d in enumerate(doc_order)}
    c_index = {cid: i for i, cid in enumerate(coder_ids)}
    done = np.zeros((len(doc_order), len(coder_ids)), dtype=bool)
    for doc_id, coder_id in session.exec(
        select(DocumentStatus.document_id, DocumentStatus.coder_id).where(
            DocumentStatus.status == "done", col(DocumentStatus.coder_id).in_(coder_ids)
        )
    ):
        done[d_index[doc_id], c_index[coder_id]] = True
    code_index = {c.id: i for i, c in enumerate(selected)}
    seg = _int_rows(session, 'SELECT document_id, coder_id, code_id, start, "end", id FROM segments', 6)
    coder_lookup = np.full(max(coder_ids + [int(seg[:, 1].max(initial=0))]) + 1, -1, dtype=np.int64)
    coder_lookup[coder_ids] = np.arange(len(coder_ids))
    coded = np.zeros_like(done)
    mine = coder_lookup[seg[:, 1]] >= 0
    coded[[d_index[d] for d in seg[mine, 0].tolist()], coder_lookup[seg[mine, 1]]] = True
    named = set(coders or []) | ({n for n in chosen if is_pseudo_coder(n)} if include_pseudo else set())
    notes: list[str] = []
    for i, name in enumerate(chosen):
        kind = coder_kind(roles[name], is_pseudo_coder(name))
        done[:, i] = takes_part(kind, name in named, done[:, i], coded[:, i])
    # A lead who takes part nowhere (reviewed but did not code) is no column of the report at all.
    idle = [i for i, n in enumerate(chosen) if roles[n] == "lead" and n not in named and not done[:, i].any()]
    if idle:
        for i in idle:
            notes.append(Message("lead_not_compared", coder=chosen[i]))
        keep = [i for i in range(len(chosen)) if i not in idle]
        excluded = excluded + [chosen[i] for i in idle]
        chosen, coder_ids, done = [chosen[i] for i in keep], [coder_ids[i] for i in keep], done[:, keep]
        _need_two(chosen, excluded)
        coder_lookup[:] = -1
        coder_lookup[coder_ids] = np.arange(len(coder_ids))
    code_lookup = np.full(max(list(code_index) + [int(seg[:, 2].max(initial=0))]) + 1, -1, dtype=np.int64)
    code_lookup[list(code_index)] = list(code_index.values())
    seg = seg[(coder_lookup[seg[:, 1]] >= 0) & (code_lookup[seg[:, 2]] >= 0)]
    return Frame(
        coders=chosen,
        coder_ids=coder_ids,
        excluded_coders=excluded,
        codes=selected,
        doc_names={d[0]: d[1] for d in docs},
        doc_lengths={d[0]: d[2] for d in docs},
        done=done,
        doc_order=doc_order,
        seg_doc=seg[:, 0],
        seg_coder=coder_lookup[seg[:, 1]],
        seg_code=code_lookup[seg[:, 2]],
        seg_start=seg[:, 3],
        seg_end=seg[:, 4],
        seg_id=seg[:, 5],
        notes=notes,
    )


def _need_two(chosen: list[str], excluded: list[str]) -> None:
    if len(chosen) < 2:
        raise ValidationError(
            f"agreement needs at least two coders, found {len(chosen)}"
            + (" (auto:* and consensus are excluded unless named with --coders)" if excluded else "")
            + f"; {PARTICIPATION_RULE}"
        )


def _has_ancestor(tree: dict[int, tuple[str, int | None]], node: int, ancestor: int) -> bool:
    seen: set[int] = set()
    cur: int | None = node
    while cur is not None and cur not in seen:
        if cur == ancestor:
            return True
        seen.add(cur)
        cur = tree.get(cur, ("", None))[1]
    return False


def _rows(session: Session, sql: str) -> list[tuple[Any, ...]]:
    """Plain tuples straight from the DBAPI cursor: bulk reads skip per-row ORM work."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _int_rows(session: Session, sql: str, width: int) -> np.ndarray:
    return np.array(_rows(session, sql), dtype=np.int64).reshape(-1, width)


def load_units(session: Session, frame: Frame, kind: str) -> Units:
    """Respondent answers, or the sentences in them (whole text when a document has no units)."""
    active = [d for i, d in enumerate(frame.doc_order) if frame.done[i].any()]
    # Filtered in Python, not with IN (...): SQLite limits the number of bound parameters.
    active_set = set(active)
    rows = [
        r
        for r in _rows(
            session,
            "SELECT document_id, seq, start, \"end\" FROM units WHERE speaker_role = 'respondent' "
            "ORDER BY document_id, start",
        )
        if r[0] in active_set
    ]
    if kind == "answer":
        if not rows:
            raise ValidationError(
                _(
                    "no respondent answer units in documents marked done (import transcripts with speaker turns, or use --unit sentence or --unit char)"
                )
            )
        arr = np.asarray(rows, dtype=np.int64).reshape(-1, 4)
        index = frame.doc_index()
        arr = arr[np.lexsort((arr[:, 2], np.array([index[d] for d in arr[:, 0].tolist()])))]
        labels = [
            f"{frame.doc_names[d]} #{q}" for d, q in zip(arr[:, 0].tolist(), arr[:, 1].tolist(), strict=True)
        ]
        return Units("answer", arr[:, 0], arr[:, 2], arr[:, 3], labels)
    texts = {
        saved_id(d): t for d, t in session.exec(select(Document.id, Document.text)).all() if d in active_set
    }
    by_doc: dict[int, list[tuple[int, int]]] = {}
    for d, _unused, s, e in rows:
        by_doc.setdefault(d, []).append((s, e))
    doc: list[int] = []
    start: list[int] = []
    end: list[int] = []
    label: list[str] = []
    for d in active:
        stretches = by_doc.get(d) or [(0, frame.doc_lengths[d])]
        n = 0
        for s0, e0 in stretches:
            for s, e in sentence_spans(texts[d], s0, e0):
                n += 1
                doc.append(d)
                start.append(s)
                end.append(e)
                label.append(f"{frame.doc_names[d]} s{n}")
    if not doc:
        raise ValidationError(_("no sentences found in documents marked done"))
    return Units("sentence", np.asarray(doc), np.asarray(start), np.asarray(end), label)


def presence(frame: Frame, units: Units) -> np.ndarray:
    """Bool codes x coders x units: the coder applied the code to a span overlapping the unit."""
    order = frame.doc_order
    lengths = np.array([frame.doc_lengths[d] for d in order], dtype=np.int64)
    offsets = dict(zip(order, np.concatenate([[0], np.cumsum(lengths)[:-1]]).tolist(), strict=True))
    lookup = np.zeros(max(order) + 1 if order else 1, dtype=np.int64)
    lookup[order] = list(offsets.values())
    u_off = lookup[units.doc]
    u_start, u_end = units.start + u_off, units.end + u_off
    overlap = np.flatnonzero(u_start[1:] < u_end[:-1])
    if len(overlap):
        raise ValidationError(
            _(
                "units {label} and {label2} overlap; agreement needs non-overlapping units (check the document's speaker turns)"
            ).format(label=units.label[overlap[0]], label2=units.label[overlap[0] + 1])
        )
    s_off = lookup[frame.seg_doc]
    s_start, s_end = frame.seg_start + s_off, frame.seg_end + s_off
    first = np.searchsorted(u_end, s_start, side="right")
    last = np.searchsorted(u_start, s_end, side="left")
    count = np.maximum(last - first, 0)
    out = np.zeros((len(frame.codes), len(frame.coders), len(units)), dtype=bool)
    total = int(count.sum())
    if total:
        which = np.repeat(np.arange(len(count)), count)
        steps = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
        out[frame.seg_code[which], frame.seg_coder[which], first[which] + steps] = True
    return out


def done_per_unit(frame: Frame, units: Units) -> np.ndarray:
    """Bool coders x units: the coder marked the unit's document done."""
    lookup = np.zeros(max(frame.doc_order) + 1, dtype=np.int64)
    lookup[frame.doc_order] = np.arange(len(frame.doc_order))
    return frame.done[lookup[units.doc]].T.copy()


ALL_DOCUMENTS_RULE = N_(
    "--all-documents: every coder counts in every document they coded in (has a segment of any code "
    "in), whether or not they marked it done"
)


def count_coded_documents(session: Session, frame: Frame) -> None:
    """--all-documents: a coder takes part in every document they coded in, as if marked done
    (projects from other tools carry no done marks)."""
    ids = {cid: i for i, cid in enumerate(frame.coder_ids)}
    index = frame.doc_index()
    for doc_id, coder_id in session.exec(select(Segment.document_id, Segment.coder_id).distinct()).all():
        if coder_id in ids and doc_id in index:
            frame.done[index[doc_id], ids[coder_id]] = True


def require_done(frame: Frame) -> None:
    """Agreement needs done documents; when there are none, say so and how to fix it."""
    if frame.done.any():
        return
    raise ValidationError(
        _(
            "no document is marked done by any of the coders compared ({coders}): agreement counts a coder "
            "only in documents that coder marked done. Mark them with `qualcode code done PROJECT --all` "
            "(every document each coder coded in), or compare every document each coder coded in with "
            "`qualcode agree PROJECT --all-documents`"
        ).format(coders=join_list(frame.coders))
    )

"""One read of everything analysis needs: documents, attributes, units, codes, coders, segments.

Read with plain SQL selects (no ORM objects), because exports walk 100,000 segments.
Typology, data frames and the workbook all start from an `AnalysisData`.
"""

import bisect
import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from qualcode.core.errors import NotFoundError, QualcodeError
from qualcode.i18n import N_, _
from qualcode.services.coders import CONSENSUS, is_pseudo_coder
from qualcode.services.team.access import BlindModeError, visible_coder_ids
from qualcode.store.db import Project
from qualcode.store.mapped import saved_id
from qualcode.store.models import (
    Code,
    Coder,
    Document,
    DocumentAttribute,
    DocumentStatus,
    Segment,
    Setting,
    Unit,
)


@dataclass(frozen=True)
class CodeInfo:
    id: int
    key: str
    parent_id: int | None
    level: str
    name_en: str
    name_zh: str
    path: tuple[str, ...]  # root first, ending with this key
    row: dict[str, Any]  # every column, for the Codebook sheet

    @property
    def dimension(self) -> str:
        return self.path[0]


@dataclass(frozen=True)
class UnitInfo:
    start: int
    end: int
    speaker: str | None
    speaker_role: str | None
    question_key: str | None


@dataclass(frozen=True)
class SegmentRow:
    id: int
    document_id: int
    coder_id: int
    code_id: int
    start: int
    end: int
    memo: str | None


@dataclass
class AnalysisData:
    documents: dict[int, tuple[str, str]]  # id -> (name, text), by name order
    attributes: dict[int, dict[str, str | None]]
    units: dict[int, list[UnitInfo]]  # by start
    codes: dict[int, CodeInfo]  # in tree order
    coders: dict[int, str]
    segments: list[SegmentRow]
    settings: dict[str, Any]
    done: set[tuple[int, int]] = field(default_factory=set)  # (document id, coder id) marked done
    # Coders whose work was loaded, when blind mode limited it to the viewer's own (None: everyone's).
    visible: set[int] | None = None
    _unit_starts: dict[int, list[int]] = field(default_factory=dict)

    def unit_at(self, document_id: int, offset: int) -> UnitInfo | None:
        """The unit that contains `offset`, or None."""
        units = self.units.get(document_id)
        if not units:
            return None
        starts = self._unit_starts.get(document_id)
        if starts is None:
            starts = self._unit_starts[document_id] = [u.start for u in units]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and units[i].start <= offset < units[i].end:
            return units[i]
        return None

    def respondent_intervals(self, document_id: int) -> tuple[tuple[int, int], ...]:
        """Respondent turns; a document without units is all respondent text."""
        units = self.units.get(document_id)
        if not units:
            return ((0, len(self.documents[document_id][1])),)
        return tuple((u.start, u.end) for u in units if u.speaker_role == "respondent")

    def attribute_keys(self) -> list[str]:
        return sorted({k for attrs in self.attributes.values() for k in attrs})

    def coder_id(self, name: str) -> int:
        for cid, cname in self.coders.items():
            if cname == name:
                return cid
        raise NotFoundError(
            _("unknown coder {name!r} (coders: {value})").format(
                name=name, value=', '.join(sorted(self.coders.values())) or 'none'
            )
        )

    def coded_documents(self, coder_ids: list[int]) -> set[int]:
        """Documents these coders worked on: a segment, or marked done (coded, nothing found)."""
        wanted = set(coder_ids)
        docs = {s.document_id for s in self.segments if s.coder_id in wanted}
        return docs | {d for d, c in self.done if c in wanted}

    def human_coders(self) -> list[int]:
        return [cid for cid, name in self.coders.items() if not is_pseudo_coder(name)]


def _tree_order(rows: list[Any]) -> dict[int, CodeInfo]:
    by_parent: dict[int | None, list[Any]] = {}
    for r in rows:
        by_parent.setdefault(r.parent_id, []).append(r)
    for children in by_parent.values():
        children.sort(key=lambda r: (r.sort_order, r.key))
    out: dict[int, CodeInfo] = {}

    def visit(parent: int | None, path: tuple[str, ...]) -> None:
        for r in by_parent.get(parent, []):
            if r.id in out:
                continue  # a cycle would be a store bug; do not loop
            own = (*path, r.key)
            out[r.id] = CodeInfo(
                r.id, r.key, r.parent_id, r.level, r.name_en or "", r.name_zh or "", own, dict(r._mapping)
            )
            visit(r.id, own)

    visit(None, ())
    for r in rows:  # orphans (parent missing) still get a row
        if r.id not in out:
            out[r.id] = CodeInfo(
                r.id,
                r.key,
                r.parent_id,
                r.level,
                r.name_en or "",
                r.name_zh or "",
                (r.key,),
                dict(r._mapping),
            )
    return out


BATCH_ROWS = 10_000


def load_analysis_data(project: Project, viewer: str | None = None) -> AnalysisData:
    """Everything analysis needs, as `viewer` may see it: in blind mode a coder's data holds
    only their own segments, done marks and name (see services/team/access.py)."""
    with project.read() as session:
        visible = visible_coder_ids(session, viewer)
        conn = session.connection()
        docs = conn.execute(select(Document.id, Document.name, Document.text).order_by(Document.name)).all()
        attributes: dict[int, dict[str, str | None]] = {d.id: {} for d in docs}
        for a in conn.execute(
            select(DocumentAttribute.document_id, DocumentAttribute.key, DocumentAttribute.value)
        ):
            attributes.setdefault(a.document_id, {})[a.key] = a.value
        units: dict[int, list[UnitInfo]] = {}
        # Rows fetched in batches (`partitions`), not one fetch per row: a large project has
        # hundreds of thousands of units and segments.
        for batch in conn.execute(
            sa.select(
                col(Unit.document_id),
                col(Unit.start),
                col(Unit.end),
                col(Unit.speaker),
                col(Unit.speaker_role),
                col(Unit.question_key),
            ).order_by(col(Unit.document_id), col(Unit.start), col(Unit.seq))
        ).partitions(BATCH_ROWS):
            for document_id, start, end, speaker, role, question in batch:
                units.setdefault(document_id, []).append(UnitInfo(start, end, speaker, role, question))
        code_rows = conn.execute(select(Code.__table__)).all()  # type: ignore[attr-defined]
        coders = {c.id: c.name for c in conn.execute(select(Coder.id, Coder.name).order_by(Coder.name))}
        segments = [
            SegmentRow(saved_id(s[0]), *s[1:])
            for batch in conn.execute(
                sa.select(
                    col(Segment.id),
                    col(Segment.document_id),
                    col(Segment.coder_id),
                    col(Segment.code_id),
                    col(Segment.start),
                    col(Segment.end),
                    col(Segment.memo),
                ).order_by(
                    col(Segment.document_id),
                    col(Segment.start),
                    col(Segment.end),
                    col(Segment.code_id),
                    col(Segment.coder_id),
                )
            ).partitions(BATCH_ROWS)
            for s in batch
        ]
        settings = {s.key: json.loads(s.value) for s in conn.execute(select(Setting.key, Setting.value))}
        done = {
            (d.document_id, d.coder_id)
            for d in conn.execute(
                select(DocumentStatus.document_id, DocumentStatus.coder_id).where(
                    DocumentStatus.status == "done"
                )
            )
        }
    if visible is not None:
        coders = {cid: name for cid, name in coders.items() if cid in visible}
        segments = [s for s in segments if s.coder_id in visible]
        done = {(d, c) for d, c in done if c in visible}
    return AnalysisData(
        documents={d.id: (d.name, d.text) for d in docs},
        attributes=attributes,
        units=units,
        codes=_tree_order(list(code_rows)),
        coders=coders,
        segments=segments,
        settings=settings,
        done=done,
        visible=visible,
    )


def check_source_visible(data: AnalysisData, coder: str | None, consensus: bool, combine: str | None) -> None:
    """In blind mode a coder's data holds only their own coding: refuse any other source by name."""
    if data.visible is not None and (
        consensus or combine is not None or (coder is not None and coder not in data.coders.values())
    ):
        raise BlindModeError(
            _(
                "blind mode is on: a coder analyses only their own coding (--coder YOUR_NAME) until a lead runs `qualcode blind reveal`"
            )
        )


CONSENSUS_ELSE_UNION = "consensus-else-union"
COMBINE_CHOICES = ("union", "majority", CONSENSUS_ELSE_UNION)
DEFAULT_SOURCE = CONSENSUS_ELSE_UNION
# What each coding source means, in English (the JSON's `coding_source_description`); a person
# reads it through _() where it is shown.
SOURCE_DESCRIPTIONS = {
    "coder": N_("one coder's coding"),
    "consensus": N_("the consensus (adjudicated) coding; cases without it cannot be typed"),
    "union": N_("every character any human coder coded"),
    "majority": N_("the characters more than half of the human coders who worked on a document coded"),
    CONSENSUS_ELSE_UNION: N_(
        "per case: the consensus coding where the case has any, else every character any human coder coded"
    ),
}


def select_source(
    data: AnalysisData, coder: str | None, consensus: bool, combine: str | None
) -> tuple[str, list[int]]:
    """Which coders' segments count: (source, coder ids); source is one of SOURCE_DESCRIPTIONS.

    Nothing chosen means `consensus-else-union` (per case), so that a case is never dropped
    because other cases were adjudicated. For it the ids are the human coders and the consensus.
    """
    check_source_visible(data, coder, consensus, combine)
    chosen = [x for x in (coder is not None, consensus, combine is not None) if x]
    if len(chosen) > 1:
        raise QualcodeError(_("choose one coding source: a coder, the consensus, or a combination of coders"))
    coded = {s.coder_id for s in data.segments}
    if coder is not None:
        return "coder", [data.coder_id(coder)]
    if consensus:
        ids = [cid for cid, name in data.coders.items() if name == CONSENSUS]
        if not ids or ids[0] not in coded:
            raise QualcodeError(
                _("the project has no consensus coding yet (adjudicate first, or choose --coder)")
            )
        return "consensus", ids
    if combine is None and data.visible is not None:
        # blind mode: a coder's data holds only their own coding, so that is the source
        return "coder", [c for c in data.human_coders() if c in coded]
    combine = combine or DEFAULT_SOURCE
    if combine not in COMBINE_CHOICES:
        raise QualcodeError(
            _("unknown way to combine coders {combine!r}: use one of {COMBINE_CHOICES}").format(
                combine=combine, COMBINE_CHOICES=', '.join(COMBINE_CHOICES)
            )
        )
    humans = [c for c in data.human_coders() if c in coded]
    if combine == CONSENSUS_ELSE_UNION:
        return combine, humans + [
            cid for cid, name in data.coders.items() if name == CONSENSUS and cid in coded
        ]
    return combine, humans


def case_sources(
    data: AnalysisData, case_of: dict[int, str], source: str, coder_ids: list[int]
) -> dict[str, str]:
    """The coding each case is built from: `source` itself, or for consensus-else-union per case
    `consensus` (the case has consensus segments) or `union`."""
    cases = sorted(set(case_of.values()))
    if source != CONSENSUS_ELSE_UNION:
        return {c: source for c in cases}
    consensus = {cid for cid in coder_ids if data.coders[cid] == CONSENSUS}
    adjudicated = {
        case_of[s.document_id] for s in data.segments if s.coder_id in consensus and s.document_id in case_of
    }
    return {c: "consensus" if c in adjudicated else "union" for c in cases}


def coders_for(data: AnalysisData, case_source: str, source: str, coder_ids: list[int]) -> list[int]:
    """The coder ids whose segments count in a case built from `case_source`."""
    if source != CONSENSUS_ELSE_UNION:
        return coder_ids
    want_consensus = case_source == "consensus"
    return [cid for cid in coder_ids if (data.coders[cid] == CONSENSUS) == want_consensus]


def source_segments(
    data: AnalysisData, case_of: dict[int, str], source: str, coder_ids: list[int]
) -> list[SegmentRow]:
    """The segments a source counts, case by case (documents without a case: the human coders)."""
    per_case = case_sources(data, case_of, source, coder_ids)
    wanted = {c: set(coders_for(data, src, source, coder_ids)) for c, src in per_case.items()}
    fallback = set(coders_for(data, "union", source, coder_ids))
    return [
        s
        for s in data.segments
        if s.coder_id in (wanted[case_of[s.document_id]] if s.document_id in case_of else fallback)
    ]

"""The project's coded data as plain tables (header, rows): the workbook sheets and data frames.

Built from one `AnalysisData` read, without pandas, so that the workbook can stream
100,000 segment rows. `services/exchange/frames.py` wraps the same tables as DataFrames.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from qualcode.core.codebook import TEXT_FIELDS
from qualcode.core.ordering import question_order
from qualcode.services.analysis.case_units import CaseUnit, resolve_case_unit
from qualcode.services.analysis.data import AnalysisData, SegmentRow

Row = list[Any]


@dataclass
class Table:
    name: str
    header: list[str]
    rows: list[Row]
    # Notes for the header cells where the column heading table (columns.py) knows no heading:
    # the matrices' code names.
    header_zh: list[str | None] | None = None


def default_unit(data: AnalysisData, case_attribute: str | None = None) -> CaseUnit:
    """The project's case unit as configured; documents when nothing is configured."""
    return resolve_case_unit(data, None, None, case_attribute, None)


def code_levels(data: AnalysisData) -> int:
    """The depth of the deepest code path, so tables give each level its own column."""
    return max((len(c.path) for c in data.codes.values()), default=1)


def codebook_table(data: AnalysisData) -> Table:
    """The Codebook table: every code with its place in the tree, names, definitions, criteria and examples."""
    header = [
        "key",
        "parent",
        "level",
        "depth",
        "name_en",
        "name_zh",
        *TEXT_FIELDS,
        "color",
        "codable",
        "retired",
    ]
    rows = []
    for c in data.codes.values():
        r = c.row
        parent = c.path[-2] if len(c.path) > 1 else None
        rows.append(
            [
                c.key,
                parent,
                c.level,
                len(c.path),
                c.name_en,
                c.name_zh,
                *[r.get(name) for name in TEXT_FIELDS],
                r.get("color"),
                bool(r.get("codable")),
                bool(r.get("retired")),
            ]
        )
    return Table("Codebook", header, rows)


def documents_table(data: AnalysisData, unit: CaseUnit) -> Table:
    """The Documents table: each document's case, role, size and attributes."""
    keys = data.attribute_keys()
    header = [
        "document",
        "case",
        "role",
        "role_title",
        "characters",
        "respondent_characters",
        "units",
        "segments",
        *keys,
    ]
    seg_count = Counter(s.document_id for s in data.segments)
    rows = []
    for doc_id, (name, text) in data.documents.items():
        respondent = sum(e - s for s, e in data.respondent_intervals(doc_id))
        attrs = data.attributes.get(doc_id, {})
        rows.append(
            [
                name,
                unit.case_of.get(doc_id),
                unit.role_of.get(doc_id),
                unit.role_title_of.get(doc_id),
                len(text),
                respondent,
                len(data.units.get(doc_id, [])),
                seg_count.get(doc_id, 0),
                *[attrs.get(k) for k in keys],
            ]
        )
    return Table("Documents", header, rows)


def segment_header(levels: int) -> list[str]:
    """The Segments table's column keys, with one column per code level."""
    header = [
        "segment_id",
        "document",
        "case",
        "role",
        "question",
        "speaker",
        "coder",
        "code",
        *[f"level_{i + 1}" for i in range(levels)],
        "name_en",
        "name_zh",
        "dimension",
        "start",
        "end",
        "length",
        "text",
        "memo",
    ]
    return header


def segment_rows(data: AnalysisData, unit: CaseUnit, segments: list[SegmentRow] | None = None) -> Table:
    """One row per coded segment of every coder (the long table)."""
    levels = code_levels(data)
    header = segment_header(levels)
    rows: list[Row] = []
    blank = [None] * levels
    for s in data.segments if segments is None else segments:
        name, text = data.documents[s.document_id]
        code = data.codes[s.code_id]
        u = data.unit_at(s.document_id, s.start)
        path = list(code.path) + blank[len(code.path) :]
        rows.append(
            [
                s.id,
                name,
                unit.case_of.get(s.document_id),
                unit.role_of.get(s.document_id),
                u.question_key if u else None,
                u.speaker if u else None,
                data.coders[s.coder_id],
                code.key,
                *path,
                code.name_en,
                code.name_zh,
                code.dimension,
                s.start,
                s.end,
                s.end - s.start,
                text[s.start : s.end],
                s.memo,
            ]
        )
    return Table("Segments", header, rows)


def code_frequency_table(data: AnalysisData, unit: CaseUnit) -> Table:
    """Segments per code: by coder, then by respondent role (all coders)."""
    coders = sorted(data.coders.values())
    roles = sorted({r for r in unit.role_of.values() if r})
    by_coder: dict[int, Counter[str]] = defaultdict(Counter)
    by_role: dict[int, Counter[str]] = defaultdict(Counter)
    for s in data.segments:
        by_coder[s.code_id][data.coders[s.coder_id]] += 1
        by_role[s.code_id][unit.role_of.get(s.document_id) or ""] += 1
    header = [
        "code",
        "name_en",
        "name_zh",
        "dimension",
        "total",
        *[f"coder:{c}" for c in coders],
        *[f"role:{r}" for r in roles],
    ]
    rows = []
    for code in data.codes.values():
        counts = by_coder.get(code.id, Counter())
        rows.append(
            [
                code.key,
                code.name_en,
                code.name_zh,
                code.dimension,
                sum(counts.values()),
                *[counts.get(c, 0) for c in coders],
                *[by_role.get(code.id, Counter()).get(r, 0) for r in roles],
            ]
        )
    return Table("Code_Frequencies", header, rows)


def _used_codes(data: AnalysisData, segments: list[SegmentRow]) -> list[Any]:
    used = {s.code_id for s in segments}
    return [c for c in data.codes.values() if c.id in used]


def case_code_table(
    data: AnalysisData, unit: CaseUnit, segments: list[SegmentRow], presence: bool = False
) -> Table:
    """Segments per case and code (or 0/1 presence with `presence`), for the cases of `unit`."""
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for s in segments:
        case = unit.case_of.get(s.document_id)
        if case is not None:
            counts[case][s.code_id] += 1
    codes = _used_codes(data, segments)
    cases = sorted(set(unit.case_of.values()))
    rows = [
        [case, *[(1 if counts[case][c.id] else 0) if presence else counts[case][c.id] for c in codes]]
        for case in cases
    ]
    return Table(
        "Case_x_Code_01" if presence else "Case_x_Code",
        ["case", *[c.key for c in codes]],
        rows,
        [None, *[c.name_zh or c.key for c in codes]],
    )


def question_code_table(data: AnalysisData, segments: list[SegmentRow]) -> Table:
    """Segments per interview question and code, questions in the guide's order."""
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for s in segments:
        u = data.unit_at(s.document_id, s.start)
        counts[(u.question_key if u and u.question_key else "(none)")][s.code_id] += 1
    codes = _used_codes(data, segments)
    # Every key here is a string ("(none)" stands for no question), so None never comes back.
    rows = [[q, *[counts[q][c.id] for c in codes]] for q in question_order(counts) if q is not None]
    return Table(
        "Question_x_Code",
        ["question", *[c.key for c in codes]],
        rows,
        [None, *[c.name_zh or c.key for c in codes]],
    )


def cooccurrence_table(data: AnalysisData, segments: list[SegmentRow]) -> Table:
    """Pairs of overlapping segments with different codes, same document and coder."""
    pairs: Counter[tuple[int, int]] = Counter()
    groups: dict[tuple[int, int], list[SegmentRow]] = defaultdict(list)
    for s in segments:
        groups[(s.document_id, s.coder_id)].append(s)
    for group in groups.values():
        group.sort(key=lambda s: s.start)
        active: list[SegmentRow] = []
        for s in group:
            active = [a for a in active if a.end > s.start]
            for a in active:
                if a.code_id != s.code_id:
                    pairs[tuple(sorted((a.code_id, s.code_id)))] += 1  # type: ignore[index]
            active.append(s)
    codes = _used_codes(data, segments)
    rows = []
    for a in codes:
        rows.append(
            [a.key, *[(pairs.get(tuple(sorted((a.id, b.id))), 0) if a.id != b.id else None) for b in codes]]
        )
    return Table(
        "Co_occurrence",
        ["code", *[c.key for c in codes]],
        rows,
        [None, *[c.name_zh or c.key for c in codes]],
    )

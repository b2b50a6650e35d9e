"""Agreement reports on characters (--unit char) and spans (--unit span).

char: every code point of a document two or more coders marked done is a unit, coded or not
with each code (runs of identical coding are one weighted unit). span: Krippendorff's binary
|u-alpha per code on the documents every selected coder marked done, laid end to end, plus a
segment-overlap match; the u-alpha family over all codes when each coder's spans partition.
"""

from collections import defaultdict
from itertools import combinations
from typing import Any

import numpy as np

from qualcode.core.agreement import ReliabilityData, unit_agreement
from qualcode.core.agreement.cohen import cohen_kappa_table, contingency, pair_percent_agreement
from qualcode.core.agreement.result import verdict
from qualcode.core.agreement.spans import char_runs, merge_intervals, segment_matches
from qualcode.core.agreement.unitizing import binary_u_alpha, has_overlaps, unitizing_alpha
from qualcode.core.participation import PARTICIPATION_RULE
from qualcode.i18n.messages import Message
from qualcode.services.agreement.data import (
    ALL_DOCUMENTS_RULE,
    MISSING_RULE,
    Frame,
    count_coded_documents,
    load_frame,
    require_done,
)
from qualcode.services.agreement.report_blocks import DocumentTexts, block, coefficient_dict
from qualcode.services.agreement.rows import CoefficientRow, Disagreement, SpanAgreementReport
from qualcode.store.db import Project

MATCH_THRESHOLD = 0.9


def _spans_by(frame: Frame) -> dict[tuple[int, int, int], list[tuple[int, int]]]:
    """(code index, document id, coder index) -> that coder's spans of the code in the document."""
    out: dict[tuple[int, int, int], list[tuple[int, int]]] = defaultdict(list)
    for k, d, c, s, e in zip(
        frame.seg_code.tolist(),
        frame.seg_doc.tolist(),
        frame.seg_coder.tolist(),
        frame.seg_start.tolist(),
        frame.seg_end.tolist(),
        strict=True,
    ):
        out[(k, d, c)].append((s, e))
    return out


def span_report(
    project: Project,
    *,
    coders: list[str] | None,
    codes: list[str] | None,
    unit: str,
    include_pseudo: bool,
    max_disagreements: int | None,
    viewer: str | None = None,
    all_documents: bool = False,
) -> SpanAgreementReport:
    """The agreement report at character or span level (`qualcode agree --unit char/span`). Refused when fewer
    than two coders take part or no document is marked done by two of them."""
    with project.read() as session:
        frame = load_frame(session, coders=coders, codes=codes, include_pseudo=include_pseudo, viewer=viewer)
        if all_documents:
            count_coded_documents(session, frame)
        require_done(frame)
    spans = _spans_by(frame)
    report: SpanAgreementReport = {
        "project": project.display,
        "unit_type": unit,
        "missing_rule": ALL_DOCUMENTS_RULE if all_documents else MISSING_RULE,
        "participation_rule": ALL_DOCUMENTS_RULE if all_documents else PARTICIPATION_RULE,
        "all_documents": all_documents,
        "coders": frame.coders,
        "excluded_coders": frame.excluded_coders,
        "bootstrap": None,
        "thresholds": {"tentative": 0.667, "acceptable": 0.800},
        "codes": [],
        "dimensions": [],
        "pooled": None,
        "pairs": [],
        "documents": [],
        "notes": [Message("dimension_labels_units"), *frame.notes],
        "n_documents": 0,  # set by _char or _span, as is n_units
    }
    if unit == "char":
        _char(project, frame, spans, report, max_disagreements)
    else:
        _span(project, frame, spans, report, max_disagreements)
    return report


def _char(
    project: Project, frame: Frame, spans: dict, report: SpanAgreementReport, limit: int | None
) -> None:
    m = len(frame.coders)
    docs = [(i, d) for i, d in enumerate(frame.doc_order) if frame.done[i].sum() >= 2]
    report["n_documents"] = len(docs)
    report["n_units"] = int(sum(frame.doc_lengths[d] for _, d in docs))
    texts = DocumentTexts(project)
    yes_no = ("absent", "present")
    pooled_vals: list[np.ndarray] = []
    pooled_w: list[np.ndarray] = []
    per_doc: defaultdict[int, tuple[list[np.ndarray], list[np.ndarray]]] = defaultdict(lambda: ([], []))
    for k, info in enumerate(frame.codes):
        vals: list[np.ndarray] = []
        widths: list[np.ndarray] = []
        where: list[tuple[int, int, int]] = []
        for i, d in docs:
            cover = [spans.get((k, d, c), []) for c in range(m)]
            codes, bounds = char_runs(cover, frame.doc_lengths[d])
            codes[~frame.done[i]] = -1
            vals.append(codes)
            widths.append(np.diff(bounds).astype(float))
            where += [(d, int(s), int(e)) for s, e in zip(bounds[:-1], bounds[1:], strict=True)]
            per_doc[d][0].append(codes)
            per_doc[d][1].append(np.diff(bounds).astype(float))
        values = np.concatenate(vals, axis=1) if vals else np.zeros((m, 0), dtype=np.int64)
        w = np.concatenate(widths) if widths else np.zeros(0)
        pooled_vals.append(values)
        pooled_w.append(w)
        r = unit_agreement(
            ReliabilityData(values, yes_no, tuple(frame.coders), ()),
            "nominal",
            n_categories=2,
            unit_weights=w,
        )
        present = values >= 0
        dis_idx = np.flatnonzero(
            (present.sum(axis=0) >= 2) & ((values == 1).sum(axis=0) > 0) & ((values == 0).sum(axis=0) > 0)
        )
        dis: list[Disagreement] = []
        for u in dis_idx[:limit].tolist():
            d, s, e = where[u]
            dis.append(
                {
                    "unit": f"{frame.doc_names[d]} [{s}, {e})",
                    "document": frame.doc_names[d],
                    "start": s,
                    "end": e,
                    "excerpt": texts.excerpt(d, s, e),
                    "values": {
                        c: (yes_no[v] if v >= 0 else None)
                        for c, v in zip(frame.coders, values[:, u].tolist(), strict=True)
                    },
                }
            )
        report["codes"].append(
            {
                "code": info.key,
                "name_en": info.name_en,
                "name_zh": info.name_zh,
                "dimension": info.dimension,
                **block(r),
                "distribution": {
                    c: {"present": int(w[values[i] == 1].sum()), "units": int(w[values[i] >= 0].sum())}
                    for i, c in enumerate(frame.coders)
                },
                "n_disagreements": int(len(dis_idx)),
                "disagreements": dis,
            }
        )
    allv = np.concatenate(pooled_vals, axis=1)
    allw = np.concatenate(pooled_w)
    pooled = unit_agreement(
        ReliabilityData(allv, yes_no, tuple(frame.coders), ()), "nominal", n_categories=2, unit_weights=allw
    )
    report["pooled"] = {
        "description": "every (code, character) pair as one present/absent value",
        **block(pooled),
    }
    for i, j in combinations(range(m), 2):
        table = contingency(allv[i], allv[j], 2, allw)
        report["pairs"].append(
            {
                "coders": f"{frame.coders[i]}|{frame.coders[j]}",
                "n_values": int(table.sum()),
                "percent_agreement": coefficient_dict(pair_percent_agreement(table)),
                "cohen_kappa": coefficient_dict(cohen_kappa_table(table)),
            }
        )
    for _, d in docs:
        vals, widths = per_doc[d]
        r = unit_agreement(
            ReliabilityData(np.concatenate(vals, axis=1), yes_no, tuple(frame.coders), ()),
            "nominal",
            n_categories=2,
            unit_weights=np.concatenate(widths),
        )
        report["documents"].append({"document": frame.doc_names[d], **block(r)})


def _span(
    project: Project, frame: Frame, spans: dict, report: SpanAgreementReport, limit: int | None
) -> None:
    m = len(frame.coders)
    docs = [d for i, d in enumerate(frame.doc_order) if frame.done[i].all()]
    report["n_documents"] = len(docs)
    if not docs:
        report["notes"].append(Message("no_common_text"))
        return
    offsets, total = {}, 0
    for d in docs:
        offsets[d], total = total, total + frame.doc_lengths[d]
    report["n_units"] = total
    starts = np.array([offsets[d] for d in docs])
    texts = DocumentTexts(project)

    def locate(a: int, b: int) -> tuple[int, int, int]:
        d = docs[int(np.searchsorted(starts, a, side="right")) - 1]
        return d, a - offsets[d], b - offsets[d]

    def unmatched_row(u: Any) -> Disagreement:
        d, s, e = locate(u.start, u.end)
        return {
            "unit": f"{frame.doc_names[d]} [{s}, {e}) {u.coder} vs {u.other}",
            "document": frame.doc_names[d],
            "start": s,
            "end": e,
            "excerpt": texts.excerpt(d, s, e),
            "values": {u.coder: "coded", u.other: f"best overlap {u.overlap:.0%}"},
        }

    all_spans: dict[str, list[tuple[int, int, str]]] = {c: [] for c in frame.coders}
    for k, info in enumerate(frame.codes):
        per_coder = {}
        for c in range(m):
            per_coder[frame.coders[c]] = merge_intervals(
                [(s + offsets[d], e + offsets[d]) for d in docs for s, e in spans.get((k, d, c), [])]
            )
            all_spans[frame.coders[c]] += [(s, e, info.key) for s, e in per_coder[frame.coders[c]]]
        alpha = binary_u_alpha(per_coder, total)
        labelled = {c: [(s, e, info.key) for s, e in v] for c, v in per_coder.items()}
        matched, unmatched = segment_matches(labelled, MATCH_THRESHOLD)
        n_seg = len(matched) + len(unmatched)
        share: CoefficientRow = (
            {"value": len(matched) / n_seg} if n_seg else {"value": None, "reason": Message("no_segments")}
        )
        report["codes"].append(
            {
                "code": info.key,
                "name_en": info.name_en,
                "name_zh": info.name_zh,
                "dimension": info.dimension,
                "n_units": total,
                "n_pairable_units": total,
                "n_pairable_values": m * total,
                "coefficients": {
                    "binary_u_alpha": coefficient_dict(alpha),
                    "segment_match_share": share,
                },
                "verdict": verdict(alpha.value),
                "warnings": [],
                "distribution": {
                    c: {"segments": len(v), "chars": int(sum(e - s for s, e in v))}
                    for c, v in per_coder.items()
                },
                "n_disagreements": len(unmatched),
                "disagreements": [unmatched_row(u) for u in unmatched[:limit]],
            }
        )
    if any(has_overlaps(v) for v in all_spans.values()):
        report["notes"].append(Message("codes_overlap_binary_only"))
    else:
        fam = unitizing_alpha(all_spans, total)
        report["pooled"] = {
            "description": "u-alpha family over all codes (documents laid end to end)",
            "n_units": total,
            "coefficients": {
                "u_alpha": coefficient_dict(fam.u_alpha),
                "binary_u_alpha": coefficient_dict(fam.binary_u_alpha),
                "cu_alpha": coefficient_dict(fam.cu_alpha),
            },
            "verdict": verdict(fam.u_alpha.value),
            "warnings": [],
        }

"""Project agreement reports: per code, per dimension, pooled, per coder pair, per document.

Units are respondent answers (default) or their sentences: per code a coder's value for a unit
is present/absent; per dimension it is the nominal label "which of the dimension's codes"
(several codes in one unit form one combined label). Characters and spans are handled in
services/agreement_spans.py. The report is a JSON-ready dict; io/agreement_report.py turns
it into rows, Markdown and an xlsx sheet.
"""

from itertools import combinations
from typing import Any

import numpy as np
from sqlmodel import col, select

from qualcode.core.agreement import ReliabilityData, unit_agreement
from qualcode.core.agreement.alpha import resample_weights
from qualcode.core.agreement.cohen import cohen_kappa_table, contingency, pair_percent_agreement
from qualcode.core.agreement.result import Coefficient, verdict
from qualcode.core.agreement.unit_report import UnitAgreement, warnings_for
from qualcode.core.errors import ValidationError
from qualcode.services.agreement_data import MISSING_RULE, UNIT_TYPES, Frame, Units, done_per_unit, load_frame, load_units, presence
from qualcode.store.db import Project
from qualcode.store.models import Document

EXCERPT = 80
NONE_LABEL = "(none)"


def coefficient_dict(c: Coefficient | None) -> dict[str, Any] | None:
    if c is None:
        return None
    out: dict[str, Any] = {"value": c.value}
    if c.value is None:
        out["reason"] = c.reason
    if c.se is not None:
        out["se"] = c.se
    if c.ci_low is not None:
        out.update(ci_low=c.ci_low, ci_high=c.ci_high, ci_method=c.ci_method)
    if c.p_below:
        out.update({f"p_below_{k}": v for k, v in c.p_below.items()})
    return out


def block(r: UnitAgreement) -> dict[str, Any]:
    """The numbers every report section shares."""
    return {
        "n_units": r.n_units,
        "n_pairable_units": r.n_pairable_units,
        "n_pairable_values": r.n_pairable_values,
        "coefficients": {
            "krippendorff_alpha": coefficient_dict(r.krippendorff_alpha),
            "percent_agreement": coefficient_dict(r.percent_agreement),
            "fleiss_kappa": coefficient_dict(r.fleiss_kappa),
            "gwet_ac1": coefficient_dict(r.gwet_ac1),
            "brennan_prediger": coefficient_dict(r.brennan_prediger),
            "cohen_kappa": {f"{p.coder_a}|{p.coder_b}": coefficient_dict(p.cohen_kappa) for p in r.pairs},
        },
        "verdict": verdict(r.krippendorff_alpha.value),
        "warnings": warnings_for(r),
    }


class _Texts:
    """Document texts, fetched only for the documents a disagreement list needs."""

    def __init__(self, project: Project) -> None:
        self.project, self.cache = project, {}  # type: dict[int, str]

    def excerpt(self, doc: int, start: int, end: int) -> str:
        if doc not in self.cache:
            with self.project.read() as s:
                self.cache[doc] = s.exec(select(Document.text).where(col(Document.id) == doc)).one()
        text = self.cache[doc][start:end].replace("\n", " ")
        return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def _disagreements(values: np.ndarray, labels: list[str], frame: Frame, units: Units, texts: _Texts,
                   limit: int | None) -> tuple[int, list[dict[str, Any]]]:
    """Units where the coders who are not missing gave different values: who coded what."""
    present = values >= 0
    n_present = present.sum(axis=0)
    lo = np.where(present, values, np.iinfo(np.int64).max).min(axis=0)
    hi = np.where(present, values, -1).max(axis=0)
    where = np.flatnonzero((n_present >= 2) & (lo != hi))
    rows = []
    for u in where[: limit if limit is not None else None].tolist():
        d, s, e = int(units.doc[u]), int(units.start[u]), int(units.end[u])
        rows.append({
            "unit": units.label[u], "document": frame.doc_names[d], "start": s, "end": e,
            "excerpt": texts.excerpt(d, s, e),
            "values": {frame.coders[i]: (labels[v] if v >= 0 else None) for i, v in enumerate(values[:, u].tolist())},
        })
    return len(where), rows


def _distribution(values: np.ndarray, labels: list[str], coders: list[str]) -> dict[str, dict[str, int]]:
    out = {}
    for i, coder in enumerate(coders):
        counts = np.bincount(values[i][values[i] >= 0], minlength=len(labels))
        out[coder] = {labels[k]: int(n) for k, n in enumerate(counts) if n}
        out[coder]["(units)"] = int((values[i] >= 0).sum())
    return out


def _dimension_values(p: np.ndarray, done: np.ndarray, members: list[int], frame: Frame) -> tuple[np.ndarray, list[str]]:
    """Nominal label per coder and unit: which of the dimension's codes were applied."""
    keys = [frame.codes[k].key for k in members]
    combos: dict[tuple[int, ...], int] = {(): 0}
    stacked = p[members]  # codes x coders x units
    flat = stacked.reshape(len(members), -1).T
    uniq, inverse = np.unique(flat, axis=0, return_inverse=True)
    index = np.empty(len(uniq), dtype=np.int64)
    for row_i, row in enumerate(uniq):
        combo = tuple(np.flatnonzero(row).tolist())
        index[row_i] = combos.setdefault(combo, len(combos))
    labels = ["+".join(keys[j] for j in combo) or NONE_LABEL for combo in combos]
    values = index[inverse.reshape(-1)].reshape(stacked.shape[1:])
    return np.where(done, values, -1), labels


def _variable(values: np.ndarray, labels: list[str], frame: Frame, *, q: int, n_boot: int, seed: int | None,
              weights: np.ndarray | None) -> UnitAgreement:
    data = ReliabilityData(codes=values, domain=tuple(labels), coders=tuple(frame.coders), units=())
    return unit_agreement(data, "nominal", n_categories=max(q, 2), n_boot=n_boot, seed=seed, boot_weights=weights)


def agreement_report(
    project: Project,
    *,
    coders: list[str] | None = None,
    codes: list[str] | None = None,
    unit: str = "answer",
    n_boot: int = 0,
    seed: int | None = None,
    include_pseudo: bool = False,
    max_disagreements: int | None = 100,
) -> dict[str, Any]:
    """The whole agreement report for a project, as a JSON-ready dict."""
    if unit not in UNIT_TYPES:
        raise ValidationError(f"--unit must be one of {', '.join(UNIT_TYPES)}, not {unit!r}")
    if n_boot < 0:
        raise ValidationError("--bootstrap must be 0 or more")
    if unit in ("char", "span"):
        from qualcode.services.agreement_spans import span_report

        return span_report(project, coders=coders, codes=codes, unit=unit, include_pseudo=include_pseudo,
                           max_disagreements=max_disagreements)
    with project.read() as session:
        frame = load_frame(session, coders=coders, codes=codes, include_pseudo=include_pseudo)
        units = load_units(session, frame, unit)
    p = presence(frame, units)
    done = done_per_unit(frame, units)
    m_u = done.sum(axis=0)
    pairable = m_u >= 2
    weights = None
    if n_boot > 0 and pairable.any():
        weights = resample_weights(int(pairable.sum()), n_boot, np.random.default_rng(seed))
    texts = _Texts(project)
    yes_no = ["absent", "present"]
    report: dict[str, Any] = {
        "project": project.display,
        "unit_type": unit,
        "missing_rule": MISSING_RULE,
        "coders": frame.coders,
        "excluded_coders": frame.excluded_coders,
        "n_units": len(units),
        "n_pairable_units": int(pairable.sum()),
        "n_documents": int(len(set(units.doc.tolist()))),
        "bootstrap": {"n": n_boot, "seed": seed, "method": "units resampled with replacement (percentile 95%)"} if n_boot else None,
        "thresholds": {"tentative": 0.667, "acceptable": 0.800},
        "codes": [], "dimensions": [], "pooled": None, "pairs": [], "documents": [],
        "notes": [],
    }
    for i, coder in enumerate(frame.coders):
        if not frame.done[:, i].any():
            report["notes"].append(f"{coder} has marked no document done, so is missing throughout")
    all_values = []
    for k, info in enumerate(frame.codes):
        values = np.where(done, p[k].astype(np.int64), -1)
        all_values.append(values)
        r = _variable(values, yes_no, frame, q=2, n_boot=n_boot, seed=seed, weights=weights)
        n_dis, dis = _disagreements(values, yes_no, frame, units, texts, max_disagreements)
        report["codes"].append({
            "code": info.key, "name_en": info.name_en, "name_zh": info.name_zh, "dimension": info.dimension,
            **block(r),
            "distribution": {c: {"present": d.get("present", 0), "units": d["(units)"]}
                             for c, d in _distribution(values, yes_no, frame.coders).items()},
            "n_disagreements": n_dis, "disagreements": dis,
        })
    dims: dict[str, list[int]] = {}
    for k, info in enumerate(frame.codes):
        dims.setdefault(info.dimension, []).append(k)
    for dim, members in dims.items():
        values, labels = _dimension_values(p, done, members, frame)
        r = _variable(values, labels, frame, q=len(members) + 1, n_boot=n_boot, seed=seed, weights=weights)
        n_dis, dis = _disagreements(values, labels, frame, units, texts, max_disagreements)
        report["dimensions"].append({
            "dimension": dim, "codes": [frame.codes[k].key for k in members], **block(r),
            "distribution": _distribution(values, labels, frame.coders), "n_disagreements": n_dis, "disagreements": dis,
        })
    stacked = np.concatenate(all_values, axis=1)  # coders x (codes * units)
    rank = np.cumsum(pairable) - 1
    clusters = np.tile(np.where(pairable, rank, 0), len(frame.codes))
    pooled = unit_agreement(
        ReliabilityData(codes=stacked, domain=tuple(yes_no), coders=tuple(frame.coders), units=()), "nominal",
        n_categories=2, n_boot=n_boot, seed=seed, boot_weights=weights, boot_clusters=clusters,
    )
    report["pooled"] = {"description": "every (code, unit) pair as one present/absent value", **block(pooled)}
    for i, j in combinations(range(len(frame.coders)), 2):
        table = contingency(stacked[i], stacked[j], 2)
        report["pairs"].append({
            "coders": f"{frame.coders[i]}|{frame.coders[j]}", "n_values": int(table.sum()),
            "percent_agreement": coefficient_dict(pair_percent_agreement(table)),
            "cohen_kappa": coefficient_dict(cohen_kappa_table(table)),
            "per_code": {c["code"]: c["coefficients"]["cohen_kappa"][f"{frame.coders[i]}|{frame.coders[j]}"]["value"]
                         for c in report["codes"]},
        })
    n_codes, n_units = len(frame.codes), len(units)
    doc_index = frame.doc_index()
    for d in dict.fromkeys(units.doc.tolist()):
        in_doc = np.flatnonzero(units.doc == d)
        cols = (np.arange(n_codes)[:, None] * n_units + in_doc[None, :]).ravel()
        r = _variable(stacked[:, cols], yes_no, frame, q=2, n_boot=0, seed=None, weights=None)
        done_by = [frame.coders[i] for i in np.flatnonzero(frame.done[doc_index[d]]).tolist()]
        report["documents"].append({"document": frame.doc_names[d], "done_by": done_by, "n_answer_units": int(len(in_doc)),
                                    **block(r)})
    if weights is not None:
        report["notes"].append("documents are reported without bootstrap intervals")
    return report

"""Project agreement reports: per code, per dimension, pooled, per coder pair, per document.

Units are respondent answers (default) or their sentences: per code a coder's value for a unit
is present/absent; per dimension it is the nominal label "which of the dimension's codes"
(several codes in one unit form one combined label). Characters and spans are handled in
services/agreement/spans.py. The report is a JSON-ready dict; io/agreement_report.py turns
it into rows, Markdown and an xlsx sheet.
"""

from collections.abc import Iterable
from itertools import chain

import numpy as np

from qualcode.core.agreement import ReliabilityData, unit_agreement
from qualcode.core.agreement.alpha import ClusterSums, SharedResample, nominal_sums, resample_weights_by_unit
from qualcode.core.agreement.batched import (
    binary_stats,
    cluster_sums_pooled,
    iter_cluster_sums_per_code,
    per_code,
    pooled,
    pooled_by_group,
)
from qualcode.core.agreement.intervals import (
    DEFAULT_BOOTSTRAP,
    DEFAULT_MIN_UNITS,
    DEFAULT_SEED,
    interval,
)
from qualcode.core.agreement.intervals import METHOD as INTERVAL_METHOD
from qualcode.core.agreement.unit_report import UnitAgreement
from qualcode.core.errors import ValidationError
from qualcode.core.participation import PARTICIPATION_RULE
from qualcode.i18n import _
from qualcode.i18n.messages import Message
from qualcode.services.agreement.data import (
    ALL_DOCUMENTS_RULE,
    MISSING_RULE,
    UNIT_TYPES,
    Frame,
    Units,
    count_coded_documents,
    done_per_unit,
    load_frame,
    load_units,
    presence,
    require_done,
)
from qualcode.services.agreement.report_blocks import DocumentTexts, block, coefficient_dict
from qualcode.services.agreement.rows import AgreementReport, Coefficients, Disagreement, SpanAgreementReport
from qualcode.store.db import Project

NONE_LABEL = "(none)"


def _disagreements(
    values: np.ndarray, labels: list[str], frame: Frame, units: Units, texts: DocumentTexts, limit: int | None
) -> tuple[int, list[Disagreement]]:
    """Units where the coders who are not missing gave different values: who coded what."""
    present = values >= 0
    n_present = present.sum(axis=0)
    lo = np.where(present, values, np.iinfo(np.int64).max).min(axis=0)
    hi = np.where(present, values, -1).max(axis=0)
    where = np.flatnonzero((n_present >= 2) & (lo != hi))
    shown = where[: limit if limit is not None else None]
    texts.prefetch(set(units.doc[shown].tolist()))
    rows: list[Disagreement] = []
    for u in shown.tolist():
        d, s, e = int(units.doc[u]), int(units.start[u]), int(units.end[u])
        rows.append(
            {
                "unit": units.label[u],
                "document": frame.doc_names[d],
                "start": s,
                "end": e,
                "excerpt": texts.excerpt(d, s, e),
                "values": {
                    frame.coders[i]: (labels[v] if v >= 0 else None)
                    for i, v in enumerate(values[:, u].tolist())
                },
            }
        )
    return len(where), rows


def _distribution(values: np.ndarray, labels: list[str], coders: list[str]) -> dict[str, dict[str, int]]:
    out = {}
    for i, coder in enumerate(coders):
        counts = np.bincount(values[i][values[i] >= 0], minlength=len(labels))
        out[coder] = {labels[k]: int(n) for k, n in enumerate(counts) if n}
        out[coder]["(units)"] = int((values[i] >= 0).sum())
    return out


def _dimension_values(
    p: np.ndarray, done: np.ndarray, members: list[int], frame: Frame
) -> tuple[np.ndarray, list[str]]:
    """Nominal label per coder and unit: which of the dimension's codes were applied."""
    keys = [frame.codes[k].key for k in members]
    stacked = p[members]  # codes x coders x units
    if len(members) <= 62:
        mask = np.zeros(stacked.shape[1:], dtype=np.int64)
        for j in range(len(members)):
            mask |= stacked[j].astype(np.int64) << j
        uniq, inverse = np.unique(mask, return_inverse=True)
        combos = [tuple(j for j in range(len(members)) if (int(u) >> j) & 1) for u in uniq]
    else:  # a dimension with very many codes: compare whole rows
        uniq_rows, inverse = np.unique(stacked.reshape(len(members), -1).T, axis=0, return_inverse=True)
        combos = [tuple(np.flatnonzero(r).tolist()) for r in uniq_rows]
    order = sorted(range(len(combos)), key=lambda i: (len(combos[i]), combos[i]))  # "(none)" first
    rank = np.empty(len(combos), dtype=np.int64)
    rank[order] = np.arange(len(combos))
    labels = ["+".join(keys[j] for j in combos[i]) or NONE_LABEL for i in order]
    values = rank[inverse.reshape(-1)].reshape(stacked.shape[1:])
    return np.where(done, values, -1), labels


def _variable(values: np.ndarray, labels: list[str], frame: Frame, *, q: int) -> UnitAgreement:
    data = ReliabilityData(codes=values, domain=tuple(labels), coders=tuple(frame.coders), units=())
    return unit_agreement(data, "nominal", n_categories=max(q, 2))


def _shared_bootstrap(
    sums: Iterable[ClusterSums], n_clusters: int, n_boot: int, seed: int | None, max_cells: int = 2_000_000
) -> list[np.ndarray]:
    """Resampled alphas of every variable from one seeded stream of unit resamples, drawn in
    chunks so that the weights matrix stays below `max_cells` entries. `sums` may be a generator,
    so that only one variable's dense sums exist at a time."""
    rng = np.random.default_rng(seed)
    chunk = max(1, min(n_boot, max_cells // max(1, n_clusters)))
    resample = SharedResample(sums)
    parts: list[list[np.ndarray]] = []
    for start in range(0, n_boot, chunk):
        weights = resample_weights_by_unit(n_clusters, min(chunk, n_boot - start), rng)
        parts.append(resample.by_unit(weights))
    return [np.concatenate([p[i] for p in parts]) for i in range(len(resample))]


def _kappa(coefficients: Coefficients, pair: str) -> float | None:
    kappa = coefficients["cohen_kappa"][pair]
    return None if kappa is None else kappa["value"]


def _documents(report: AgreementReport, frame: Frame, units: Units, p: np.ndarray, done: np.ndarray) -> None:
    """Pooled (code, unit) agreement per document, all documents in one grouped pass."""
    doc_ids = list(dict.fromkeys(units.doc.tolist()))
    lookup = np.zeros(max(doc_ids) + 1, dtype=np.int64)
    lookup[doc_ids] = np.arange(len(doc_ids))
    groups = lookup[units.doc]
    per_doc = pooled_by_group(p, done, tuple(frame.coders), groups, len(doc_ids))
    doc_index = frame.doc_index()
    n_answers = np.bincount(groups, minlength=len(doc_ids))
    for g, d in enumerate(doc_ids):
        report["documents"].append(
            {
                "document": frame.doc_names[d],
                "done_by": [frame.coders[i] for i in np.flatnonzero(frame.done[doc_index[d]]).tolist()],
                "n_answer_units": int(n_answers[g]),
                **block(per_doc[g]),
            }
        )


def interval_options(
    project: Project, n_boot: int | None, seed: int | None, min_ci_units: int | None
) -> tuple[int, int, int]:
    """Resamples, seed and minimum coded units for alpha's intervals: what the person asked for,
    else the project's `min_ci_units` setting, else the one set of defaults. Every surface
    (CLI, TUI, workbook) passes its options through here."""
    if n_boot is not None and n_boot < 0:
        raise ValidationError(_("--bootstrap must be 0 or more"))
    if min_ci_units is None:
        from qualcode.services.settings import get_setting

        min_ci_units = get_setting(project, "min_ci_units")
    if min_ci_units is not None and (not isinstance(min_ci_units, int) or min_ci_units < 1):
        raise ValidationError(
            _("the minimum of coded units for an interval must be 1 or more, not {min_ci_units!r}").format(
                min_ci_units=min_ci_units
            )
        )
    return (
        DEFAULT_BOOTSTRAP if n_boot is None else n_boot,
        DEFAULT_SEED if seed is None else seed,
        DEFAULT_MIN_UNITS if min_ci_units is None else min_ci_units,
    )


def _state_assisted_coding(project: Project, report: AgreementReport) -> None:
    """Say which people coded with machine suggestions visible, and where, so a paper can."""
    from qualcode.services.agreement.assisted import assisted_exposure

    with project.read() as session:
        exposure = assisted_exposure(session)
    report["assisted_coding"] = exposure
    for coder, docs in exposure.items():
        report["notes"].append(
            Message("assisted_coding", coder=coder, count=len(docs), documents=tuple(docs))
        )


def agreement_report(
    project: Project,
    *,
    coders: list[str] | None = None,
    codes: list[str] | None = None,
    unit: str | None = None,
    n_boot: int | None = None,
    seed: int | None = None,
    min_ci_units: int | None = None,
    include_pseudo: bool = False,
    max_disagreements: int | None = 100,
    viewer: str | None = None,
    all_documents: bool = False,
) -> AgreementReport | SpanAgreementReport:
    """The whole agreement report for a project, as a JSON-ready dict. `unit` defaults to the
    project's `unit` setting (answer unless `qualcode settings set PROJECT unit sentence`).
    `all_documents` counts every coder in every document they coded in, done or not.
    `n_boot` (0: no intervals), `seed` and `min_ci_units` default to the one set of interval
    defaults (core/agreement/intervals.py; `min_ci_units` to the project setting if set).
    In blind mode only a lead (`viewer`) may see it."""
    if unit is None:
        from qualcode.services.settings import get_setting

        unit = str(get_setting(project, "unit") or "answer")
    if unit not in UNIT_TYPES:
        raise ValidationError(
            _("--unit must be one of {UNIT_TYPES}, not {unit!r}").format(
                UNIT_TYPES=', '.join(UNIT_TYPES), unit=unit
            )
        )
    n_boot, seed, min_ci_units = interval_options(project, n_boot, seed, min_ci_units)
    if unit in ("char", "span"):
        from qualcode.services.agreement.spans import span_report

        return span_report(
            project,
            coders=coders,
            codes=codes,
            unit=unit,
            include_pseudo=include_pseudo,
            max_disagreements=max_disagreements,
            viewer=viewer,
            all_documents=all_documents,
        )
    with project.read() as session:
        frame = load_frame(session, coders=coders, codes=codes, include_pseudo=include_pseudo, viewer=viewer)
        if all_documents:
            count_coded_documents(session, frame)
        require_done(frame)
        units = load_units(session, frame, unit)
    p = presence(frame, units)
    done = done_per_unit(frame, units)
    m_u = done.sum(axis=0)
    pairable = m_u >= 2
    texts = DocumentTexts(project)
    yes_no = ["absent", "present"]
    report: AgreementReport = {
        "project": project.display,
        "unit_type": unit,
        "missing_rule": ALL_DOCUMENTS_RULE if all_documents else MISSING_RULE,
        "participation_rule": ALL_DOCUMENTS_RULE if all_documents else PARTICIPATION_RULE,
        "all_documents": all_documents,
        "coders": frame.coders,
        "excluded_coders": frame.excluded_coders,
        "n_units": len(units),
        "n_pairable_units": int(pairable.sum()),
        "n_documents": int(len(set(units.doc.tolist()))),
        "bootstrap": {
            "n": n_boot,
            "seed": seed,
            "method": INTERVAL_METHOD,
            "min_units_coded": min_ci_units,
        }
        if n_boot
        else None,
        "thresholds": {"tentative": 0.667, "acceptable": 0.800},
        "codes": [],
        "dimensions": [],
        "pooled": None,
        "pairs": [],
        "documents": [],
        "notes": list(frame.notes),
        "assisted_coding": {},
    }
    for i, coder in enumerate(frame.coders):
        if not frame.done[:, i].any():
            report["notes"].append(Message("coder_missing_throughout", coder=coder))
    _state_assisted_coding(project, report)
    # Point estimates first; the bootstrap then resamples answer units once for every variable.
    stats = binary_stats(p, done, tuple(frame.coders))
    code_results = per_code(stats)
    dims: dict[str, list[int]] = {}
    for k, info in enumerate(frame.codes):
        dims.setdefault(info.dimension, []).append(k)
    dim_values = [_dimension_values(p, done, members, frame) for members in dims.values()]
    # Brennan-Prediger and AC1 need the number of possible labels: every code of the dimension,
    # "none", and any combination that actually occurred.
    dim_results = [
        _variable(v, labels, frame, q=max(len(members) + 1, len(labels)))
        for (v, labels), members in zip(dim_values, dims.values(), strict=True)
    ]
    pooled_result = pooled(stats)
    # Pairable units in which any coder used the code / a code of the dimension / any code.
    coded = (p & done[None]).any(axis=1) & pairable[None]
    code_coded = coded.sum(axis=1).tolist()
    dim_coded = [int(coded[members].any(axis=0).sum()) for members in dims.values()]
    pooled_coded = int(coded.sum())  # pooled values are (code, unit) pairs
    if n_boot > 0 and pairable.any():
        results = code_results + dim_results + [pooled_result]
        sums = chain(
            iter_cluster_sums_per_code(stats),
            (nominal_sums(v, len(labels)) for v, labels in dim_values),
            [cluster_sums_pooled(stats)],
        )
        n_coded = code_coded + dim_coded + [pooled_coded]
        for r, alphas, n in zip(
            results, _shared_bootstrap(sums, int(pairable.sum()), n_boot, seed), n_coded, strict=True
        ):
            r.krippendorff_alpha = interval(
                r.krippendorff_alpha,
                alphas,
                n_boot=n_boot,
                seed=seed,
                n_units_coded=n,
                min_units=min_ci_units,
            )
    for k, info in enumerate(frame.codes):
        values = np.where(done, p[k].astype(np.int64), -1)  # one code at a time: K of them is large
        n_dis, dis = _disagreements(values, yes_no, frame, units, texts, max_disagreements)
        report["codes"].append(
            {
                "code": info.key,
                "name_en": info.name_en,
                "name_zh": info.name_zh,
                "dimension": info.dimension,
                **block(code_results[k], code_coded[k]),
                "distribution": {
                    c: {"present": d.get("present", 0), "units": d["(units)"]}
                    for c, d in _distribution(values, yes_no, frame.coders).items()
                },
                "n_disagreements": n_dis,
                "disagreements": dis,
            }
        )
    for (dim, members), (values, labels), r, n in zip(
        dims.items(), dim_values, dim_results, dim_coded, strict=True
    ):
        n_dis, dis = _disagreements(values, labels, frame, units, texts, max_disagreements)
        report["dimensions"].append(
            {
                "dimension": dim,
                "codes": [frame.codes[k].key for k in members],
                **block(r, n),
                "distribution": _distribution(values, labels, frame.coders),
                "n_disagreements": n_dis,
                "disagreements": dis,
            }
        )
    report["pooled"] = {
        "description": "every (code, unit) pair as one present/absent value",
        **block(pooled_result, pooled_coded),
    }
    for pr in pooled_result.pairs:
        pair = f"{pr.coder_a}|{pr.coder_b}"
        report["pairs"].append(
            {
                "coders": pair,
                "n_values": pr.n_units,
                "percent_agreement": coefficient_dict(pr.percent_agreement),
                "cohen_kappa": coefficient_dict(pr.cohen_kappa),
                "per_code": {c["code"]: _kappa(c["coefficients"], pair) for c in report["codes"]},
            }
        )
    _documents(report, frame, units, p, done)
    if n_boot > 0:
        report["notes"].append(Message("documents_without_intervals"))
    return report

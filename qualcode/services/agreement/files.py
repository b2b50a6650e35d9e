"""Agreement for data from anywhere: CSV reliability tables and span tables (`qualcode stats`).

Returns plain JSON-ready dicts: each coefficient is a number, or None with the reason in `notes`.
"""

from pathlib import Path

from qualcode.core.agreement import encode, unit_agreement
from qualcode.core.agreement.result import Coefficient
from qualcode.core.agreement.spans import segment_matches, span_agreement
from qualcode.core.errors import ValidationError
from qualcode.i18n import _
from qualcode.i18n.messages import Message
from qualcode.io.agreement_tables import read_reliability_table, read_span_table
from qualcode.services.agreement.rows import CategorySpanAgreement, SpansFileAgreement, TableAgreement


def _value(c: Coefficient | None, label: str, notes: list[str]) -> float | None:
    if c is None:
        return None
    if c.value is None:
        notes.append(Message("coefficient_undefined", coefficient=label, reason=c.reason or ""))
    return c.value


def table_agreement(
    path: str | Path,
    level: str = "nominal",
    *,
    n_boot: int = 0,
    seed: int | None = None,
    n_categories: int | None = None,
    order: list[str] | None = None,
) -> TableAgreement:
    """`order` names the values from lowest to highest, for ordinal data given as labels."""
    if order is not None and level not in ("nominal", "ordinal"):
        raise ValidationError(
            _("--order is for labelled ordinal data; {level} data must be numbers").format(level=level)
        )
    if order is not None and len(set(order)) != len(order):
        raise ValidationError(_("--order lists a value twice"))
    table = read_reliability_table(path)
    data = encode(table.rows, level=level, coders=table.coders, units=table.units, domain=order)
    if data.n_values == 0:
        raise ValidationError(_("{path}: the table holds no values, only missing cells").format(path=path))
    if n_categories is not None and n_categories < data.n_values:
        raise ValidationError(
            _("--categories {n_categories} is fewer than the {n_values} values in the table").format(
                n_categories=n_categories, n_values=data.n_values
            )
        )
    r = unit_agreement(data, level, n_categories=n_categories, n_boot=n_boot, seed=seed)
    notes: list[str] = []
    out: TableAgreement = {
        "level": level,
        "n_units": r.n_units,
        "n_coders": r.n_coders,
        "n_pairable_units": r.n_pairable_units,
        "n_pairable_values": r.n_pairable_values,
        "n_categories": r.n_categories,
        "percent_agreement": _value(r.percent_agreement, "percent_agreement", notes),
        "krippendorff_alpha": _value(r.krippendorff_alpha, "krippendorff_alpha", notes),
        "fleiss_kappa": _value(r.fleiss_kappa, "fleiss_kappa", notes),
        "gwet_ac1": _value(r.gwet_ac1, "gwet_ac1", notes),
        "brennan_prediger": _value(r.brennan_prediger, "brennan_prediger", notes),
    }
    alpha = r.krippendorff_alpha
    if n_boot > 0 and alpha.defined:
        out["krippendorff_alpha_bootstrap"] = {
            "ci_low": alpha.ci_low,
            "ci_high": alpha.ci_high,
            "method": alpha.ci_method,
            "p_below_0.667": alpha.p_below.get("0.667"),
            "p_below_0.800": alpha.p_below.get("0.800"),
            "n_boot": n_boot,
            "n_boot_undefined": alpha.extra.get("n_boot_undefined"),
            "seed": seed,
        }

    def per_pair(attr: str) -> dict[str, float | None]:
        return {
            f"{p.coder_a}|{p.coder_b}": _value(getattr(p, attr), f"{attr} {p.coder_a}|{p.coder_b}", notes)
            for p in r.pairs
        }

    out["cohen_kappa"] = per_pair("cohen_kappa")
    if level != "nominal":
        out["cohen_kappa_linear"] = per_pair("cohen_kappa_linear")
        out["cohen_kappa_quadratic"] = per_pair("cohen_kappa_quadratic")
    out["cohen_kappa_ci"] = {
        f"{p.coder_a}|{p.coder_b}": (
            {"se": p.cohen_kappa.se, "ci_low": p.cohen_kappa.ci_low, "ci_high": p.cohen_kappa.ci_high}
            if p.cohen_kappa.defined
            else None
        )
        for p in r.pairs
    }
    out["standard_errors"] = {
        c.name: {"se": c.se, "ci_low": c.ci_low, "ci_high": c.ci_high, "method": c.ci_method}
        for c in (r.percent_agreement, r.fleiss_kappa, r.gwet_ac1, r.brennan_prediger)
        if c.se is not None
    }
    out["pair_percent_agreement"] = {f"{p.coder_a}|{p.coder_b}": p.percent_agreement.value for p in r.pairs}
    if r.n_coders == 2:
        out["scott_pi"] = _value(r.scott_pi, "scott_pi", notes)
    out["notes"] = notes
    return out


def spans_file_agreement(
    path: str | Path, length: int, *, match_threshold: float | None = None
) -> SpansFileAgreement:
    """Agreement between coders whose spans come from a table file rather than a project, as the report of
    `qualcode agree-file`. A file that cannot be read as a span table is refused."""
    spans = read_span_table(path)
    r = span_agreement(spans, length)
    notes = list(r.notes)
    fallback = bool(r.notes)  # overlapping categories: the family is null and the note says why
    per_category: dict[str, CategorySpanAgreement] = {}
    for cat, c in r.per_category.items():
        label = f"per_category {cat}"
        per_category[str(cat)] = {
            "u_alpha": None if fallback else _value(c.k_u_alpha, f"{label} u_alpha", notes),
            "binary_u_alpha": _value(c.binary_u_alpha, f"{label} binary_u_alpha", notes),
            "char_percent_agreement": _value(
                c.char_percent_agreement, f"{label} char_percent_agreement", notes
            ),
            "char_cohen_kappa": _value(c.char_cohen_kappa, f"{label} char_cohen_kappa", notes),
            "char_krippendorff_alpha": _value(
                c.char_krippendorff_alpha, f"{label} char_krippendorff_alpha", notes
            ),
            "char_fleiss_kappa": _value(c.char_fleiss_kappa, f"{label} char_fleiss_kappa", notes),
            "coded_chars": c.coded_chars,
        }
    out: SpansFileAgreement = {
        "n_coders": r.n_coders,
        "length": r.length,
        "u_alpha": None if fallback else _value(r.u_alpha, "u_alpha", notes),
        "binary_u_alpha": None if fallback else _value(r.binary_u_alpha, "binary_u_alpha", notes),
        "cu_alpha": None if fallback else _value(r.cu_alpha, "cu_alpha", notes),
        "per_category": per_category,
    }
    if match_threshold is not None:
        matched, unmatched = segment_matches(spans, match_threshold)
        total = len(matched) + len(unmatched)
        out["segment_match"] = {
            "threshold": match_threshold,
            "share_matched": (len(matched) / total) if total else None,
            "matched": [m.__dict__ for m in matched],
            "unmatched": [u.__dict__ for u in unmatched],
        }
    out["notes"] = notes
    return out

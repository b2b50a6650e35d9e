"""Agreement report writers: plain rows (for any table), Markdown, and an xlsx sheet.

`report` is the dict from services.agreement.agreement_report. `summary_rows` and
`disagreement_rows` return plain lists so the Excel-workbook export (or anything else) can
reuse them; `agreement_sheets(report)` and `gold_rows(report)` are the tables an .xlsx report
holds, written by the one table writer (io/table_files.py).
"""

from typing import Any

SUMMARY_HEADER = [
    "section",
    "name",
    "unit type",
    "N units",
    "N pairable units",
    "N pairable values",
    "Krippendorff alpha",
    "alpha CI low",
    "alpha CI high",
    "P(alpha<.667)",
    "P(alpha<.800)",
    "percent agreement",
    "Fleiss kappa",
    "Gwet AC1",
    "Brennan-Prediger",
    "Cohen kappa (pairs)",
    "verdict",
    "warnings",
    "alpha kind",
    "N units coded",
    "bootstrap resamples undefined",
    "CI note",
]
# What each N counts, in the words every surface (CLI table, TUI, Markdown, workbook) uses.
N_LABELS = {
    "N units": "units compared (every unit in a document a compared coder completed)",
    "N pairable units": "units with values from two or more coders",
    "N units coded": "pairable units in which any coder used the code (or a code of the dimension)",
    "N pairable values": "coder values in pairable units (the n of Krippendorff's alpha)",
}
DISAGREEMENT_HEADER = ["section", "name", "unit", "document", "start", "end", "excerpt"]


def _value(coefs: dict[str, Any], key: str) -> float | None:
    c = coefs.get(key)
    return c.get("value") if isinstance(c, dict) else None


def _kappas(coefs: dict[str, Any]) -> str:
    pairs = coefs.get("cohen_kappa") or {}
    return "; ".join(
        f"{p} {'undefined' if c is None or c.get('value') is None else format(c['value'], '.3f')}"
        for p, c in pairs.items()
    )


def _row(section: str, name: str, unit_type: str, item: dict[str, Any]) -> list[Any]:
    coefs = item.get("coefficients") or {}
    kind = next((k for k in ("krippendorff_alpha", "binary_u_alpha", "u_alpha") if coefs.get(k)), "")
    alpha = coefs.get(kind) or {}
    return [
        section,
        name,
        unit_type,
        item.get("n_units"),
        item.get("n_pairable_units"),
        item.get("n_pairable_values"),
        alpha.get("value"),
        alpha.get("ci_low"),
        alpha.get("ci_high"),
        alpha.get("p_below_0.667"),
        alpha.get("p_below_0.800"),
        _value(coefs, "percent_agreement"),
        _value(coefs, "fleiss_kappa"),
        _value(coefs, "gwet_ac1"),
        _value(coefs, "brennan_prediger"),
        _kappas(coefs),
        item.get("verdict"),
        "; ".join(item.get("warnings") or []),
        kind,
        item.get("n_units_coded"),
        alpha.get("n_boot_undefined"),
        "; ".join(n for n in (alpha.get("ci_withheld"), alpha.get("ci_note")) if n) or None,
    ]


def summary_rows(report: dict[str, Any]) -> list[list[Any]]:
    """Header plus one row per code, dimension, the pooled set, each coder pair and each document."""
    unit = report["unit_type"]
    rows: list[list[Any]] = [list(SUMMARY_HEADER)]
    for c in report["codes"]:
        rows.append(_row("code", c["code"], unit, c))
    for d in report["dimensions"]:
        rows.append(_row("dimension", d["dimension"], unit, d))
    if report.get("pooled"):
        rows.append(_row("pooled", "all codes", unit, report["pooled"]))
    for p in report["pairs"]:
        coefs = {"percent_agreement": p["percent_agreement"], "cohen_kappa": {p["coders"]: p["cohen_kappa"]}}
        rows.append(
            _row(
                "pair",
                p["coders"],
                unit,
                {
                    "n_units": p.get("n_values"),
                    "n_pairable_units": p.get("n_values"),
                    "n_pairable_values": 2 * (p.get("n_values") or 0),
                    "coefficients": coefs,
                },
            )
        )
    for d in report["documents"]:
        rows.append(_row("document", d["document"], unit, d))
    return rows


def disagreement_rows(report: dict[str, Any]) -> list[list[Any]]:
    """Header (with one column per coder) plus one row per listed disagreement."""
    coders = report["coders"]
    rows: list[list[Any]] = [DISAGREEMENT_HEADER + coders]
    for section, key, items in (
        ("code", "code", report["codes"]),
        ("dimension", "dimension", report["dimensions"]),
    ):
        for item in items:
            for d in item.get("disagreements", []):
                values = d.get("values") or {}
                rows.append(
                    [
                        section,
                        item[key],
                        d.get("unit"),
                        d.get("document"),
                        d.get("start"),
                        d.get("end"),
                        d.get("excerpt"),
                    ]
                    + [values.get(c) for c in coders]
                )
    return rows


UNIT_WORDS = {
    "answer": "respondent answers",
    "sentence": "sentences of respondent answers",
    "char": "characters",
    "span": "characters of the documents every coder completed (unitizing)",
}


# The Markdown table's columns; the Methods text names exactly the coefficients among them.
MARKDOWN_COLUMNS = [
    "section",
    "name",
    "N pairable units",
    "N units coded",
    "N pairable values",
    "alpha kind",
    "Krippendorff alpha",
    "alpha CI low",
    "alpha CI high",
    "P(alpha<.667)",
    "percent agreement",
    "Gwet AC1",
    "Cohen kappa (pairs)",
    "verdict",
    "CI note",
    "warnings",
]
ALPHA_NAMES = {
    "krippendorff_alpha": "Krippendorff's alpha (nominal)",
    "binary_u_alpha": "Krippendorff's binary unitizing alpha (|u-alpha) per code",
    "u_alpha": "the unitizing alpha family (u-alpha) over all codes",
}
COEFFICIENT_NAMES = {
    "percent agreement": "percent agreement",
    "Fleiss kappa": "Fleiss' kappa",
    "Gwet AC1": "Gwet's AC1",
    "Brennan-Prediger": "Brennan-Prediger's kappa",
    "Cohen kappa (pairs)": "Cohen's kappa for each coder pair",
}


def shown_coefficients(rows: list[list[Any]], columns: list[str]) -> list[str]:
    """Names of the coefficients that have a value in the given columns of summary rows."""
    index = {h: i for i, h in enumerate(rows[0])}
    body = rows[1:]
    names: list[str] = []
    if "Krippendorff alpha" in columns:
        kinds = dict.fromkeys(
            r[index["alpha kind"]] for r in body if r[index["Krippendorff alpha"]] is not None
        )
        names += [ALPHA_NAMES.get(k, k) for k in kinds if k]
    for column, name in COEFFICIENT_NAMES.items():
        if column in columns and any(r[index[column]] not in (None, "") for r in body):
            names.append(name)
    return names


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def methods_text(report: dict[str, Any], columns: list[str] | None = None) -> str:
    """A paragraph describing how agreement was measured, for the methods section of a paper.
    It names exactly the coefficients shown in `columns` (default: the Markdown table's)."""
    coders = report["coders"]
    pooled = (report.get("pooled") or {}).get("coefficients") or {}
    alpha = pooled.get("krippendorff_alpha") or pooled.get("u_alpha") or {}
    text = (
        f"Intercoder agreement was assessed for {len(coders)} coders on {report.get('n_units')} "
        f"{UNIT_WORDS.get(report['unit_type'], report['unit_type'])} in {report.get('n_documents')} documents "
        f"and {len(report['codes'])} codes. "
    )
    if report.get("all_documents"):
        text += "Each coder counted in every document in which the coder had applied any code. "
    if report["unit_type"] in ("answer", "sentence"):
        text += "For each code, a coder's value for a unit was whether the coder applied the code to it"
        if not report.get("all_documents"):
            text += "; a coder counted only in documents that coder had marked complete (otherwise missing)"
        text += ". "
    elif report["unit_type"] == "char":
        text += "Each character was a unit, coded or not coded with each code. "
    names = shown_coefficients(summary_rows(report), columns or MARKDOWN_COLUMNS)
    text += f"We report {_and(names)}" if names else "No coefficient could be computed"
    b = report.get("bootstrap")
    if b:
        text += (
            f"; 95% confidence intervals for alpha are percentile intervals from {b['n']} bootstrap resamples "
            f"of units (seed {b['seed']}), given only for codes and dimensions that at least "
            f"{b.get('min_units_coded')} pairable units carry"
        )
        undefined = sum(
            (c.get("coefficients", {}).get("krippendorff_alpha") or {}).get("n_boot_undefined") or 0
            for c in report["codes"] + report["dimensions"]
        )
        if undefined:
            text += (
                f" ({undefined} resamples in which alpha was undefined are left out and reported per code)"
            )
    text += ". Following Krippendorff (2004), alpha >= .800 was taken as acceptable and .667 as the lowest limit for tentative conclusions."
    if alpha.get("value") is not None:
        ci = (
            f", 95% CI [{alpha['ci_low']:.3f}, {alpha['ci_high']:.3f}]"
            if alpha.get("ci_low") is not None
            else ""
        )
        text += f" Pooled over all codes, alpha = {alpha['value']:.3f}{ci}."
    return text


def no_interval_reason(report: dict[str, Any]) -> str:
    """Why a report has no bootstrap intervals at all."""
    if report["unit_type"] in ("char", "span"):
        return "none (alpha's bootstrap is computed for answer and sentence units)"
    return "none (--bootstrap 0)"


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v).replace("|", "\\|").replace("\n", " ")


def report_markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Intercoder agreement",
        "",
        f"- Project: {report['project']}",
        f"- Unit: {report['unit_type']}; units: {report.get('n_units')}; documents: {report.get('n_documents')}",
        f"- Coders: {', '.join(report['coders'])}"
        + (f" (excluded: {', '.join(report['excluded_coders'])})" if report["excluded_coders"] else ""),
        f"- Who is compared: {report['participation_rule']}",
        f"- Missing data: {report['missing_rule']}",
        "- Verdict: Krippendorff's alpha >= .800 acceptable, .667-.800 tentative conclusions only, < .667 unacceptable",
    ]
    if report.get("bootstrap"):
        b = report["bootstrap"]
        lines.append(
            f"- Confidence intervals: {b['method']}, {b['n']} resamples, seed {b['seed']}; withheld when fewer "
            f"than {b.get('min_units_coded')} pairable units carry the code or dimension"
        )
    else:
        lines.append(f"- Confidence intervals: {no_interval_reason(report)}")
    lines += [f"- {label}: {meaning}" for label, meaning in N_LABELS.items()]
    lines += ["", "## Methods", "", methods_text(report)]
    rows = summary_rows(report)
    index = {h: i for i, h in enumerate(rows[0])}
    cols = [index[h] for h in MARKDOWN_COLUMNS]
    lines += ["", "| " + " | ".join(rows[0][i] for i in cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_fmt(r[i]) for i in cols) + " |" for r in rows[1:]]
    for c in report["codes"]:
        dist = c.get("distribution") or {}
        if dist:
            lines += ["", f"## {c['code']} {c.get('name_zh') or ''} {c.get('name_en') or ''}".rstrip(), ""]
            lines.append(
                "Coded units per coder: "
                + ", ".join(
                    f"{k} {v.get('present', v.get('segments'))}/{v.get('units', v.get('chars'))}"
                    for k, v in dist.items()
                )
            )
        if c.get("disagreements"):
            lines += ["", f"Disagreements ({c['n_disagreements']}, first {len(c['disagreements'])}):", ""]
            lines += [
                "| unit | excerpt | " + " | ".join(report["coders"]) + " |",
                "|" + "---|" * (2 + len(report["coders"])),
            ]
            for d in c["disagreements"]:
                values = d.get("values") or {}
                lines.append(
                    f"| {_fmt(d['unit'])} | {_fmt(d.get('excerpt'))} | "
                    + " | ".join(_fmt(values.get(k)) for k in report["coders"])
                    + " |"
                )
    for note in report.get("notes", []):
        lines += ["", f"Note: {note}"]
    return "\n".join(lines) + "\n"


def agreement_sheets(report: dict[str, Any], title: str = "Agreement") -> list[tuple[str, list[list[Any]]]]:
    """The sheets of an agreement workbook as (title, rows with the header first)."""
    return [(title[:31], summary_rows(report)), (f"{title[:18]} disagreements", disagreement_rows(report))]


GOLD_HEADER = [
    "code",
    "coder",
    "true positives",
    "false positives",
    "false negatives",
    "precision",
    "recall",
    "F1",
]


def gold_rows(report: dict[str, Any]) -> list[list[Any]]:
    """Rows of a gold-standard comparison (services.consensus.gold_comparison)."""
    rows: list[list[Any]] = [list(GOLD_HEADER)]
    for r in report["rows"]:
        rows.append([r["code"], r["coder"], r["tp"], r["fp"], r["fn"], r["precision"], r["recall"], r["f1"]])
    return rows

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
]
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


def methods_text(report: dict[str, Any]) -> str:
    """A paragraph describing how agreement was measured, for the methods section of a paper."""
    coders = report["coders"]
    pooled = (report.get("pooled") or {}).get("coefficients") or {}
    alpha = pooled.get("krippendorff_alpha") or pooled.get("u_alpha") or {}
    text = (
        f"Intercoder agreement was assessed for {len(coders)} coders on {report.get('n_units')} "
        f"{UNIT_WORDS.get(report['unit_type'], report['unit_type'])} in {report.get('n_documents')} documents "
        f"and {len(report['codes'])} codes. "
    )
    if report["unit_type"] in ("answer", "sentence"):
        text += (
            "For each code, a coder's value for a unit was whether the coder applied the code to it; "
            "a coder counted only in documents that coder had marked complete (otherwise missing). "
            "We report Krippendorff's alpha (nominal), percent agreement, Fleiss' kappa, Gwet's AC1, "
            "Brennan-Prediger's kappa and Cohen's kappa for each coder pair"
        )
    elif report["unit_type"] == "char":
        text += (
            "Each character was a unit, coded or not coded with each code. We report Krippendorff's alpha "
            "(nominal), percent agreement, Fleiss' kappa and Cohen's kappa for each coder pair"
        )
    else:
        text += "We report Krippendorff's unitizing coefficient |u-alpha per code and the u-alpha family over all codes"
    b = report.get("bootstrap")
    if b:
        text += f"; 95% confidence intervals for alpha come from {b['n']} bootstrap resamples of units (seed {b['seed']})"
    text += ". Following Krippendorff (2004), alpha >= .800 was taken as acceptable and .667 as the lowest limit for tentative conclusions."
    if alpha.get("value") is not None:
        ci = (
            f", 95% CI [{alpha['ci_low']:.3f}, {alpha['ci_high']:.3f}]"
            if alpha.get("ci_low") is not None
            else ""
        )
        text += f" Pooled over all codes, alpha = {alpha['value']:.3f}{ci}."
    return text


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
        lines.append(f"- Confidence intervals: {b['method']}, {b['n']} resamples, seed {b['seed']}")
    lines += ["", "## Methods", "", methods_text(report)]
    rows = summary_rows(report)
    cols = [0, 1, 3, 5, 18, 6, 7, 8, 9, 11, 13, 15, 16, 17]
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

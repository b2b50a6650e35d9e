"""Agreement report writers: plain rows (for any table), Markdown, and an xlsx sheet.

`report` is the dict from services.agreement.agreement_report. The Markdown report and the
Methods paragraph are written in the interface language (`qualcode --lang zh_CN agree --format
md`); the rows' header is the column keys the xlsx and JSON outputs share, in every language. `summary_rows` and
`disagreement_rows` return plain lists so the Excel-workbook export (or anything else) can
reuse them; `agreement_sheets(report)` and `gold_rows(report)` are the tables an .xlsx report
holds, written by the one table writer (io/table_files.py).
"""

from collections.abc import Mapping
from typing import Any

from qualcode.i18n import (
    N_,
    _,
    current_language,
    join_list,
    join_sentences,
    label_of,
    pgettext,
    pgettext_noop,
    translate_in,
)
from qualcode.i18n.messages import joined, localise
from qualcode.io.markdown_table import markdown_table

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
# What each N counts, in the words every surface (CLI table, TUI, Markdown, workbook) uses
# (English here; `_()` where shown).
N_LABELS = {
    "N units": N_("units compared (every unit in a document a compared coder completed)"),
    "N pairable units": N_("units with values from two or more coders"),
    "N units coded": N_("pairable units in which any coder used the code (or a code of the dimension)"),
    "N pairable values": N_("coder values in pairable units (the n of Krippendorff's alpha)"),
}
DISAGREEMENT_HEADER = ["section", "name", "unit", "document", "start", "end", "excerpt"]


def _value(coefs: Mapping[str, Any], key: str) -> float | None:
    c = coefs.get(key)
    return c.get("value") if isinstance(c, dict) else None


def _kappas(coefs: Mapping[str, Any], language: str | None = None) -> str:
    pairs = coefs.get("cohen_kappa") or {}
    undefined = (
        "undefined" if language is None else translate_in(language, CELL_LABELS["undefined"], context=_TABLE)
    )
    return "; ".join(
        f"{p} {undefined if c is None or c.get('value') is None else format(c['value'], '.3f')}"
        for p, c in pairs.items()
    )


def _notes(texts: list[Any], language: str | None) -> Any:
    """Warnings or interval notes as one cell: as the JSON has them ("; " between) when no
    language is asked for, else each sentence in `language`."""
    if language is None:
        return "; ".join(texts)
    return localise(joined(texts), language)


def _row(
    section: str, name: str, unit_type: str, item: Mapping[str, Any], language: str | None = None
) -> list[Any]:
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
        _kappas(coefs, language),
        item.get("verdict"),
        _notes(item.get("warnings") or [], language),
        kind,
        item.get("n_units_coded"),
        alpha.get("n_boot_undefined"),
        _notes([n for n in (alpha.get("ci_withheld"), alpha.get("ci_note")) if n], language) or None,
    ]


def cautions(item: Mapping[str, Any]) -> str:
    """What a reader must know next to a code's, dimension's or the pooled alpha (its warnings,
    then why its interval is withheld or odd), in the interface language; "" when nothing."""
    alpha = (item.get("coefficients") or {}).get("krippendorff_alpha") or {}
    notes = [*item.get("warnings", []), *(n for n in (alpha.get("ci_withheld"), alpha.get("ci_note")) if n)]
    return localise(joined(notes))


def summary_rows(report: Mapping[str, Any], language: str | None = None) -> list[list[Any]]:
    """Header plus one row per code, dimension, the pooled set, each coder pair and each document.
    The warnings and CI notes are the JSON's English text, or written in `language` for a table
    people read (the Markdown report, the project workbook)."""
    unit = report["unit_type"]
    rows: list[list[Any]] = [list(SUMMARY_HEADER)]
    for c in report["codes"]:
        rows.append(_row("code", c["code"], unit, c, language))
    for d in report["dimensions"]:
        rows.append(_row("dimension", d["dimension"], unit, d, language))
    if report.get("pooled"):
        rows.append(_row("pooled", "all codes", unit, report["pooled"], language))
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
                language,
            )
        )
    for d in report["documents"]:
        rows.append(_row("document", d["document"], unit, d, language))
    return rows


def disagreement_rows(report: Mapping[str, Any]) -> list[list[Any]]:
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


# The Methods paragraph's first sentence, one whole sentence per unit type (for the translation).
_ASSESSED = {
    "answer": N_(
        "Intercoder agreement was assessed for {coders} coders on {units} respondent answers in "
        "{documents} documents and {codes} codes."
    ),
    "sentence": N_(
        "Intercoder agreement was assessed for {coders} coders on {units} sentences of respondent "
        "answers in {documents} documents and {codes} codes."
    ),
    "char": N_(
        "Intercoder agreement was assessed for {coders} coders on {units} characters in {documents} "
        "documents and {codes} codes."
    ),
    "span": N_(
        "Intercoder agreement was assessed for {coders} coders on {units} characters of the documents "
        "every coder completed (unitizing) in {documents} documents and {codes} codes."
    ),
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
# How the Methods text names each coefficient (English; translated where the text is written).
ALPHA_NAMES = {
    "krippendorff_alpha": N_("Krippendorff's alpha (nominal)"),
    "binary_u_alpha": N_("Krippendorff's binary unitizing alpha (|u-alpha) per code"),
    "u_alpha": N_("the unitizing alpha family (u-alpha) over all codes"),
}
COEFFICIENT_NAMES = {
    "percent agreement": N_("percent agreement"),
    "Fleiss kappa": N_("Fleiss' kappa"),
    "Gwet AC1": N_("Gwet's AC1"),
    "Brennan-Prediger": N_("Brennan-Prediger's kappa"),
    "Cohen kappa (pairs)": N_("Cohen's kappa for each coder pair"),
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
    """'A, B and C' in the interface language (names already translated)."""
    if len(names) == 1:
        return names[0]
    return _("{items} and {last}").format(items=join_list(names[:-1]), last=names[-1])


def methods_text(report: Mapping[str, Any], columns: list[str] | None = None) -> str:
    """A paragraph describing how agreement was measured, for the methods section of a paper,
    in the interface language. It names exactly the coefficients shown in `columns` (default:
    the Markdown table's), with the same numbers as the report in every language."""
    coders = report["coders"]
    unit_type = report["unit_type"]
    pooled = (report.get("pooled") or {}).get("coefficients") or {}
    alpha = pooled.get("krippendorff_alpha") or pooled.get("u_alpha") or {}
    counts = {
        "coders": len(coders),
        "units": report.get("n_units"),
        "documents": report.get("n_documents"),
        "codes": len(report["codes"]),
    }
    if unit_type in _ASSESSED:
        sentences = [_(_ASSESSED[unit_type]).format(**counts)]
    else:
        sentences = [
            _(
                "Intercoder agreement was assessed for {coders} coders on {units} units ({unit}) in "
                "{documents} documents and {codes} codes."
            ).format(unit=unit_type, **counts)
        ]
    if report.get("all_documents"):
        sentences.append(_("Each coder counted in every document in which the coder had applied any code."))
    if unit_type in ("answer", "sentence"):
        if report.get("all_documents"):
            sentences.append(
                _("For each code, a coder's value for a unit was whether the coder applied the code to it.")
            )
        else:
            sentences.append(
                _(
                    "For each code, a coder's value for a unit was whether the coder applied the code to it; "
                    "a coder counted only in documents that coder had marked complete (otherwise missing)."
                )
            )
    elif unit_type == "char":
        sentences.append(_("Each character was a unit, coded or not coded with each code."))
    names = [_(name) for name in shown_coefficients(summary_rows(report), columns or MARKDOWN_COLUMNS)]
    b = report.get("bootstrap")
    if not names:
        sentences.append(_("No coefficient could be computed."))
    elif not b:
        sentences.append(_("We report {coefficients}.").format(coefficients=_and(names)))
    else:
        undefined = sum(
            (c.get("coefficients", {}).get("krippendorff_alpha") or {}).get("n_boot_undefined") or 0
            for c in report["codes"] + report["dimensions"]
        )
        values = {
            "coefficients": _and(names),
            "n": b["n"],
            "seed": b["seed"],
            "min_units": b.get("min_units_coded"),
            "undefined": undefined,
        }
        if undefined:
            sentence = _(
                "We report {coefficients}; the confidence intervals (95%) for alpha are percentile intervals from "
                "{n} bootstrap resamples of units (seed {seed}), given only for codes and dimensions that "
                "at least {min_units} pairable units carry ({undefined} resamples in which alpha was "
                "undefined are left out and reported per code)."
            )
        else:
            sentence = _(
                "We report {coefficients}; the confidence intervals (95%) for alpha are percentile intervals from "
                "{n} bootstrap resamples of units (seed {seed}), given only for codes and dimensions that "
                "at least {min_units} pairable units carry."
            )
        sentences.append(sentence.format(**values))
    sentences.append(
        _(
            "Following Krippendorff (2004), alpha >= .800 was taken as acceptable and .667 as the lowest "
            "limit for tentative conclusions."
        )
    )
    if alpha.get("value") is not None:
        if alpha.get("ci_low") is not None:
            sentences.append(
                _("Pooled over all codes, alpha = {alpha}, 95% CI [{low}, {high}].").format(
                    alpha=f"{alpha['value']:.3f}",
                    low=f"{alpha['ci_low']:.3f}",
                    high=f"{alpha['ci_high']:.3f}",
                )
            )
        else:
            sentences.append(
                _("Pooled over all codes, alpha = {alpha}.").format(alpha=f"{alpha['value']:.3f}")
            )
    return join_sentences(sentences)


def no_interval_reason(report: Mapping[str, Any]) -> str:
    """Why a report has no bootstrap intervals at all."""
    if report["unit_type"] in ("char", "span"):
        return _("none (alpha's bootstrap is computed for answer and sentence units)")
    return _("none (--bootstrap 0)")


# The headings of the summary and disagreement columns where people read them (the Markdown
# table, the project workbook's Agreement sheets); the keys stay as they are in `agree --format
# xlsx` and the JSON.
_TABLE = "agreement table"  # translation context: short words such as "code" are nouns here
COLUMN_LABELS = {
    "section": pgettext_noop("agreement table", "section"),
    "name": pgettext_noop("agreement table", "name"),
    "N units": pgettext_noop("agreement table", "N units"),
    "N pairable units": pgettext_noop("agreement table", "N pairable units"),
    "N units coded": pgettext_noop("agreement table", "N units coded"),
    "N pairable values": pgettext_noop("agreement table", "N pairable values"),
    "alpha kind": pgettext_noop("agreement table", "alpha kind"),
    "Krippendorff alpha": pgettext_noop("agreement table", "Krippendorff alpha"),
    "alpha CI low": pgettext_noop("agreement table", "alpha CI low"),
    "alpha CI high": pgettext_noop("agreement table", "alpha CI high"),
    "P(alpha<.667)": pgettext_noop("agreement table", "P(alpha<.667)"),
    "percent agreement": pgettext_noop("agreement table", "percent agreement"),
    "Gwet AC1": pgettext_noop("agreement table", "Gwet AC1"),
    "Cohen kappa (pairs)": pgettext_noop("agreement table", "Cohen kappa (pairs)"),
    "verdict": pgettext_noop("agreement table", "verdict"),
    "CI note": pgettext_noop("agreement table", "CI note"),
    "warnings": pgettext_noop("agreement table", "warnings"),
    "unit type": pgettext_noop("agreement table", "unit type"),
    "P(alpha<.800)": pgettext_noop("agreement table", "P(alpha<.800)"),
    "Fleiss kappa": pgettext_noop("agreement table", "Fleiss kappa"),
    "Brennan-Prediger": pgettext_noop("agreement table", "Brennan-Prediger"),
    "bootstrap resamples undefined": pgettext_noop("agreement table", "bootstrap resamples undefined"),
    "unit": pgettext_noop("agreement table", "unit"),
    "excerpt": pgettext_noop("agreement table", "excerpt"),
}
# Values of the section and verdict columns, as the Markdown table shows them.
CELL_LABELS = {
    "code": pgettext_noop("agreement table", "code"),
    "dimension": pgettext_noop("agreement table", "dimension"),
    "pooled": pgettext_noop("agreement table", "pooled"),
    "pair": pgettext_noop("agreement table", "pair"),
    "document": pgettext_noop("agreement table", "document"),
    "all codes": pgettext_noop("agreement table", "all codes"),
    "undefined": pgettext_noop("agreement table", "undefined"),
    "acceptable (>= .800)": pgettext_noop("agreement table", "acceptable (>= .800)"),
    "tentative (.667-.800)": pgettext_noop("agreement table", "tentative (.667-.800)"),
    "unacceptable (< .667)": pgettext_noop("agreement table", "unacceptable (< .667)"),
    "answer": pgettext_noop("agreement table", "answer"),
    "sentence": pgettext_noop("agreement table", "sentence"),
    "char": pgettext_noop("agreement table", "char"),
    "span": pgettext_noop("agreement table", "span"),
    "present": pgettext_noop("agreement table", "present"),
    "absent": pgettext_noop("agreement table", "absent"),
}


def column_heading(key: str, language: str) -> str | None:
    """The heading of a summary or disagreement column in `language`, or None for a key that is
    not one of them."""
    label = COLUMN_LABELS.get(key)
    return None if label is None else translate_in(language, label, context=_TABLE)


def heading(key: str) -> str:
    """A summary column's heading in the interface language (the key itself if it has none)."""
    return label_of(COLUMN_LABELS, key, _TABLE)


def cell_label(value: str) -> str:
    """A section or verdict value in the interface language (other values as they are)."""
    return label_of(CELL_LABELS, value, _TABLE)


def _rule(text: str) -> str:
    """A rule the report states (who is compared, missing data): the services mark those
    constants with N_() where they are defined, so they are in the catalogue; anything else
    is shown as it is."""
    return _(text) if text else text


def _cell(value: Any) -> str:
    if isinstance(value, str) and value in CELL_LABELS:
        return pgettext(_TABLE, CELL_LABELS[value])
    return _fmt(value)


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v).replace("\n", " ")  # markdown_table escapes what would break a cell


def report_markdown(report: Mapping[str, Any]) -> str:
    """The agreement report as Markdown, in the interface language (numbers as in the JSON)."""
    coders = join_list(report["coders"])
    if report["excluded_coders"]:
        coders_line = _("Coders: {coders} (excluded: {excluded})").format(
            coders=coders, excluded=join_list(report["excluded_coders"])
        )
    else:
        coders_line = _("Coders: {coders}").format(coders=coders)
    lines = [
        "# " + _("Intercoder agreement"),
        "",
        "- " + _("Project: {project}").format(project=report["project"]),
        "- "
        + _("Unit: {unit}; units: {units}; documents: {documents}").format(
            unit=_cell(report["unit_type"]), units=report.get("n_units"), documents=report.get("n_documents")
        ),
        "- " + coders_line,
        "- " + _("Who is compared: {rule}").format(rule=_rule(report["participation_rule"])),
        "- " + _("Missing data: {rule}").format(rule=_rule(report["missing_rule"])),
        "- "
        + _(
            "Verdict: Krippendorff's alpha >= .800 acceptable, .667-.800 tentative conclusions only, "
            "< .667 unacceptable"
        ),
    ]
    if report.get("bootstrap"):
        b = report["bootstrap"]
        lines.append(
            "- "
            + _(
                "Confidence intervals: {method}, {n} resamples, seed {seed}; withheld when fewer than "
                "{min_units} pairable units carry the code or dimension"
            ).format(
                method=localise(b["method"]), n=b["n"], seed=b["seed"], min_units=b.get("min_units_coded")
            )
        )
    else:
        lines.append("- " + _("Confidence intervals: {reason}").format(reason=no_interval_reason(report)))
    lines += [
        "- "
        + _("{label}: {meaning}").format(
            label=pgettext(_TABLE, COLUMN_LABELS.get(label, label)), meaning=_(meaning)
        )
        for label, meaning in N_LABELS.items()
    ]
    lines += ["", "## " + _("Methods"), "", methods_text(report)]
    rows = summary_rows(report, current_language())
    index = {h: i for i, h in enumerate(rows[0])}
    cols = [index[h] for h in MARKDOWN_COLUMNS]
    lines += [
        "",
        *markdown_table(
            [pgettext(_TABLE, COLUMN_LABELS[rows[0][i]]) for i in cols],
            ([r[i] for i in cols] for r in rows[1:]),
            _cell,
        ),
    ]
    for c in report["codes"]:
        dist = c.get("distribution") or {}
        if dist:
            lines += ["", f"## {c['code']} {c.get('name_zh') or ''} {c.get('name_en') or ''}".rstrip(), ""]
            lines.append(
                _("Coded units per coder: {counts}").format(
                    counts=join_list(
                        f"{k} {v.get('present', v.get('segments'))}/{v.get('units', v.get('chars'))}"
                        for k, v in dist.items()
                    )
                )
            )
        if c.get("disagreements"):
            lines += [
                "",
                _("Disagreements ({count}, first {shown}):").format(
                    count=c["n_disagreements"], shown=len(c["disagreements"])
                ),
                "",
            ]
            lines += markdown_table(
                [
                    pgettext(_TABLE, COLUMN_LABELS["unit"]),
                    pgettext(_TABLE, COLUMN_LABELS["excerpt"]),
                    *report["coders"],
                ],
                (
                    [
                        _fmt(d["unit"]),
                        _fmt(d.get("excerpt")),
                        *(_cell((d.get("values") or {}).get(k)) for k in report["coders"]),
                    ]
                    for d in c["disagreements"]
                ),
            )
    for note in report.get("notes", []):
        lines += ["", _("Note: {note}").format(note=localise(note))]
    return "\n".join(lines) + "\n"


def agreement_sheets(
    report: Mapping[str, Any], title: str = "Agreement"
) -> list[tuple[str, list[list[Any]]]]:
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


def gold_rows(report: Mapping[str, Any]) -> list[list[Any]]:
    """Rows of a gold-standard comparison (services.consensus.gold_comparison)."""
    rows: list[list[Any]] = [list(GOLD_HEADER)]
    for r in report["rows"]:
        rows.append([r["code"], r["coder"], r["tp"], r["fp"], r["fn"], r["precision"], r["recall"], r["f1"]])
    return rows

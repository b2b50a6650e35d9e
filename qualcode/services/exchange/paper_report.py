"""`qualcode report --docx`: the tables of a paper as one Word document, in Chinese or English.

Every number comes from the service that `agree`, `typology`, `configuration`, `evidence` and
`saturation` print, so the document and the JSON never disagree; this module only lays them out
(three-line tables in io/docx_report.py, the curve in io/curve_png.py). A part that cannot be
computed (no done documents for agreement, no typology rules) is stated in the document with the
reason instead of its table, and listed in the summary.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, TypedDict

from qualcode.core.code_names import names as code_names
from qualcode.core.errors import QualcodeError, ValidationError
from qualcode.i18n import CHINESE, ENGLISH, N_, _, current_language, join_list, label_of, language
from qualcode.i18n.messages import localise
from qualcode.io.agreement_report import cautions
from qualcode.services.agreement.rows import (
    AgreementReport,
    DimensionAgreement,
    PooledAgreement,
    SpanAgreementReport,
)
from qualcode.services.analysis.configuration import configuration_grids, configuration_table
from qualcode.services.analysis.data import AnalysisData, load_analysis_data
from qualcode.services.analysis.evidence import evidence_grid, evidence_table, source_name
from qualcode.services.analysis.saturation import headline_source, saturation_report, source_title
from qualcode.services.analysis.typology import TypologyResult, compute_typology, no_type_reason
from qualcode.services.outputs import check_output_path, output_file
from qualcode.store.db import Project

LANGUAGES = (CHINESE, ENGLISH)
# The coefficient a paper reports first, then the ones readers of other traditions look for.
RELIABILITY_COEFFICIENT: Final = "krippendorff_alpha"


class ReportSummary(TypedDict):
    file: str
    bytes: int
    language: str
    tables: list[str]
    figures: list[str]
    omitted: dict[str, str]  # part -> why it is not in the document


def write_report(
    project: Project,
    path: str | Path,
    *,
    language_name: str,
    viewer: str | None = None,
    force: bool = False,
    n_boot: int | None = None,
    seed: int | None = None,
    quotes: int = 2,
    level: str = "code",
    threshold: float = 0.05,
    outcome: str | None = None,
) -> ReportSummary:
    """Write the report to `path` (.docx) in `language_name` (zh_CN or en); returns what it holds."""
    from qualcode.io.docx_report import DocxReport

    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise ValidationError(_("{path}: the report file must end in .docx").format(path=path))
    if language_name not in LANGUAGES:
        raise ValidationError(
            _("unknown report language {name!r}: use {choices}").format(
                name=language_name, choices=join_list(LANGUAGES)
            )
        )
    check_output_path(project, path, force=force)
    with language(language_name):  # so that a reason for leaving a part out is in that language
        # Agreement first, before the analysis data is loaded: its peak memory then does not
        # come on top of the data's (the report must stay small on large projects).
        agreement = _agreement(project, viewer, n_boot, seed)
        data = load_analysis_data(project, viewer)
        report = DocxReport(_("Table {n}"), _("Figure {n}"), _("Note: "))
        summary = ReportSummary(
            file=str(path), bytes=0, language=language_name, tables=[], figures=[], omitted={}
        )
        report.title(
            _("Coding and analysis report: {project}").format(
                project=project.folder.name if project.folder else project.display
            )
        )
        _evidence(report, project, data, viewer, quotes, summary)
        _reliability(report, agreement, data, summary)
        typology = _typology(report, project, data, viewer, summary)
        _configuration(report, project, data, viewer, threshold, outcome, typology, summary)
        saturation_part(report, project, viewer, level, summary, data)
    with output_file(project, path, force=force) as temporary:
        report.save(temporary)
        summary["bytes"] = temporary.stat().st_size
    return summary


def _omit(report: Any, summary: ReportSummary, part: str, heading: str, exc: QualcodeError) -> None:
    report.heading(heading)
    report.paragraph(_("Not computed: {reason}").format(reason=str(exc)))
    summary["omitted"][part] = str(exc)


def _evidence(
    report: Any, project: Project, data: Any, viewer: str | None, quotes: int, summary: ReportSummary
) -> None:
    heading = _("Coding evidence")
    try:
        evidence = evidence_table(project, quotes=quotes, viewer=viewer, data=data)
    except QualcodeError as exc:
        _omit(report, summary, "evidence", heading, exc)
        return
    if not evidence["rows"]:
        _omit(report, summary, "evidence", heading, QualcodeError(_("nothing is coded yet")))
        return
    report.heading(heading)
    header, rows = evidence_grid(evidence, current_language())
    report.table(
        _("Coding evidence: original statements, initial concepts and categories"),
        header,
        rows,
        [localise(evidence["rule"])],
        merge=(0, 1),
    )
    summary["tables"].append("evidence")


def _ci(coefficient: Mapping[str, Any]) -> str:
    low, high = coefficient.get("ci_low"), coefficient.get("ci_high")
    if low is None or high is None:
        return "—"
    return f"[{low:.3f},\u00a0{high:.3f}]"  # a no-break space: an interval never breaks across lines


def _agreement(
    project: Project, viewer: str | None, n_boot: int | None, seed: int | None
) -> "AgreementReport | SpanAgreementReport | QualcodeError":
    """The agreement report, or why there is none (the document says so in its place)."""
    from qualcode.services.agreement.project_report import agreement_report

    try:
        return agreement_report(project, viewer=viewer, n_boot=n_boot, seed=seed)
    except QualcodeError as exc:
        return exc


def _reliability(
    report: Any,
    agreement: "AgreementReport | SpanAgreementReport | QualcodeError",
    data: Any,
    summary: ReportSummary,
) -> None:
    heading = _("Intercoder reliability")
    if isinstance(agreement, QualcodeError):
        _omit(report, summary, "reliability", heading, agreement)
        return
    report.heading(heading)
    header = [
        _("Dimension"),
        _("Krippendorff's alpha"),
        _("95% CI"),
        _("Percent agreement"),
        _("Pairable units"),
        _("Units coded"),
    ]
    codes = {info.key: info for info in data.codes.values()}
    rows: list[list[Any]] = []
    order = {key: i for i, key in enumerate(codes)}  # codebook order, as the other tables
    entries: list[tuple[str | None, DimensionAgreement | PooledAgreement]] = sorted(
        ((d["dimension"], d) for d in agreement["dimensions"]), key=lambda e: order.get(e[0], len(order))
    )
    if agreement["pooled"]:
        entries.append((None, agreement["pooled"]))
    for key, entry in entries:
        coefficients = entry["coefficients"]
        alpha: Mapping[str, Any] = coefficients.get(RELIABILITY_COEFFICIENT) or {}
        share: Mapping[str, Any] = coefficients.get("percent_agreement") or {}
        label = _("All codes (pooled)") if key is None else _code_name(codes, key)
        rows.append(
            [
                label,
                alpha.get("value"),
                _ci(alpha),
                share.get("value"),
                entry.get("n_pairable_units"),
                entry.get("n_units_coded"),
            ]
        )
    bootstrap = agreement.get("bootstrap")
    notes = [
        _(
            "Coders compared: {coders}. Unit of analysis: {unit} ({count} units in {documents} documents)."
        ).format(
            coders=join_list(agreement["coders"]),
            unit=label_of(_UNIT_NAMES, agreement["unit_type"]),
            count=agreement["n_units"],
            documents=agreement["n_documents"],
        ),
        _(
            "Missing values: a coder counts only in documents that coder marked done; units coded by "
            "fewer than two coders are not pairable."
        ),
    ]
    if bootstrap:
        notes.append(
            _(
                "Confidence intervals (95%): percentile bootstrap over units, {n} resamples, seed {seed}; "
                "withheld where fewer than {min_units} units carry the code."
            ).format(n=bootstrap["n"], seed=bootstrap["seed"], min_units=bootstrap["min_units_coded"])
        )
    notes.append(_("Alpha of at least 0.800 is acceptable; 0.667 to 0.800 allows tentative conclusions."))
    notes += [
        _("{code}: {notes}").format(code=label, notes=text)
        for label, text in (
            (row[0], cautions(entry)) for row, (_key, entry) in zip(rows, entries, strict=True)
        )
        if text
    ]
    report.table(_("Intercoder reliability by dimension"), header, rows, notes)
    summary["tables"].append("reliability")


# The unit of analysis as the reliability table's note names it (plural, inside a sentence).
_UNIT_NAMES = {
    "answer": N_("respondent answers"),
    "sentence": N_("sentences"),
    "char": N_("characters"),
    "span": N_("spans"),
}


def _typology(
    report: Any, project: Project, data: Any, viewer: str | None, summary: ReportSummary
) -> TypologyResult | None:
    heading = _("Typology")
    try:
        typology = compute_typology(project, viewer=viewer, data=data)
    except QualcodeError as exc:
        _omit(report, summary, "typology", heading, exc)
        return None
    report.heading(heading)
    codes = {info.key: info for info in data.codes.values()}
    group = next((g for g in typology.spec.groups if g.name == "dim"), None) or (
        typology.spec.groups[0] if typology.spec.groups else None
    )
    members = [(group.member(code), code) for code in group.codes] if group else []
    language_now = current_language()
    types = {
        t.id: code_names({"name_en": t.name_en, "name_zh": t.name_zh}, language_now)[0] or t.id
        for t in typology.spec.types
    }
    header = [
        _("Case"),
        _("Type"),
        *(_code_name(codes, code) for _m, code in members),
        _("Documents"),
    ]
    profiles = {p.case: p for p in typology.profiles}
    rows: list[list[Any]] = []
    for assignment in typology.assignments:
        env = profiles[assignment.case].env()
        values = [env.get(member) for member, _code in members]
        rows.append(
            [
                assignment.case,
                types.get(assignment.type, assignment.type) if assignment.type else "—",
                *(100.0 * float(v) if isinstance(v, (int, float)) else None for v in values),
                len(profiles[assignment.case].measures.documents),
            ]
        )
    notes = [
        _(
            "Dimension columns: the share (%) of each dimension in the case's coded respondent text, as the "
            "typology rules read it. Coding: {source}."
        ).format(source=source_name(typology.parameters["coding_source"]))
    ]
    notes += [  # why a case has no type, as the typology states it
        _("{code}: {notes}").format(code=a.case, notes=localise(reason))
        for a in typology.assignments
        if (reason := no_type_reason(a, typology.case_source(a.case)))
    ]
    report.table(_("Typical models and case profiles"), header, rows, notes, digits=1)
    summary["tables"].append("typology")
    return typology


def _code_name(codes: dict[str, Any], key: str) -> str:
    """A code as the report's reader sees it: the one rule of core/code_names, the key without a name."""
    info = codes.get(key)
    if info is None:
        return key
    return code_names({"name_en": info.name_en, "name_zh": info.name_zh}, current_language())[0] or key


def _configuration(
    report: Any,
    project: Project,
    data: Any,
    viewer: str | None,
    threshold: float,
    outcome: str | None,
    typology: TypologyResult | None,
    summary: ReportSummary,
) -> None:
    heading = _("Configurations")
    try:
        configuration = configuration_table(
            project, threshold=threshold, outcome=outcome, viewer=viewer, data=data, typology=typology
        )
    except QualcodeError as exc:
        _omit(report, summary, "configuration", heading, exc)
        return
    report.heading(heading)
    (case_header, case_rows), (config_header, config_rows) = configuration_grids(
        configuration, current_language()
    )
    note = _(
        "Crisp sets: a condition is present (1) when it covers at least {share} of the case's respondent text."
    ).format(share=f"{threshold:.0%}")
    report.table(_("Configuration table of the cases"), case_header, case_rows, [note], digits=2)
    report.table(_("Configurations of conditions"), config_header, config_rows, [], digits=3)
    summary["tables"] += ["configuration_cases", "configurations"]


def saturation_part(
    report: Any,
    project: Project,
    viewer: str | None,
    level: str,
    summary: ReportSummary,
    data: AnalysisData | None = None,
) -> None:
    """Add the saturation section (table and curve) to the paper report; when saturation cannot be
    computed the section says so instead, and the summary records why."""
    from qualcode.io.curve_png import render_curves

    heading = _("Theoretical saturation")
    try:
        saturation = saturation_report(project, viewer=viewer, levels=(level,), data=data)
    except QualcodeError as exc:
        _omit(report, summary, "saturation", heading, exc)
        return
    report.heading(heading)
    if not saturation["sources"]:
        report.paragraph(_("Nothing is coded yet."))
        summary["omitted"]["saturation"] = "nothing coded"
        return
    chosen = headline_source(saturation)
    assert chosen is not None  # sources is not empty here
    language_key = CHINESE if current_language() == CHINESE else ENGLISH
    report.paragraph(chosen["levels"][level]["reserve_check"]["sentence"][language_key])
    header = [_("Coding"), _("Interviews"), _("Total"), _("Last new at interview"), _("Interviews after it")]
    rows = []
    for source in saturation["sources"]:
        curve = source["levels"][level]["curve"]
        rows.append(
            [
                source_title(source),
                curve["interviews"],
                curve["total"],
                curve["last_new_at"],
                curve["quiet_tail"],
            ]
        )
    titles = {
        "code": (
            _("New codes per interview"),
            _("Cumulative codes"),
            _("Saturation curve: cumulative codes per interview"),
        ),
        "category": (
            _("New categories per interview"),
            _("Cumulative categories"),
            _("Saturation curve: cumulative categories per interview"),
        ),
        "dimension": (
            _("New dimensions per interview"),
            _("Cumulative dimensions"),
            _("Saturation curve: cumulative dimensions per interview"),
        ),
    }
    table_title, y_label, caption = titles[level]
    report.table(
        table_title,
        header,
        rows,
        [_("Interviews in the order they were held (Date attribute), else import order.")],
    )
    series = [
        (source_title(s), [step["cumulative"] for step in s["levels"][level]["curve"]["steps"]])
        for s in saturation["sources"]
    ]
    x_label = _("Interview")
    figure = render_curves(series, x_label, y_label)
    notes = (
        []
        if figure.labelled
        else [
            _("Horizontal axis: {x}; vertical axis: {y}; lines in order: {lines}.").format(
                x=x_label, y=y_label, lines=join_list(label for label, _values in series)
            )
        ]
    )
    report.figure(figure.png, caption, notes)
    summary["tables"].append("saturation")
    summary["figures"].append("saturation_curve")

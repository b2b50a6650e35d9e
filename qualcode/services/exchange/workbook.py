"""The Excel workbook: coded data, frequencies, matrices and the typology, one table per sheet.

Same project and parameters give the same cell contents apart from the `created_at`
cell of the README sheet. Typology sheets are left out (and the README says why) when
the project has no typology definitions, unless they were asked for by name.
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict, Unpack

from qualcode import __version__
from qualcode.core.codebook import TEXT_FIELDS
from qualcode.core.errors import QualcodeError
from qualcode.core.participation import PARTICIPATION_RULE
from qualcode.i18n import N_, _, current_language
from qualcode.i18n.messages import Message, localise
from qualcode.io.workbook import WorkbookWriter, column_letter
from qualcode.services.analysis.case_units import resolve_case_unit
from qualcode.services.analysis.data import (
    SOURCE_DESCRIPTIONS,
    AnalysisData,
    load_analysis_data,
    select_source,
)
from qualcode.services.analysis.data import source_segments as source_segments_of
from qualcode.services.analysis.typology import TypologyResult, compute_typology
from qualcode.services.codebook.curation import codebook_info
from qualcode.services.codebook.rows import CodebookInfo
from qualcode.services.exchange.columns import headings
from qualcode.services.exchange.tables import (
    Table,
    case_code_table,
    code_frequency_table,
    codebook_table,
    cooccurrence_table,
    default_unit,
    documents_table,
    question_code_table,
    segment_rows,
)
from qualcode.services.exchange.workbook_typology import TYPOLOGY_SHEETS, write_typology_sheets
from qualcode.services.outputs import check_output_path, output_file
from qualcode.store.db import Project

DATA_SHEETS = (
    "Codebook",
    "Documents",
    "Segments",
    "Code_Frequencies",
    "Case_x_Code",
    "Question_x_Code",
    "Co_occurrence",
    "Agreement",
)
ALL_SHEETS = ("README", *DATA_SHEETS, *TYPOLOGY_SHEETS)

# What each sheet holds, for the README sheet (English; shown in the interface language).
GUIDE: dict[str, str] = {
    "README": N_("Versions, hashes, parameters and this guide."),
    "Codebook": N_(
        "The code tree: keys, names, definitions, inclusion/exclusion criteria and examples, "
        "in English and Chinese."
    ),
    "Documents": N_("Documents with their case, size and attributes."),
    "Segments": N_("Every coded segment of every coder, with its case, role, question, code path and text."),
    "Code_Frequencies": N_("Segments per code, by coder and by respondent role."),
    "Case_x_Code": N_("Segments per case and code (coding source below), then 0/1 presence."),
    "Case_x_Code_01": N_("1 when the case has the code at least once, else 0."),
    "Question_x_Code": N_("Segments per interview question and code."),
    "Co_occurrence": N_("Overlapping segments with different codes (same document and coder)."),
    "Agreement": N_("Intercoder agreement report."),
    "Agreement_Disagreements": N_("Units on which coders disagree, with the text."),
    "Case_Profiles": N_(
        "Each case's profile: group shares, raw measures, derived variables, code coverage and frequency."
    ),
    "Typology_Rules": N_("The types and their rules, scores and fallback rules, as defined."),
    "Assignments": N_(
        "Type of each case with basis, scores, margin, rule outcomes, flags and the cluster check."
    ),
    "Typology_Table": N_(
        "Types as columns: profile means and code prevalence (share of cases, %); chart of dimension profiles."
    ),
    "Attribute_Space": N_(
        "Kelle & Kluge attribute space: lead actor x dominant dimension, cases per cell, the type each "
        "cell reduces to."
    ),
    "Anchor_Segments": N_("The strongest quotes per type and defining code, with document and position."),
    "Cluster_Diagnostics": N_(
        "Ward clustering check: silhouette per k, cluster sizes, centroids, bootstrap Jaccard, crosstab, ARI."
    ),
}
# What each README item is, in the README's explanation column.
ITEMS: dict[str, str] = {
    "tool": N_("The program and version that wrote this workbook"),
    "created_at": N_("When the workbook was written (UTC)"),
    "codebook_id": N_("Codebook id"),
    "codebook_file_version": N_("Version written in the codebook file"),
    "codebook_version": N_("Codebook version in the project (rises with every change)"),
    "codebook_sha256": N_("Hash of the codebook's content"),
    "codebook_codes": N_("Number of codes"),
    "codebook_source": N_("The codebook file the project loaded"),
    "coding_source": N_("Whose coding the matrices and the typology count"),
    "coding_source_meaning": N_("What that coding source means"),
    "coders": N_("Coders whose coding counts"),
    "case_unit": N_("The document attribute that names a case (document: each document is a case)"),
    "documents": N_("Number of documents"),
    "segments_all_coders": N_("Number of coded segments, all coders"),
    "typology": N_("Typology parameter"),
    "note": N_("Note"),
    "agreement_who_is_compared": PARTICIPATION_RULE,
    "segments_sheet": N_(
        "Segments lists every coder's segments; the matrices and the typology use the coding source above."
    ),
    "formulas": N_("Cells that start with = + - @ are text, never formulas."),
}


def resolve_sheets(sheets: Sequence[str] | None) -> tuple[list[str], bool]:
    """The sheets to write, in workbook order, and whether they were named explicitly."""
    if not sheets:
        return list(ALL_SHEETS), False
    lookup = {s.casefold(): s for s in ALL_SHEETS}
    wanted = set()
    for name in sheets:
        for part in str(name).split(","):
            part = part.strip()
            if not part:
                continue
            if part.casefold() not in lookup:
                raise QualcodeError(
                    _("unknown sheet {part!r}: choose from {ALL_SHEETS}").format(
                        part=part, ALL_SHEETS=', '.join(ALL_SHEETS)
                    )
                )
            wanted.add(lookup[part.casefold()])
    wanted.add("README")
    return [s for s in ALL_SHEETS if s in wanted], True


def agreement_tables(
    project: Project,
    viewer: str | None = None,
    *,
    n_boot: int | None = None,
    seed: int | None = None,
    min_ci_units: int | None = None,
) -> list[Table]:
    """The agreement report (answer units, all human coders) as the Agreement sheets; the
    interval options and their defaults are those of `qualcode agree`. Who coded with machine
    suggestions visible, in which documents, is its own sheet when anyone did."""
    from qualcode.io.agreement_report import disagreement_rows, summary_rows
    from qualcode.services.agreement.project_report import agreement_report

    report = agreement_report(project, viewer=viewer, n_boot=n_boot, seed=seed, min_ci_units=min_ci_units)
    tables = []
    for name, rows in (
        ("Agreement", summary_rows(report, current_language())),
        ("Agreement_Disagreements", disagreement_rows(report)),
    ):
        if rows:
            tables.append(Table(name, [str(h) for h in rows[0]], [list(r) for r in rows[1:]]))
    # A paper must say who saw machine suggestions while coding, and where (issue 14, item 4).
    exposure = report["assisted_coding"] if "assisted_coding" in report else {}  # none at span level
    assisted = [[coder, document] for coder, docs in exposure.items() for document in docs]
    if assisted:
        tables.append(Table("Agreement_Assisted", ["coder", "document"], assisted))
    return tables


class WorkbookOptions(TypedDict, total=False):
    """What a workbook export can be asked for: the one set of options that `export_workbook`,
    `write_workbook`, `qualcode export --xlsx` and `qualcode typology --format xlsx` share.
    Every key may be left out; the defaults are those of `write_workbook`."""

    sheets: Sequence[str] | None
    coder: str | None
    consensus: bool
    combine: str | None
    case_attribute: str | None
    role_attribute: str | None
    aggregation: str | None
    now: datetime | None
    viewer: str | None
    force: bool
    n_boot: int | None
    seed: int | None
    min_ci_units: int | None


class WorkbookSummary(TypedDict):
    """What `write_workbook` wrote, as `qualcode export` prints it (JSON keys are a stable interface)."""

    file: str
    bytes: int
    sheets: int
    segments: int
    cases: int


def export_workbook(project: Project, path: str | Path, **options: Unpack[WorkbookOptions]) -> Path:
    """Write the workbook to `path` and return it; QualcodeError on bad parameters."""
    return Path(write_workbook(project, path, **options)["file"])


def _matrix_sheet(book: WorkbookWriter, t: Table) -> None:
    """A codes-by-something count matrix: first column and header frozen, counts colour-scaled."""
    book.table(t.name, t.header, t.rows, header_zh=t.header_zh, freeze="B2", color_scale=(2, len(t.header)))


def write_workbook(project: Project, path: str | Path, **options: Unpack[WorkbookOptions]) -> WorkbookSummary:
    """As export_workbook, returning {file, bytes, sheets, segments, cases}. `n_boot`, `seed` and
    `min_ci_units` set the Agreement sheet's intervals as in `qualcode agree`.

    In blind mode a coder's (`viewer`'s) workbook is built from their own segments only: every
    sheet derives from those rows, and the Agreement sheet is left out (asked for by name, refused).
    An existing file is replaced only with `force` (see services/outputs.py).
    """
    unknown = set(options) - set(WorkbookOptions.__annotations__)
    if unknown:  # what a keyword signature refused at run time, as before the options were one type
        raise TypeError(f"write_workbook() got unexpected keyword arguments: {', '.join(sorted(unknown))}")
    sheets, coder, case_attribute = options.get("sheets"), options.get("coder"), options.get("case_attribute")
    consensus, combine, now = options.get("consensus", False), options.get("combine"), options.get("now")
    role_attribute, aggregation = options.get("role_attribute"), options.get("aggregation")
    viewer, force = options.get("viewer"), options.get("force", False)
    n_boot, seed, min_ci_units = options.get("n_boot"), options.get("seed"), options.get("min_ci_units")
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise QualcodeError(_("{path}: the workbook file must end in .xlsx").format(path=path))
    check_output_path(project, path, force=force)
    chosen, explicit = resolve_sheets(sheets)
    data = load_analysis_data(project, viewer)
    unit = default_unit(data, case_attribute)
    source, coder_ids = select_source(data, coder, consensus, combine) if data.segments else ("none", [])
    notes: list[tuple[str, str]] = []
    if data.visible is not None:
        notes.append(("blind mode", Message("blind_mode_own_coding", coders=tuple(data.coders.values()))))

    typology: TypologyResult | None = None
    wants_typology = [s for s in chosen if s in TYPOLOGY_SHEETS]
    if wants_typology:
        try:
            typology = compute_typology(
                project,
                coder=coder,
                consensus=consensus,
                combine=combine,
                case_attribute=case_attribute,
                role_attribute=role_attribute,
                aggregation=aggregation,
                data=data,
            )
            unit = resolve_case_unit(
                data,
                typology.spec.case_attribute,
                typology.spec.role_attribute,
                case_attribute,
                role_attribute,
            )
        except QualcodeError as exc:
            if explicit:
                raise
            notes.append(("typology", Message("not_computed", reason=str(exc))))
            chosen = [s for s in chosen if s not in TYPOLOGY_SHEETS]

    # The matrices count the same coding as the typology, case by case for consensus-else-union.
    source_segments = source_segments_of(data, unit.case_of, source, coder_ids) if coder_ids else []
    agreement: list[Table] = []
    if "Agreement" in chosen:
        try:
            agreement = agreement_tables(project, viewer, n_boot=n_boot, seed=seed, min_ci_units=min_ci_units)
            notes.append(("agreement_who_is_compared", _(PARTICIPATION_RULE)))
        except QualcodeError as exc:
            if explicit:
                raise
            notes.append(("agreement", Message("not_computed", reason=str(exc))))
            chosen.remove("Agreement")

    book = WorkbookWriter(headings=headings)
    try:
        write_readme(
            book,
            data,
            codebook_info(project),
            chosen,
            source,
            [data.coders[c] for c in coder_ids],
            unit.attribute,
            typology,
            notes,
            now,
        )
        for name in chosen:
            if name == "README" or name in TYPOLOGY_SHEETS:
                continue
            if name in ("Codebook", "Documents"):
                t = codebook_table(data) if name == "Codebook" else documents_table(data, unit)
                book.table(
                    t.name,
                    t.header,
                    t.rows,
                    header_zh=t.header_zh,
                    wrap=TEXT_FIELDS,
                )
            elif name == "Segments":
                write_segments(book, data, unit)
            elif name == "Code_Frequencies":
                t = code_frequency_table(data, unit)
                sheet = book.table(t.name, t.header, t.rows, header_zh=t.header_zh)
                sheet.bar_chart(
                    _("Segments per code"),
                    1,
                    5,
                    5,
                    f"{column_letter(len(t.header) + 2)}2",
                    y_title=_("segments"),
                )
            elif name == "Case_x_Code":
                for presence in (False, True):
                    _matrix_sheet(book, case_code_table(data, unit, source_segments, presence))
            elif name == "Question_x_Code":
                _matrix_sheet(book, question_code_table(data, source_segments))
            elif name == "Co_occurrence":
                _matrix_sheet(book, cooccurrence_table(data, source_segments))
            elif name == "Agreement":
                for t in agreement:
                    book.table(
                        t.name, t.header, t.rows, header_zh=t.header_zh, number_format="0.000", wrap=("text",)
                    )
        if typology is not None:
            write_typology_sheets(book, typology, data, [s for s in chosen if s in TYPOLOGY_SHEETS])
        with output_file(project, path, force=force) as temporary:
            book.save(temporary)
            size = temporary.stat().st_size
        return {
            "file": str(path),
            "bytes": size,
            "sheets": len(book.sheets),
            "segments": len(data.segments),
            "cases": len(typology.profiles) if typology else 0,
        }
    except BaseException:
        book.discard()
        raise


def write_segments(book: WorkbookWriter, data: AnalysisData, unit: Any) -> None:
    """Write the Segments sheet: every visible segment with its case, role, question, code path and text."""
    t = segment_rows(data, unit)
    book.table(
        t.name,
        t.header,
        t.rows,
        header_zh=t.header_zh,
        wrap=("text", "memo"),
        widths={"text": 60.0, "memo": 30.0},
    )


def write_readme(
    book: WorkbookWriter,
    data: AnalysisData,
    codebook: CodebookInfo,
    sheets: list[str],
    source: str,
    coders: list[str],
    case_attribute: str | None,
    typology: TypologyResult | None,
    notes: list[tuple[str, str]],
    now: datetime | None,
) -> None:
    """Write the README sheet: tool and codebook versions, the parameters used, notes and the sheet guide."""
    stamp = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()

    def row(section: str, item: str, value: Any, explanation: str | None = None) -> list[Any]:
        return [section, item, value, _(explanation or ITEMS[item])]

    rows: list[list[Any]] = [
        row("about", "tool", f"qualcode {__version__}"),
        row("about", "created_at", stamp),
    ]
    for key in ("id", "file_version", "version", "sha256", "codes"):
        if codebook.get(key) not in (None, ""):
            rows.append(row("about", f"codebook_{key}", codebook[key]))
    meta = data.settings.get("codebook")
    if isinstance(meta, dict) and meta.get("source"):
        rows.append(row("about", "codebook_source", str(meta["source"])))
    rows += [
        row("parameters", "coding_source", source),
        row("parameters", "coding_source_meaning", SOURCE_DESCRIPTIONS.get(source, source)),
        row("parameters", "coders", ", ".join(coders)),
        row("parameters", "case_unit", case_attribute or "document"),
        row("parameters", "documents", len(data.documents)),
        row("parameters", "segments_all_coders", len(data.segments)),
    ]
    if typology is not None:
        for key, value in typology.parameters.items():
            if key in ("coding_source", "coders", "case_unit"):
                continue
            text = (
                value
                if isinstance(value, (int, float, str)) or value is None
                else json.dumps(value, ensure_ascii=False)
            )
            rows.append(row("typology", key, text, ITEMS["typology"]))
    for key, note in notes:
        # a note is read by people: its value too is in the interface language
        rows.append(row("notes", key, localise(note), ITEMS.get(key, ITEMS["note"])))
    for name in sheets:
        rows.append(row("sheet", name, None, GUIDE.get(name, name)))
        if name == "Case_x_Code":
            rows.append(row("sheet", "Case_x_Code_01", None, GUIDE["Case_x_Code_01"]))
        if name == "Agreement":
            rows.append(row("sheet", "Agreement_Disagreements", None, GUIDE["Agreement_Disagreements"]))
    rows.append(row("notes", "segments_sheet", None))
    rows.append(row("notes", "formulas", None))
    book.table(
        "README",
        ["section", "item", "value", "explanation"],
        rows,
        wrap=("value", "explanation"),
        widths={"value": 70.0, "explanation": 50.0},
    )

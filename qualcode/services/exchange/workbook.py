"""The Excel workbook: coded data, frequencies, matrices and the typology, one table per sheet.

Same project and parameters give the same cell contents apart from the `created_at`
cell of the README sheet. Typology sheets are left out (and the README says why) when
the project has no typology definitions, unless they were asked for by name.
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qualcode import __version__
from qualcode.core.errors import QualcodeError
from qualcode.core.participation import PARTICIPATION_RULE
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

GUIDE: dict[str, tuple[str, str]] = {
    "README": ("Versions, hashes, parameters and this guide.", "版本、哈希值、参数和本说明。"),
    "Codebook": (
        "The code tree: keys, names, definitions, inclusion/exclusion criteria, examples.",
        "编码表：代码、名称、定义、纳入/排除标准和示例。",
    ),
    "Documents": ("Documents with their case, size and attributes.", "文档及其个案、长度和属性。"),
    "Segments": (
        "Every coded segment of every coder, with its case, role, question, code path and text.",
        "所有编码员的全部编码片段，含个案、角色、问题、代码路径和文本。",
    ),
    "Code_Frequencies": (
        "Segments per code, by coder and by respondent role.",
        "各代码的片段数，按编码员和受访者角色分列。",
    ),
    "Case_x_Code": (
        "Segments per case and code (coding source below), then 0/1 presence.",
        "个案×代码的片段数（编码来源见下），以及0/1出现矩阵。",
    ),
    "Question_x_Code": ("Segments per interview question and code.", "访谈问题×代码的片段数。"),
    "Co_occurrence": (
        "Overlapping segments with different codes (same document and coder).",
        "同一文档、同一编码员中不同代码片段的重叠次数。",
    ),
    "Agreement": ("Intercoder agreement report.", "编码员间一致性报告。"),
    "Case_Profiles": (
        "Each case's profile: group shares, raw measures, derived variables, code coverage and frequency.",
        "各个案的画像：维度份额、原始测量值、派生变量、代码覆盖率和频次。",
    ),
    "Typology_Rules": (
        "The types and their rules, scores and fallback rules, as defined.",
        "类型定义及其规则、得分和后备规则。",
    ),
    "Assignments": (
        "Type of each case with basis, scores, margin, rule outcomes, flags and the cluster check.",
        "各个案的类型归属：依据、得分、差距、规则结果、标记和聚类核对。",
    ),
    "Typology_Table": (
        "Types as columns: profile means and code prevalence (% of cases); chart of dimension profiles.",
        "类型为列：画像均值和代码出现率（个案百分比）；维度画像图。",
    ),
    "Attribute_Space": (
        "Kelle & Kluge attribute space: lead actor x dominant dimension, cases per cell, the type each cell reduces to.",
        "属性空间（Kelle & Kluge）：牵头主体×主导维度，各单元格的个案及其对应类型。",
    ),
    "Anchor_Segments": (
        "The strongest quotes per type and defining code, with document and position.",
        "各类型及其界定代码的典型引文，含文档和位置。",
    ),
    "Cluster_Diagnostics": (
        "Ward clustering check: silhouette per k, cluster sizes, centroids, bootstrap Jaccard, crosstab, ARI.",
        "Ward聚类核对：各k的轮廓系数、聚类规模、中心、自助法Jaccard稳定性、交叉表和调整兰德指数。",
    ),
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
                raise QualcodeError(f"unknown sheet {part!r}: choose from {', '.join(ALL_SHEETS)}")
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
        ("Agreement", summary_rows(report)),
        ("Agreement_Disagreements", disagreement_rows(report)),
    ):
        if rows:
            tables.append(Table(name, [str(h) for h in rows[0]], [list(r) for r in rows[1:]]))
    # A paper must say who saw machine suggestions while coding, and where (issue 14, item 4).
    assisted = [[coder, document] for coder, docs in report["assisted_coding"].items() for document in docs]
    if assisted:
        tables.append(Table("Agreement_Assisted", ["coder", "document"], assisted, ["编码员", "文档"]))
    return tables


def _has_agreement() -> bool:
    import importlib.util

    return all(
        importlib.util.find_spec(m) is not None
        for m in ("qualcode.services.agreement.project_report", "qualcode.io.agreement_report")
    )


def export_workbook(
    project: Project,
    path: str | Path,
    sheets: Sequence[str] | None = None,
    coder: str | None = None,
    consensus: bool = False,
    combine: str | None = None,
    case_attribute: str | None = None,
    role_attribute: str | None = None,
    aggregation: str | None = None,
    now: datetime | None = None,
    *,
    viewer: str | None = None,
    force: bool = False,
    n_boot: int | None = None,
    seed: int | None = None,
    min_ci_units: int | None = None,
) -> Path:
    """Write the workbook to `path` and return it; QualcodeError on bad parameters."""
    summary = write_workbook(
        project,
        path,
        sheets,
        coder,
        consensus,
        combine,
        case_attribute,
        role_attribute,
        aggregation,
        now,
        viewer=viewer,
        force=force,
        n_boot=n_boot,
        seed=seed,
        min_ci_units=min_ci_units,
    )
    return Path(summary["file"])


def _matrix_sheet(book: WorkbookWriter, t: Table) -> None:
    """A codes-by-something count matrix: first column and header frozen, counts colour-scaled."""
    book.table(t.name, t.header, t.rows, header_zh=t.header_zh, freeze="B2", color_scale=(2, len(t.header)))


def write_workbook(
    project: Project,
    path: str | Path,
    sheets: Sequence[str] | None = None,
    coder: str | None = None,
    consensus: bool = False,
    combine: str | None = None,
    case_attribute: str | None = None,
    role_attribute: str | None = None,
    aggregation: str | None = None,
    now: datetime | None = None,
    *,
    viewer: str | None = None,
    force: bool = False,
    n_boot: int | None = None,
    seed: int | None = None,
    min_ci_units: int | None = None,
) -> dict[str, Any]:
    """As export_workbook, returning {file, bytes, sheets, segments, cases}. `n_boot`, `seed` and
    `min_ci_units` set the Agreement sheet's intervals as in `qualcode agree`.

    In blind mode a coder's (`viewer`'s) workbook is built from their own segments only: every
    sheet derives from those rows, and the Agreement sheet is left out (asked for by name, refused).
    An existing file is replaced only with `force` (see services/outputs.py).
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise QualcodeError(f"{path}: the workbook file must end in .xlsx")
    check_output_path(project, path, force=force)
    chosen, explicit = resolve_sheets(sheets)
    data = load_analysis_data(project, viewer)
    unit = default_unit(data, case_attribute)
    source, coder_ids = select_source(data, coder, consensus, combine) if data.segments else ("none", [])
    notes: list[tuple[str, str]] = []
    if data.visible is not None:
        notes.append(
            (
                "blind mode",
                f"only {', '.join(data.coders.values())}'s own coding: other coders' work "
                "is hidden until a lead runs `qualcode blind reveal`",
            )
        )

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
            notes.append(("typology", f"not computed: {exc}"))
            chosen = [s for s in chosen if s not in TYPOLOGY_SHEETS]

    # The matrices count the same coding as the typology, case by case for consensus-else-union.
    source_segments = source_segments_of(data, unit.case_of, source, coder_ids) if coder_ids else []
    agreement: list[Table] = []
    if "Agreement" in chosen:
        try:
            if not _has_agreement():
                raise QualcodeError(
                    "the Agreement sheet needs the agreement module, which this qualcode does not have"
                )
            agreement = agreement_tables(project, viewer, n_boot=n_boot, seed=seed, min_ci_units=min_ci_units)
            notes.append(("agreement_who_is_compared", PARTICIPATION_RULE))
        except QualcodeError as exc:
            if explicit:
                raise
            notes.append(("agreement", f"not computed: {exc}"))
            chosen.remove("Agreement")

    book = WorkbookWriter()
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
                    wrap=(
                        "definition",
                        "inclusion",
                        "exclusion",
                        "example_en",
                        "example_zh",
                        "short_definition",
                    ),
                )
            elif name == "Segments":
                write_segments(book, data, unit)
            elif name == "Code_Frequencies":
                t = code_frequency_table(data, unit)
                sheet = book.table(t.name, t.header, t.rows, header_zh=t.header_zh)
                sheet.bar_chart(
                    "Segments per code / 各代码片段数",
                    1,
                    5,
                    5,
                    f"{column_letter(len(t.header) + 2)}2",
                    y_title="segments",
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
    t = segment_rows(data, unit)
    book.table(
        t.name,
        t.header,
        t.rows,
        header_zh=t.header_zh,
        wrap=("text", "memo"),
        widths={"text": 60.0, "memo": 30.0},
    )


_CODEBOOK_ZH = {
    "id": "编码表标识",
    "file_version": "编码表文件版本",
    "version": "编码表项目版本（每次修改递增）",
    "sha256": "编码表内容哈希",
    "codes": "代码数",
}


def write_readme(
    book: WorkbookWriter,
    data: AnalysisData,
    codebook: dict[str, Any],
    sheets: list[str],
    source: str,
    coders: list[str],
    case_attribute: str | None,
    typology: TypologyResult | None,
    notes: list[tuple[str, str]],
    now: datetime | None,
) -> None:
    stamp = (now or datetime.now(UTC)).replace(microsecond=0).isoformat()
    rows: list[list[Any]] = [
        ["about", "tool", f"qualcode {__version__}", "工具"],
        ["about", "created_at", stamp, "生成时间"],
    ]
    for key in ("id", "file_version", "version", "sha256", "codes"):
        if codebook.get(key) not in (None, ""):
            rows.append(["about", f"codebook_{key}", codebook[key], _CODEBOOK_ZH[key]])
    meta = data.settings.get("codebook")
    if isinstance(meta, dict) and meta.get("source"):
        rows.append(["about", "codebook_source", str(meta["source"]), "编码表来源文件"])
    rows += [
        ["parameters", "coding_source", source, "编码来源"],
        ["parameters", "coding_source_meaning", SOURCE_DESCRIPTIONS.get(source, source), "编码来源说明"],
        ["parameters", "coders", ", ".join(coders), "编码员"],
        ["parameters", "case_unit", case_attribute or "document", "个案单位"],
        ["parameters", "documents", len(data.documents), "文档数"],
        ["parameters", "segments_all_coders", len(data.segments), "全部编码片段数"],
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
            rows.append(["typology", key, text, "类型学参数"])
    for key, note in notes:
        rows.append(["notes", key, note, "说明"])
    for name in sheets:
        en, zh = GUIDE.get(name, ("", ""))
        rows.append(["sheet", name, en, zh])
        if name == "Case_x_Code":
            rows.append(
                [
                    "sheet",
                    "Case_x_Code_01",
                    "1 when the case has the code at least once, else 0.",
                    "个案是否出现该代码（1/0）。",
                ]
            )
        if name == "Agreement":
            rows.append(
                [
                    "sheet",
                    "Agreement_Disagreements",
                    "Units on which coders disagree, with the text.",
                    "编码员意见不一致的单元及其文本。",
                ]
            )
    rows.append(
        [
            "notes",
            "segments_sheet",
            "Segments lists every coder's segments; the matrices and the typology use the coding source above.",
            "Segments表列出所有编码员的片段；矩阵和类型学使用上述编码来源。",
        ]
    )
    rows.append(
        [
            "notes",
            "formulas",
            "Cells that start with = + - @ are text, never formulas.",
            "以 = + - @ 开头的单元格均为文本，不是公式。",
        ]
    )
    book.table(
        "README",
        ["section", "item", "value", "说明"],
        rows,
        header_zh=["部分", "项目", "值", "说明"],
        wrap=("value", "说明"),
        widths={"value": 70.0, "说明": 50.0},
    )

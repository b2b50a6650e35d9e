"""The saturation report as files: a workbook with the curve as a native Excel chart, and a Word
document with the three-line table and the curve (the saturation part of `qualcode report`)."""

from pathlib import Path
from typing import Any

from qualcode.core.errors import ValidationError
from qualcode.i18n import CHINESE, ENGLISH, _, join_list, language
from qualcode.services.analysis.rows import SaturationReport
from qualcode.services.analysis.saturation import saturation_report, source_title
from qualcode.services.exchange.paper_report import ReportSummary, saturation_part
from qualcode.services.outputs import check_output_path, output_file
from qualcode.store.db import Project


def curve_grid(report: SaturationReport, level: str) -> tuple[list[str], list[list[Any]]]:
    """Interview position down, one column of cumulative counts per source (blank where that
    source has fewer interviews): the layout an Excel line chart draws."""
    sources = report["sources"]
    curves = [s["levels"][level]["curve"]["steps"] for s in sources]
    length = max((len(c) for c in curves), default=0)
    header = [_("Interview"), *(source_title(s) for s in sources)]
    rows = [[i + 1, *(c[i]["cumulative"] if i < len(c) else None for c in curves)] for i in range(length)]
    return header, rows


def steps_grid(report: SaturationReport, level: str) -> tuple[list[str], list[list[Any]]]:
    """Every step of every curve: source, position, interview, what was new, cumulative count."""
    header = [_("Coding"), "#", _("Interview"), _("New"), _("Cumulative")]
    rows = [
        [source_title(s), step["position"], step["document"], join_list(step["new"]), step["cumulative"]]
        for s in report["sources"]
        for step in s["levels"][level]["curve"]["steps"]
    ]
    return header, rows


def write_saturation_xlsx(
    project: Project, path: str | Path, *, level: str = "code", viewer: str | None = None, force: bool = False
) -> Path:
    """The curve (with a native line chart), every step, and the reserve check in both languages."""
    from qualcode.io.workbook import WorkbookWriter, column_letter

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValidationError(_("{path}: the workbook file must end in .xlsx").format(path=path))
    check_output_path(project, path, force=force)
    report = saturation_report(project, viewer=viewer)
    book = WorkbookWriter()
    try:
        header, rows = curve_grid(report, level)
        sheet = book.table("Saturation_Curve", header, rows)
        sheet.line_chart(
            _("Saturation curve"),
            1,
            2,
            len(header),
            f"{column_letter(len(header) + 2)}2",
            y_title=_("Cumulative"),
            x_title=_("Interview"),
        )
        header, rows = steps_grid(report, level)
        book.table("Saturation_Steps", header, rows, wrap=(_("New"),))
        checks = [
            [
                source_title(s),
                s["levels"][level]["reserve_check"]["status"],
                s["levels"][level]["reserve_check"]["sentence"][CHINESE],
                s["levels"][level]["reserve_check"]["sentence"][ENGLISH],
            ]
            for s in report["sources"]
        ]
        book.table(
            "Saturation_Check", [_("Coding"), "status", "中文", "English"], checks, wrap=("中文", "English")
        )
        with output_file(project, path, force=force) as temporary:
            book.save(temporary)
    except BaseException:
        book.discard()
        raise
    return path


def write_saturation_docx(
    project: Project,
    path: str | Path,
    *,
    level: str = "code",
    language_name: str = ENGLISH,
    viewer: str | None = None,
    force: bool = False,
) -> ReportSummary:
    """The saturation part of the paper report alone, as a .docx."""
    from qualcode.io.docx_report import DocxReport

    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise ValidationError(_("{path}: the report file must end in .docx").format(path=path))
    check_output_path(project, path, force=force)
    with language(language_name):
        report = DocxReport(_("Table {n}"), _("Figure {n}"), _("Note: "))
        summary = ReportSummary(
            file=str(path), bytes=0, language=language_name, tables=[], figures=[], omitted={}
        )
        saturation_part(report, project, viewer, level, summary)
    with output_file(project, path, force=force) as temporary:
        report.save(temporary)
        summary["bytes"] = temporary.stat().st_size
    return summary

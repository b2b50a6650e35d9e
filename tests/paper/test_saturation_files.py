"""`qualcode saturation --format xlsx|docx`: the curve as a native Excel chart and as a figure,
with the numbers of the JSON report."""

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from qualcode.services.analysis.saturation import saturation_report
from qualcode.services.demo import build_demo
from qualcode.store.db import Project
from tests.test_stats_cli import qc

LEAD = "wang"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project, _ = build_demo(tmp_path_factory.mktemp("saturation-files") / "demo")
    return project


def test_workbook_curve_has_a_native_chart_with_the_json_numbers(demo: Project, tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    code, _out, err = qc("saturation", str(demo.folder), "--as", LEAD, "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    book = load_workbook(out)
    sheet = book["Saturation_Curve"]
    report = saturation_report(demo, viewer=LEAD)
    columns = list(sheet.iter_cols(min_row=2, values_only=True))
    for i, source in enumerate(report["sources"], start=1):
        expected = [step["cumulative"] for step in source["levels"]["code"]["curve"]["steps"]]
        assert [v for v in columns[i] if v is not None] == expected
    (chart,) = sheet._charts
    assert chart.tagname == "lineChart" and len(chart.series) == len(report["sources"])
    assert {"Saturation_Steps", "Saturation_Check"} <= set(book.sheetnames)


def test_docx_holds_the_table_and_the_curve(demo: Project, tmp_path: Path) -> None:
    out = tmp_path / "s.docx"
    code, _out, err = qc(
        "--lang",
        "zh_CN",
        "saturation",
        str(demo.folder),
        "--as",
        LEAD,
        "--by",
        "category",
        "--format",
        "docx",
        "--out",
        str(out),
    )
    assert code == 0, err
    document = Document(str(out))
    assert len(document.tables) == 1 and len(document.inline_shapes) == 1
    report = saturation_report(demo, viewer=LEAD, levels=("category",))
    totals = [int(row.cells[2].text) for row in document.tables[0].rows[1:]]
    assert totals == [s["levels"]["category"]["curve"]["total"] for s in report["sources"]]
    assert any(p.text.startswith("图1") and "类属" in p.text for p in document.paragraphs)


def test_file_formats_need_a_file(demo: Project) -> None:
    code, out, err = qc("saturation", str(demo.folder), "--as", LEAD, "--format", "docx")
    assert code == 2 and not out and "needs --out" in err

"""`qualcode agree`: formats, output files, xlsx sheets, errors."""

import json
from pathlib import Path

import pytest

from tests.agreement_project import build, code, done
from tests.test_stats_cli import qc


@pytest.fixture
def project_dir(tmp_path: Path) -> str:
    project, ids = build(tmp_path)
    for coder in ("lin", "chen"):
        code(project, ids, coder, "doc1", "TAL.PROG", "储能专业")
        done(project, ids, coder, "doc1")
    code(project, ids, "lin", "doc1", "TAL.BASE", "实训基地")
    project.dispose()
    return str(tmp_path / "p")


def test_agree_json_and_table(project_dir: str) -> None:
    rc, out, err = qc("agree", project_dir, "--format", "json")
    assert rc == 0, err
    data = json.loads(out)
    assert data["coders"] == ["chen", "lin", "wang"] and data["unit_type"] == "answer"
    assert "wang has marked no document done, so is missing throughout" in data["notes"]
    assert {"codes", "dimensions", "pooled", "pairs", "documents", "missing_rule"} <= set(data)
    rc, out, err = qc("agree", project_dir)
    assert rc == 0 and "TAL.PROG" in out and "missing data" in out


def test_agree_markdown_and_xlsx(project_dir: str, tmp_path: Path) -> None:
    md = tmp_path / "r.md"
    assert (
        qc("agree", project_dir, "--format", "md", "--out", str(md), "--bootstrap", "50", "--seed", "2")[0]
        == 0
    )
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Intercoder agreement") and "TAL.BASE" in text and "实训基地" in text
    assert (
        "## Methods" in text
        and "bootstrap resamples of units (seed 2)" in text
        and "Pooled over all codes, alpha =" in text
    )
    xlsx = tmp_path / "r.xlsx"
    assert qc("agree", project_dir, "--format", "xlsx", "--out", str(xlsx))[0] == 0
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Agreement", "Agreement disagreements"]
    ws = wb["Agreement"]
    assert ws["A1"].value == "section" and ws["B2"].value in {"TAL.PROG", "TAL.BASE", "ADM.FUND"}


def test_agree_errors(project_dir: str) -> None:
    rc, out, err = qc("agree", project_dir, "--format", "xlsx")
    assert rc == 2 and "needs --out" in err
    rc, _, err = qc("agree", project_dir, "--coders", "lin")
    assert rc == 2 and "at least two coders" in err
    rc, _, err = qc("agree", project_dir, "--codes", "TAL.XX")
    assert rc == 2 and "unknown code 'TAL.XX'" in err


def test_sheet_writer_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from qualcode.io.table_files import write_sheets_file

    write_sheets_file(tmp_path / "s.xlsx", [("S", [["a"], ["=SUM(A1:A2)"], ["-1 point"]])])
    ws = load_workbook(tmp_path / "s.xlsx")["S"]
    assert ws["A2"].value == "=SUM(A1:A2)" and ws["A2"].data_type == "s" and ws["A2"].quotePrefix

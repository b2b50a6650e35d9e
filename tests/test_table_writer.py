"""One writer for every CSV and workbook (issue 16.9): formula guard and quoting on every surface."""

import csv
import io
from pathlib import Path

import pytest
from sqlmodel import select

from qualcode.io.table_files import write_csv
from qualcode.io.workbook import RISKY_START
from qualcode.store.db import open_project
from qualcode.store.models import Coder, Segment
from tests.test_output_paths import project_dir  # noqa: F401  (fixture)
from tests.test_stats_cli import qc

RISKY = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rsecond line"]


def _plant(path: str) -> None:
    """Formula-like memos on the first segments and a formula-like coder name."""
    project = open_project(path)
    with project.write() as s:
        segments = s.exec(select(Segment).order_by(Segment.id)).all()
        for segment, memo in zip(segments, RISKY + ["a\rb"], strict=False):
            segment.memo = memo
            s.add(segment)
        coders = s.exec(select(Coder).order_by(Coder.id)).all()
        for coder, name in zip(coders, ("=HYPERLINK(0)", "-minus"), strict=False):
            coder.name = name
            s.add(coder)
    project.dispose()


def test_csv_writer_guards_formulas_and_quotes_line_breaks() -> None:
    out = io.StringIO(newline="")
    write_csv(out, ["a", "b"], [["=1+1", "x\ry"], ["\rmemo", "plain"]])
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows == [["a", "b"], ["'=1+1", "x\ry"], ["'\rmemo", "plain"]]


def test_code_list_csv_is_guarded_and_keeps_its_rows(project_dir: str) -> None:  # noqa: F811
    _plant(project_dir)
    rc, out, err = qc("code", "list", project_dir, "--format", "csv")
    assert rc == 0, err
    rows = list(csv.reader(io.StringIO(out, newline="")))
    rc, listed, _ = qc("code", "list", project_dir, "--format", "json")
    import json

    assert len(rows) == len(json.loads(listed)) + 1, "a memo with a CR broke a row"
    memo = rows[0].index("memo")
    memos = [r[memo] for r in rows[1:]]
    for value in RISKY:
        assert "'" + value in memos
    assert "a\rb" in memos
    for row in rows[1:]:
        assert not any(cell.startswith(RISKY_START) for cell in row), row


@pytest.mark.parametrize(
    "args",
    [
        ["agree", "--unit", "char", "--format", "xlsx"],
        ["agree", "--unit", "sentence", "--gold", "=HYPERLINK(0)", "--format", "xlsx"],
        ["export", "--xlsx"],
    ],
    ids=["agree", "agree --gold", "export"],
)
def test_every_workbook_guards_formula_like_text(
    args: list[str],
    project_dir: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    from openpyxl import load_workbook

    _plant(project_dir)
    out = tmp_path / "out.xlsx"
    command = [args[0], project_dir, *args[1:]]
    command += ["--out", str(out)] if args[0] == "agree" else [str(out)]
    rc, _, err = qc(*command)
    assert rc == 0, err
    risky = 0
    for sheet in load_workbook(out).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(RISKY_START):
                    risky += 1
                    assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate)
    assert risky, "the test planted no formula-like text in this workbook"


def test_retrieved_rows_export_is_guarded(project_dir: str, tmp_path: Path) -> None:  # noqa: F811
    from qualcode.services.analysis.retrieval import export_retrieved, retrieve_segments
    from qualcode.services.codebook.curation import list_codes

    _plant(project_dir)
    project = open_project(project_dir)
    try:
        codes = [c["key"] for c in list_codes(project) if c["codable"]]
        rows = retrieve_segments(project, viewer="=HYPERLINK(0)", codes=codes)
        export_retrieved(project, rows, tmp_path / "r.csv")
    finally:
        project.dispose()
    data = list(csv.reader(open(tmp_path / "r.csv", encoding="utf-8-sig", newline="")))
    assert len(data) == len(rows) + 1
    assert not any(cell.startswith(RISKY_START) for row in data[1:] for cell in row)

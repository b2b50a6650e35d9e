"""The streaming sheet writer: value types, escaping and styles, read back with openpyxl."""

from datetime import date
from pathlib import Path

import numpy as np
import openpyxl

from qualcode.io.workbook import WorkbookWriter


def test_values_of_every_kind_round_trip(tmp_path: Path) -> None:
    rows = [
        [1, 2.5, True, None, "plain", "a & b < c > d", " padded ", "line\nbreak", "\rCR", "中文"],
        [
            np.int64(7),
            np.float64(0.25),
            np.bool_(False),
            float("nan"),
            date(2026, 1, 2),
            "=1+1",
            "-x",
            "@y",
            "+z",
            "\tt",
        ],
        ["ctl\x01char", 3, float("inf"), "x" * 40000, "", 0, -1.5e-12, "é", "🙂", "ok"],
    ]
    book = WorkbookWriter()
    sheet = book.table("T", [f"c{i}" for i in range(10)], rows, number_format="0.000", wrap=("c7",))
    assert sheet.n_rows == 3
    path = book.save(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)["T"]
    got = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert got[0] == [1, 2.5, True, None, "plain", "a & b < c > d", " padded ", "line\nbreak", "\rCR", "中文"]
    assert got[1] == [7, 0.25, False, None, "2026-01-02", "=1+1", "-x", "@y", "+z", "\tt"]
    assert got[2][0] == "ctl\ufffdchar" and got[2][2] is None and len(got[2][3]) == 32767
    assert got[2][4] is None and got[2][5:] == [0, -1.5e-12, "é", "🙂", "ok"]
    assert ws["B2"].number_format == "0.000" and ws["H2"].alignment.wrap_text
    assert all(ws[c].data_type == "s" and ws[c].quotePrefix for c in ("F3", "G3", "H3", "I3", "J3", "I2"))
    assert not ws["E2"].quotePrefix and ws["A2"].data_type == "n"
    assert not list(tmp_path.glob(".*partial"))

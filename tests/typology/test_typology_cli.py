"""`qualcode typology` and `qualcode export --xlsx/--csv` from the command line."""

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from qualcode.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_typology_json_table_and_xlsx(
    project: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    folder = str(project.folder)
    code, out, _ = run(capsys, "typology", folder, "--format", "json")
    data = json.loads(out)
    assert code == 0 and set(data) >= {"parameters", "cases", "clusters"}
    assert {c["case"]: c["type"] for c in data["cases"]} == {"Haibin": "GOV_LED", "Qingshan": "ENT_LED"}
    assert set(data["cases"][0]) >= {"case", "type", "basis", "scores", "margin", "profile", "flags"}
    code, out, _ = run(
        capsys,
        "typology",
        folder,
        "--format",
        "json",
        "--out",
        str(tmp_path / "t.json"),
        "--combine",
        "union",
    )
    saved = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert (
        code == 0
        and saved["parameters"]["coding_source"] == "union"
        and "政府统筹主导型" in (tmp_path / "t.json").read_text("utf-8")
    )
    code, out, _ = run(capsys, "typology", folder, "--coder", "alice")
    assert code == 0 and "GOV_LED" in out and "cluster check skipped: only 2 cases" in out
    code, out, _ = run(capsys, "typology", folder, "--format", "xlsx", "--out", str(tmp_path / "t.xlsx"))
    assert code == 0 and openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames[:3] == [
        "README",
        "Case_Profiles",
        "Typology_Rules",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--case-attribute", "City"], "error: no document has the attribute 'City'"),
        (["--coder", "alice", "--consensus"], "error: choose one coding source"),
        (["--coder", "nobody"], "error: unknown coder 'nobody'"),
        (["--format", "xlsx"], "error: --format xlsx needs --out FILE.xlsx"),
        (["--out", "x.json"], "error: --out writes json or xlsx"),
        (
            ["--format", "xlsx", "--out", "t.xlsx", "--aggregation", "pooled", "--role-attribute", "Job"],
            "error: no document has the role attribute 'Job'",
        ),
    ],
)
def test_typology_errors_are_one_line(
    project: Any, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "typology", str(project.folder), *args)
    assert code == 2 and err.startswith(message) and err.count("\n") == 1 and out == ""


def test_export_xlsx_and_csv(project: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    xlsx, csv = tmp_path / "w.xlsx", tmp_path / "s.csv"
    code, out, err = run(
        capsys,
        "export",
        str(project.folder),
        "--xlsx",
        str(xlsx),
        "--sheets",
        "Segments,Codebook",
        "--csv",
        str(csv),
        "--coder",
        "bob",
    )
    assert code == 0, err
    assert openpyxl.load_workbook(xlsx).sheetnames == ["README", "Codebook", "Segments"]
    assert (
        csv.read_bytes().startswith(b"\xef\xbb\xbf")
        and f"xlsx: wrote {xlsx} (3 sheets, 38 segments, 0 cases)" in out
    )
    assert f"csv: wrote {csv} (38 segments)" in out
    code, _, err = run(
        capsys, "export", str(project.folder), "--xlsx", str(tmp_path / "x.xlsx"), "--sheets", "Nope"
    )
    assert code == 2 and "error: unknown sheet 'Nope'" in err and not (tmp_path / "x.xlsx").exists()

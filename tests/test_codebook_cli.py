"""`qualcode codebook ...` end to end: exit codes, one-line errors, JSON shapes."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.foundation.test_cli import qc, qc_process

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = str(ROOT / "codebooks" / "industry-education-consortium.yaml")


@pytest.fixture
def project(tmp_path: Path) -> str:
    target = str(tmp_path / "p")
    qc("init", target)
    qc("codebook", "load", target, SHIPPED, "--as", "wang")
    return target


def test_validate_ok_and_bad(tmp_path: Path) -> None:
    ok = qc("codebook", "validate", SHIPPED)
    assert "valid codebook industry-education-consortium" in ok.stdout and "4 typology types" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "codebook: {id: x}\ncodes:\n  - key: A\n    name_en: A\n    color: red\n  - key: A\n    name_en: B\n",
        encoding="utf-8",
    )
    result = qc("codebook", "validate", str(bad), check=False)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert (
        lines[0]
        == f"{bad}:5:12: A: 'red' is not a colour: write it as #RRGGBB with six hexadecimal digits, e.g. '#1F77B4'"
    )
    assert lines[1] == f"{bad}:6:10: the key 'A' is used by more than one code; keys must be unique"
    assert lines[-1] == f"{bad}: 2 problem(s)"
    missing = qc("codebook", "validate", str(tmp_path / "nope.yaml"), check=False)
    assert (
        missing.returncode == 2 and missing.stderr.strip() == f"error: {tmp_path / 'nope.yaml'}: no such file"
    )


def test_show_json_shape(project: str) -> None:
    rows = json.loads(qc("codebook", "show", project, "--format", "json").stdout)
    prog = next(r for r in rows if r["key"] == "TAL.PROG")
    for field in ("key", "parent", "name_en", "name_zh", "dimension", "codable", "retired"):
        assert field in prog
    assert (prog["parent"], prog["dimension"], prog["name_zh"]) == ("TAL.EDU", "TAL", "专业设置对接产业")
    info = json.loads(qc("codebook", "info", project, "--format", "json").stdout)
    assert info["version"] == 1 and len(info["sha256"]) == 64


def test_evolve_and_undo_from_the_cli(project: str) -> None:
    assert "codebook version 2" in qc("codebook", "rename", project, "TAL.PROG", "--zh", "专业").stdout
    assert "codebook version 3" in qc("codebook", "move", project, "TAL.MATCH", "TAL.EDU").stdout
    merged = qc("codebook", "merge", project, "CHL.EVAL", "CHL.HOLLOW").stdout
    assert "merged CHL.EVAL into CHL.HOLLOW: 0 segment(s) moved" in merged
    assert "retired GOV.VISION" in qc("codebook", "retire", project, "GOV.VISION").stdout
    assert "active again" in qc("codebook", "retire", project, "GOV.VISION", "--undo").stdout
    qc("codebook", "add", project, "REC.NEW", "--parent", "REC.ALL", "--en", "New", "--zh", "新建议")
    qc("codebook", "edit", project, "REC.NEW", "--definition", "A definition.", "--color", "#123456")
    assert "undid edit" in qc("codebook", "undo", project).stdout
    diff = qc("codebook", "diff", project, SHIPPED).stdout
    assert "~ TAL.PROG: name_zh '专业' -> '专业设置对接产业'" in diff
    assert "- REC.NEW (removed)" in diff and "+ CHL.EVAL" in diff


def test_errors_are_one_line_and_exit_2(project: str, tmp_path: Path) -> None:
    for args, message in [
        (
            ("codebook", "merge", project, "TAL", "TAL.PROG"),
            "error: cannot merge TAL into TAL.PROG: TAL.PROG is inside TAL; move it out first",
        ),
        (
            ("codebook", "move", project, "TAL", "TAL.PROG"),
            "error: cannot move TAL under TAL.PROG: TAL.PROG is TAL itself or inside it",
        ),
        (
            ("codebook", "rename", project, "TAL.PROG", "--key", "TAL.CURR"),
            "error: cannot rename TAL.PROG to TAL.CURR: that key is already used",
        ),
        (
            ("codebook", "edit", project, "TAL.PROG", "--color", "blue"),
            "error: 'blue' is not a colour: write it as #RRGGBB with six hexadecimal digits, e.g. '#1F77B4'",
        ),
        (("codebook", "export", project), "error: say where to write: --yaml FILE and/or --qdc FILE"),
    ]:
        result = qc(*args, check=False)
        assert result.returncode == 2, args
        assert result.stderr.strip() == message


def test_export_import_and_diff_files(project: str, tmp_path: Path) -> None:
    out_yaml, out_qdc = tmp_path / "out.yaml", tmp_path / "out.qdc"
    qc("codebook", "export", project, "--yaml", str(out_yaml), "--qdc", str(out_qdc))
    assert "no differences" in qc("codebook", "diff", SHIPPED, str(out_yaml)).stdout
    assert out_yaml.read_text(encoding="utf-8").startswith("# Exported by qualcode")
    other = str(tmp_path / "q")
    qc("init", other)
    imported = qc("codebook", "import-qdc", other, str(out_qdc)).stdout
    assert "imported 55 codes (0 keys generated from names)" in imported and "nothing was dropped" in imported


def test_help_runs_as_a_subprocess() -> None:
    result: subprocess.CompletedProcess[str] = qc_process("codebook", "--help")
    assert "merge" in result.stdout and "validate" in result.stdout


def test_add_takes_the_fields_a_new_code_needs(project: str) -> None:
    qc(
        "codebook",
        "add",
        project,
        "TAL.NEW",
        "--parent",
        "TAL",
        "--en",
        "New",
        "--zh",
        "新",
        "--color",
        "#123456",
        "--short",
        "One line.",
        "--inclusion",
        "When X.",
        "--exclusion",
        "Not Y.",
    )
    [row] = [
        c
        for c in json.loads(qc("codebook", "show", project, "--format", "json").stdout)
        if c["key"] == "TAL.NEW"
    ]
    assert (row["color"], row["short_definition"], row["inclusion"], row["exclusion"]) == (
        "#123456",
        "One line.",
        "When X.",
        "Not Y.",
    )
    bad = qc(
        "codebook",
        "add",
        project,
        "TAL.BAD",
        "--parent",
        "TAL",
        "--en",
        "Bad",
        "--color",
        "blue",
        check=False,
    )
    assert bad.returncode == 2 and "'blue' is not a colour" in bad.stderr

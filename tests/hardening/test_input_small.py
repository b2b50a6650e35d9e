"""Issue 16 item 11: a path pattern, pipes and devices, a project file that is not UTF-8, and
`code update` that changes nothing."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.input_support import assert_refused, project, run, tables
from tests.importing.helpers import EN_TRANSCRIPT

__all__ = ["project"]


@pytest.mark.parametrize("pattern", ["/etc/*", "../*", "sub/../../*", "", "~/*.txt"])
def test_a_pattern_outside_the_folders_is_refused(capsys, project: Path, tmp_path: Path, pattern: str):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(EN_TRANSCRIPT, encoding="utf-8")
    assert_refused(
        capsys, project, "import", project, tmp_path / "in", "--pattern", pattern, says="--pattern"
    )


def test_a_relative_pattern_still_works(capsys, project: Path, tmp_path: Path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "a.txt").write_text(EN_TRANSCRIPT, encoding="utf-8")
    code, _, err = run(capsys, "import", project, tmp_path / "in", "--pattern", "sub/*.txt")
    assert code == 0, err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize(
    "command",
    [
        ["import", "{project}", "{path}"],
        ["codebook", "load", "{project}", "{path}"],
        ["codebook", "validate", "{path}"],
        ["codebook", "import-qdc", "{project}", "{path}"],
        ["guide", "load", "{project}", "{path}"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_a_fifo_is_named_as_one_and_never_waited_on(project: Path, tmp_path: Path, command: list[str]):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    before = tables(project)
    args = [part.format(project=project, path=fifo) for part in command]
    # A subprocess with a timeout: opening the pipe would block the test forever.
    done = subprocess.run(
        [sys.executable, "-m", "qualcode", *args], capture_output=True, text=True, timeout=60
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and lines[0].startswith("error: ") and "is a named pipe (FIFO)" in lines[0]
    assert tables(project) == before


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_named_as_a_device(capsys, project: Path):
    assert_refused(capsys, project, "import", project, "/dev/zero", says="/dev/zero is a character device")
    assert_refused(capsys, project, "codebook", "load", project, "/dev/zero", says="character device")


def test_a_project_file_that_is_not_utf8_is_one_line(capsys, project: Path):
    path = project / "qualcode-project.toml"
    path.write_bytes(path.read_bytes().replace(b'name = "', b'name = "\xff\xfe'))
    assert_refused(capsys, project, "info", project, says="qualcode-project.toml is not UTF-8")


@pytest.fixture
def coded(capsys, project: Path, tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(EN_TRANSCRIPT, encoding="utf-8")
    book = tmp_path / "book.yaml"
    book.write_text(
        "codebook:\n  id: t\ncodes:\n  - key: A\n    name_en: A\n    codable: true\n", encoding="utf-8"
    )
    for args in (
        ("import", project, tmp_path / "a.txt"),
        ("codebook", "load", project, book),
        ("coders", "add", project, "lin"),
        (
            "code",
            "add",
            project,
            "--coder",
            "lin",
            "--doc",
            "a",
            "--code",
            "A",
            "--start",
            "0",
            "--end",
            "4",
            "--memo",
            "m",
        ),
    ):
        code, _, err = run(capsys, *args)
        assert code == 0, err
    return project


def _events(project: Path) -> int:
    with sqlite3.connect(project / "qualcode.db") as conn:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]


def _segment_id(capsys, project: Path) -> int:
    return json.loads(run(capsys, "code", "list", project, "--format", "json")[1])[0]["id"]


@pytest.mark.parametrize(
    "change",
    [["--start", "0"], ["--start", "0", "--end", "4"], ["--memo", "m"], ["--end", "4", "--memo", "m"]],
)
def test_code_update_with_no_change_says_so_and_logs_nothing(capsys, coded: Path, change: list[str]):
    segment = _segment_id(capsys, coded)
    before = tables(coded)
    code, out, err = run(capsys, "code", "update", coded, "--coder", "lin", "--id", segment, *change)
    assert (code, err) == (0, "")
    assert out.startswith(f"nothing changed: segment {segment}")
    assert tables(coded) == before


def test_code_update_with_nothing_asked_is_refused(capsys, coded: Path):
    segment = _segment_id(capsys, coded)
    assert_refused(
        capsys, coded, "code", "update", coded, "--coder", "lin", "--id", segment, says="nothing to update"
    )


def test_code_update_with_a_change_still_logs_it(capsys, coded: Path):
    segment = _segment_id(capsys, coded)
    events = _events(coded)
    code, out, err = run(capsys, "code", "update", coded, "--coder", "lin", "--id", segment, "--end", "5")
    assert code == 0 and out.startswith("updated segment"), err
    assert _events(coded) == events + 1

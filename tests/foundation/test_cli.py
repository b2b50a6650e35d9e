"""The CLI end to end: real subprocesses, exit codes, one-line errors, JSON shapes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def qc(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the CLI in-process (fast), with the same error handling as the real entry point."""
    import contextlib
    import io

    from qualcode.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    result = subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())
    if check and code != 0:
        raise AssertionError(f"qualcode {' '.join(args)} failed: {result.stderr}")
    return result


def qc_process(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a real subprocess, as a user would."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("QUALCODE_DB", None)
    result = subprocess.run(
        [sys.executable, "-m", "qualcode", *args], capture_output=True, text=True, env=env
    )
    if check and result.returncode != 0:
        raise AssertionError(f"qualcode {' '.join(args)} failed: {result.stderr}")
    return result


def assert_user_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr


@pytest.fixture
def seeded(project_target: str) -> str:
    from qualcode.store.db import init_project
    from tests.foundation.helpers import seed

    project = init_project(project_target)
    seed(project)
    project.dispose()
    return project_target


def test_code_add_list_round_trip(seeded: str) -> None:
    out = qc(
        "code",
        "add",
        seeded,
        "--coder",
        "lin",
        "--doc",
        "doc1",
        "--code",
        "TAL.PROG",
        "--start",
        "17",
        "--end",
        "23",
        "--memo",
        "new programme",
    )
    assert "coded doc1 [17, 23) TAL.PROG" in out.stdout
    rows = json.loads(qc("code", "list", seeded, "--format", "json").stdout)
    assert [
        {k: r[k] for k in ("document", "coder", "code", "start", "end", "text", "memo")} for r in rows
    ] == [
        {
            "document": "doc1",
            "coder": "lin",
            "code": "TAL.PROG",
            "start": 17,
            "end": 23,
            "text": "开了储能专业",
            "memo": "new programme",
        }
    ]
    csv_out = qc("code", "list", seeded, "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "id,document,coder,code,start,end,text,memo"
    assert "开了储能专业" in csv_out[1]
    qc(
        "code",
        "remove",
        seeded,
        "--coder",
        "lin",
        "--doc",
        "doc1",
        "--code",
        "TAL.PROG",
        "--start",
        "17",
        "--end",
        "23",
    )
    assert json.loads(qc("code", "list", seeded, "--format", "json").stdout) == []
    assert "undid segment.remove" in qc("code", "undo", seeded, "--coder", "lin").stdout
    assert len(json.loads(qc("code", "list", seeded, "--format", "json").stdout)) == 1


def test_coders_add_and_list_json(tmp_path: Path) -> None:
    target = str(tmp_path / "p")
    qc("init", target)
    qc("coders", "add", target, "lin")
    qc("coders", "add", target, "wang", "--role", "lead")
    assert json.loads(qc("coders", "list", target, "--format", "json").stdout) == [
        {"name": "lin", "role": "coder"},
        {"name": "wang", "role": "lead"},
    ]
    info = json.loads(qc("info", target, "--format", "json").stdout)
    assert info["coders"] == 2 and info["database"] == "sqlite"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--coder", "ghost"], "unknown coder 'ghost'"),
        (["--doc", "nope"], "unknown document 'nope'"),
        (["--code", "NOPE.X"], "unknown code 'NOPE.X'"),
        (["--start", "5", "--end", "5"], "start must be before end"),
        (["--start", "0", "--end", "99999"], "outside"),
    ],
)
def test_bad_segments_exit_2_and_change_nothing(seeded: str, args: list[str], fragment: str) -> None:
    base = {"--coder": "lin", "--doc": "doc1", "--code": "TAL.PROG", "--start": "0", "--end": "3"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    flat = [x for pair in base.items() for x in pair]
    assert_user_error(qc("code", "add", seeded, *flat, check=False), fragment)
    assert json.loads(qc("code", "list", seeded, "--format", "json").stdout) == []


def test_bad_projects_exit_2(tmp_path: Path) -> None:
    assert_user_error(qc_process("info", str(tmp_path / "nothing"), check=False), "no such project folder")
    (tmp_path / "empty").mkdir()
    assert_user_error(qc("info", str(tmp_path / "empty"), check=False), "not a qualcode project")
    qc("init", str(tmp_path / "p"))
    for suffix in ("-wal", "-shm"):
        (tmp_path / "p" / f"qualcode.db{suffix}").unlink(missing_ok=True)
    (tmp_path / "p" / "qualcode.db").write_bytes(b"\x00garbage" * 512)
    assert_user_error(qc_process("info", str(tmp_path / "p"), check=False), "corrupt or not a SQLite file")
    assert_user_error(qc("info", "postgresql+psycopg://nobody@127.0.0.1:1/x", check=False), "cannot open")


def test_newer_schema_exit_2(tmp_path: Path) -> None:
    import sqlite3

    qc("init", str(tmp_path / "p"))
    with sqlite3.connect(tmp_path / "p" / "qualcode.db") as conn:
        conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    assert_user_error(qc("info", str(tmp_path / "p"), check=False), "newer qualcode")


def test_help_for_every_command() -> None:
    from qualcode.cli import COMMANDS

    assert "Commands:" in qc("--help").stdout
    for name in COMMANDS:
        assert qc(name, "--help").stdout.startswith("Usage: qualcode " + name)


def test_settings_show_and_set_case_attribute(tmp_path: Path) -> None:
    from qualcode.services.demo import build_demo

    project, summary = build_demo(tmp_path / "demo")
    project.dispose()
    target = summary["path"]
    assert (
        json.loads(qc("settings", "show", target, "--format", "json").stdout)["case_attribute"]
        == "Consortium"
    )
    assert "8 documents belong to a case" in qc("settings", "set", target, "case_attribute", "City").stdout
    docs = json.loads(qc("docs", "list", target, "--format", "json").stdout)
    # City is written in each file's own language (海滨市 / Haibin), so it makes four cases
    assert len({d["case"] for d in docs}) == 4 and all(d["case"] for d in docs)
    assert_user_error(qc("settings", "set", target, "unit", "paragraph", check=False), "unit must be one of")
    assert json.loads(qc("settings", "show", target, "--format", "json").stdout)["unit"] == "answer"


def test_every_option_of_the_foundation_import_and_codebook_commands_is_explained() -> None:
    import importlib

    import click

    from qualcode.cli import COMMANDS

    def walk(command: click.Command, path: str):  # type: ignore[no-untyped-def]
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, f"{path} {name}")
        else:
            yield path, command

    missing = []
    for name in (
        "init",
        "info",
        "coders",
        "code",
        "docs",
        "import",
        "guide",
        "autocode",
        "codebook",
        "settings",
        "demo",
        "export",
    ):
        module, attr, _ = COMMANDS[name]
        for path, command in walk(getattr(importlib.import_module(module), attr), name):
            if not command.help:
                missing.append(f"{path}: no description")
            missing += [
                f"{path} {p.opts[0]}"
                for p in command.params
                if isinstance(p, click.Option) and not p.help and p.name != "help"
            ]
    assert missing == []


def test_init_with_a_bad_codebook_creates_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "codebook: {id: x, version: '1'}\ncodes:\n  - key: A\n    name_en: A\n    color: red\n",
        encoding="utf-8",
    )
    result = qc("init", str(tmp_path / "p"), "--codebook", str(bad), check=False)
    assert result.returncode == 2 and result.stderr.startswith(f"error: {bad}:5:")
    assert not (tmp_path / "p").exists()
    good = REPO / "codebooks" / "industry-education-consortium.yaml"
    qc("init", str(tmp_path / "p"), "--codebook", str(good))
    assert json.loads(qc("info", str(tmp_path / "p"), "--format", "json").stdout)["codes"] > 40


def test_unexpected_failure_is_one_line_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qualcode.services.project as project_service

    qc("init", str(tmp_path / "p"))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(project_service, "project_info", broken)
    monkeypatch.delenv("QUALCODE_DEBUG", raising=False)
    result = qc("info", str(tmp_path / "p"), check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: unexpected failure (RuntimeError: disk on fire); the failed action was rolled back. "
        "Set QUALCODE_DEBUG=1 to see the traceback and please report it."
    ]

"""Output paths (issue 16.1, 12.7): no command writes over an open project's own files, whatever
the spelling; other existing files only with --force; atomic writes; one file mode for every file."""

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from qualcode.io.output import OutputExistsError, OutputRefusedError, Protected, atomic_output
from tests.test_stats_cli import qc
from tests.typology.typology_project import build


@pytest.fixture
def project_dir(tmp_path: Path) -> str:
    """A project with coding by two coders, a codebook and a typology: every output has content."""
    from sqlmodel import select

    from qualcode.store.models import Coder, Document, DocumentStatus

    project = build(tmp_path / "p")
    with project.write() as s:
        for document in s.exec(select(Document)).all():
            for coder in s.exec(select(Coder)).all():
                s.add(DocumentStatus(document_id=document.id, coder_id=coder.id, status="done"))
    project.dispose()
    return str(tmp_path / "p")


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file of the project folder (database, project file, backups) by content hash."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(("-wal", "-shm"))
    }


# command line for writing to PATH -> the arguments (PROJECT is filled in)
COMMANDS: dict[str, Callable[[str, str], list[str]]] = {
    "export --qdpx": lambda p, out: ["export", p, "--qdpx", out],
    "export --xlsx": lambda p, out: ["export", p, "--xlsx", out],
    "export --csv": lambda p, out: ["export", p, "--csv", out],
    "codebook export --yaml": lambda p, out: ["codebook", "export", p, "--yaml", out],
    "codebook export --qdc": lambda p, out: ["codebook", "export", p, "--qdc", out],
    "agree --out": lambda p, out: ["agree", p, "--unit", "char", "--format", "json", "--out", out],
    "agree --format xlsx": lambda p, out: ["agree", p, "--unit", "char", "--format", "xlsx", "--out", out],
    "typology --out": lambda p, out: ["typology", p, "--format", "json", "--out", out],
    "typology --format xlsx": lambda p, out: ["typology", p, "--format", "xlsx", "--out", out],
    "backup --to": lambda p, out: ["backup", p, "--to", out],
}
_SUFFIX = {
    "export --xlsx": ".xlsx",
    "export --csv": ".csv",
    "agree --format xlsx": ".xlsx",
    "typology --format xlsx": ".xlsx",
}


def _spellings(folder: Path, suffix: str) -> Iterator[tuple[str, str]]:
    """(label, path) spellings that all name one of the project's own files."""
    yield "database", str(folder / "qualcode.db")
    yield "project file", str(folder / "qualcode-project.toml")
    yield "WAL file", str(folder / "qualcode.db-wal")
    yield "relative with ..", os.path.relpath(folder / "exports" / ".." / "qualcode.db")
    link = folder.parent / f"innocent{suffix or '.out'}"
    link.symlink_to(folder / "qualcode.db")
    yield "symlink", str(link)
    (folder / "backups").mkdir(exist_ok=True)
    yield "backups folder", str(folder / "backups" / f"new{suffix or '.out'}")
    hard = folder.parent / f"hard{suffix or '.out'}"
    os.link(folder / "qualcode.db", hard)
    yield "hard link", str(hard)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_command_writes_over_the_projects_own_files(
    command: str, project_dir: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = Path(project_dir)
    for label, out in _spellings(folder, _SUFFIX.get(command, "")):
        before = _fingerprint(folder)
        rc, _, err = qc(*COMMANDS[command](project_dir, out), "--force")
        assert rc == 2, f"{command} over the {label} ({out}): exit {rc}, {err}"
        assert err.startswith("error: ") and err.count("\n") == 1, err
        assert _fingerprint(folder) == before, f"{command} changed the project through the {label}"
        assert qc("code", "list", project_dir, "--format", "json")[0] == 0


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_existing_file_is_replaced_only_with_force(command: str, project_dir: str, tmp_path: Path) -> None:
    out = tmp_path / f"out{_SUFFIX.get(command, '.dat')}"
    out.write_bytes(b"keep me")
    rc, _, err = qc(*COMMANDS[command](project_dir, str(out)))
    assert rc == 2 and "already exists; add --force to replace it" in err and err.count("\n") == 1, err
    assert out.read_bytes() == b"keep me"
    rc, _, err = qc(*COMMANDS[command](project_dir, str(out)), "--force")
    assert rc == 0, err
    assert out.read_bytes() != b"keep me"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_every_written_file_follows_the_umask(mask: int, project_dir: str, tmp_path: Path) -> None:
    old = os.umask(mask)
    try:
        for command in sorted(COMMANDS):
            out = tmp_path / f"{command.replace(' ', '_')}{_SUFFIX.get(command, '.dat')}"
            rc, _, err = qc(*COMMANDS[command](project_dir, str(out)))
            assert rc == 0, (command, err)
            assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask, command
    finally:
        os.umask(old)


def test_a_failed_write_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    new, old = tmp_path / "new.xlsx", tmp_path / "old.xlsx"
    old.write_bytes(b"old")
    for target, force in ((new, False), (old, True)):
        with pytest.raises(RuntimeError), atomic_output(target, force=force) as temporary:
            temporary.write_bytes(b"half a fi")
            raise RuntimeError("the writer failed")
    assert not new.exists() and old.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.xlsx"]


def test_output_rule_refusals(tmp_path: Path) -> None:
    db = tmp_path / "p" / "qualcode.db"
    db.parent.mkdir()
    db.write_bytes(b"db")
    protected = Protected((db,), (tmp_path / "p" / "backups",))
    with pytest.raises(OutputRefusedError, match="own file"):
        with atomic_output(tmp_path / "p" / "sub" / ".." / "qualcode.db", protected, force=True):
            pass
    with pytest.raises(OutputRefusedError, match="is a folder"):
        with atomic_output(tmp_path, protected, force=True):
            pass
    with pytest.raises(OutputExistsError):
        with atomic_output(db, Protected(), force=False):
            pass
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(OutputRefusedError, match="not a regular file"):
        with atomic_output(tmp_path / "fifo", protected, force=True):
            pass


def test_two_formats_in_one_export_are_checked_before_either_is_written(
    project_dir: str, tmp_path: Path
) -> None:
    taken = tmp_path / "taken.csv"
    taken.write_text("mine", encoding="utf-8")
    rc, _, err = qc("export", project_dir, "--qdpx", str(tmp_path / "a.qdpx"), "--csv", str(taken))
    assert rc == 2 and "already exists" in err
    assert not (tmp_path / "a.qdpx").exists()


def test_a_refused_check_leaves_no_new_folder(tmp_path: Path) -> None:
    """Checking an output path creates nothing; the folder appears only when the file is written."""
    from qualcode.io.output import check_output, write_output

    target = tmp_path / "new" / "deeper" / "out.csv"
    assert check_output(target) == target.resolve()
    assert not (tmp_path / "new").exists()
    write_output(target, b"a,b\n")
    assert target.read_bytes() == b"a,b\n"

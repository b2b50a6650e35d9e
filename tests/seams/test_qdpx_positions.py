"""`--positions auto|exclusive|inclusive` on `import` and `init --from`: how selection ends are read."""

import json
import re
import zipfile
from pathlib import Path

import pytest

from qualcode.services.exchange.qdpx import export_qdpx
from tests.foundation.test_cli import assert_user_error, qc
from tests.qdpx_helpers import build_project


def _spans(target: str) -> list[tuple[str, int, int]]:
    rows = json.loads(qc("code", "list", target, "--format", "json").stdout)
    return sorted((r["document"], r["start"], r["end"]) for r in rows)


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[tuple[str, int, int]]]:
    """The same project as an archive with exclusive ends and one with inclusive ends."""
    folder = tmp_path_factory.mktemp("positions")
    project = build_project(folder / "original")
    exclusive = folder / "exclusive.qdpx"
    export_qdpx(project, exclusive)
    project.dispose()
    expected = _spans(str(folder / "original"))
    inclusive = folder / "inclusive.qdpx"
    with zipfile.ZipFile(exclusive) as src, zipfile.ZipFile(inclusive, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "project.qde":
                text = data.decode("utf-8")
                text = re.sub(r'endPosition="(\d+)"', lambda m: f'endPosition="{int(m[1]) - 1}"', text)
                data = text.encode("utf-8")
            dst.writestr(item, data)
    return exclusive, inclusive, expected


def _imported(tmp_path: Path, archive: Path, *options: str) -> list[tuple[str, int, int]]:
    target = str(tmp_path / "p")
    qc("init", target)
    qc("import", target, str(archive), *options)
    return _spans(target)


def test_import_positions_inclusive_reads_the_end_as_the_last_character(archives, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, inclusive, expected = archives
    assert _imported(tmp_path, inclusive, "--positions", "inclusive") == expected


def test_import_positions_exclusive_reads_the_end_as_the_next_position(archives, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exclusive, inclusive, expected = archives
    assert _imported(tmp_path / "a", exclusive, "--positions", "exclusive") == expected
    shorter = [(d, s, e - 1) for d, s, e in expected]
    assert _imported(tmp_path / "b", inclusive, "--positions", "exclusive") == shorter


def test_import_positions_auto_follows_the_exporting_tool(archives, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exclusive, _, expected = archives  # written by qualcode: exclusive ends
    assert _imported(tmp_path / "a", exclusive) == expected
    assert _imported(tmp_path / "b", exclusive, "--positions", "auto") == expected


@pytest.mark.parametrize(("positions", "which"), [("inclusive", 1), ("exclusive", 0), ("auto", 0)])
def test_init_from_takes_positions(archives, tmp_path: Path, positions: str, which: int) -> None:  # type: ignore[no-untyped-def]
    _, _, expected = archives
    target = str(tmp_path / "p")
    qc("init", target, "--from", str(archives[which]), "--positions", positions)
    assert _spans(target) == expected


def test_bad_positions_are_refused_and_create_nothing(archives, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "p"
    assert_user_error(
        qc("init", str(target), "--from", str(archives[1]), "--positions", "both", check=False), "both"
    )
    assert_user_error(qc("init", str(target), "--positions", "inclusive", check=False), "--from")
    assert not target.exists()

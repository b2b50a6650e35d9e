"""`qualcode tui`: an unknown coder is created only after confirmation."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli.tui import tui
from qualcode.services.coders import list_coders
from qualcode.store.db import open_project


def coders(project_dir: Path) -> list[str]:
    project = open_project(str(project_dir))
    try:
        return [c["name"] for c in list_coders(project)]
    finally:
        project.dispose()


def test_unknown_coder_declined_creates_nothing(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    launched: list[str] = []
    monkeypatch.setattr("qualcode.tui.app.QualcodeApp.run", lambda self: launched.append(self.coder))
    monkeypatch.setattr("qualcode.tui.app.settle_imports", lambda: None)  # gc.freeze is once per process
    result = CliRunner().invoke(tui, [str(project_dir), "--coder", "carol"], input="n\n")
    assert result.exit_code != 0
    assert "unknown coder 'carol'" in result.output
    assert "carol" not in coders(project_dir) and launched == []


def test_unknown_coder_confirmed_is_created_then_launched(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    launched: list[str] = []
    monkeypatch.setattr("qualcode.tui.app.QualcodeApp.run", lambda self: launched.append(self.coder))
    monkeypatch.setattr("qualcode.tui.app.settle_imports", lambda: None)  # gc.freeze is once per process
    result = CliRunner().invoke(tui, [str(project_dir), "--coder", "carol"], input="y\n")
    assert result.exit_code == 0, result.output
    assert "carol" in coders(project_dir) and launched == ["carol"]


def test_known_coder_launches_without_asking(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    launched: list[str] = []
    monkeypatch.setattr("qualcode.tui.app.QualcodeApp.run", lambda self: launched.append(self.coder))
    monkeypatch.setattr("qualcode.tui.app.settle_imports", lambda: None)  # gc.freeze is once per process
    result = CliRunner().invoke(tui, [str(project_dir), "--coder", "alice"])
    assert result.exit_code == 0 and "Create coder" not in result.output and launched == ["alice"]

"""`qualcode demo` prints where the project is before the workbench opens, and opens it as a coder."""

import sys
from pathlib import Path
from typing import Any

import pytest

from qualcode.services.coders import list_coders
from qualcode.store.db import open_project
from tests.foundation.test_cli import qc


def test_demo_prints_the_path_then_opens_as_a_coder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import qualcode.tui

    opened: list[tuple[str, str, str]] = []

    def fake_run(target: str, coder: str) -> None:
        opened.append((target, coder, sys.stdout.getvalue()))  # what was printed before it opened

    monkeypatch.setattr(qualcode.tui, "run_workbench", fake_run)
    folder = tmp_path / "my demo"
    result = qc("demo", "--path", str(folder))
    assert len(opened) == 1
    target, coder, printed_before = opened[0]
    assert target == str(folder) and str(folder) in printed_before
    project = open_project(str(folder))
    try:
        roles: dict[str, Any] = {c["name"]: c["role"] for c in list_coders(project)}
    finally:
        project.dispose()
    assert roles[coder] == "coder"
    lead = next(name for name, role in roles.items() if role == "lead")
    assert f"qualcode tui '{folder}' --coder {lead}" in result.stdout
    assert f"opening the workbench as {coder} (coder)" in printed_before

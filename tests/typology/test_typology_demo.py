"""The demo project's typology comes out as the demo was written to show (README of projects/demo)."""

from pathlib import Path

import pytest

pytest.importorskip("qualcode.services.guide", reason="the demo builder needs the importer (branch import)")
pytest.importorskip("qualcode.services.importing", reason="the demo builder needs the importer (branch import)")


@pytest.mark.slow
@pytest.mark.parametrize("source", [{}, {"coder": "lin"}, {"coder": "chen"}, {"coder": "wang"}, {"combine": "majority"}])
def test_demo_consortia_get_their_designed_types(tmp_path: Path, source: dict[str, str]) -> None:
    from qualcode.services.demo import build_demo
    from qualcode.services.typology import compute_typology

    project, _ = build_demo(tmp_path / "demo")
    try:
        result = compute_typology(project, **source)
        assert {a.case: (a.type, a.basis) for a in result.assignments} == {
            "HB-MARINE": ("GOV_LED", "rule"), "QS-AUTO": ("ENT_LED", "rule")}
        assert result.parameters["documents_without_case"] == []
        if not source or source.get("coder") in ("lin", "chen"):  # lin and chen coded all eight interviews
            assert all(a.flags == [] for a in result.assignments)
    finally:
        project.dispose()

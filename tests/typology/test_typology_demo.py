"""The demo project's typology comes out as the demo was written to show (README of projects/demo)."""

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from qualcode.services.demo import build_demo

    project, _ = build_demo(tmp_path_factory.mktemp("typology-demo") / "demo")
    yield project
    project.dispose()


@pytest.mark.parametrize(
    "source", [{}, {"coder": "lin"}, {"coder": "chen"}, {"coder": "wang"}, {"combine": "majority"}]
)
def test_demo_consortia_get_their_designed_types(demo: Any, source: dict[str, str]) -> None:
    from qualcode.services.analysis.typology import compute_typology

    result = compute_typology(demo, viewer="wang", **source)  # the demo is blind: its lead sees all
    assert {a.case: (a.type, a.basis) for a in result.assignments} == {
        "HB-MARINE": ("GOV_LED", "rule"),
        "QS-AUTO": ("ENT_LED", "rule"),
    }
    assert result.parameters["documents_without_case"] == []
    if source.get("coder") != "wang":  # wang coded a check set of two interviews per consortium
        assert all(a.flags == [] for a in result.assignments)

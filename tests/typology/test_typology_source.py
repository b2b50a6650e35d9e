"""The coding source of the typology is explicit and no case is ever dropped silently."""

import json
from pathlib import Path
from typing import Any

import pandas as pd
from typology_project import DOCS, build

from qualcode.services.analysis.typology import compute_typology
from qualcode.services.exchange.workbook import export_workbook
from tests.test_stats_cli import qc

# Only Haibin has been adjudicated: Qingshan has the two coders' coding and no consensus.
PARTLY = {
    name: (case, role, [s for s in segs if s[0] != "consensus" or case == "Haibin"])
    for name, (case, role, segs) in DOCS.items()
}


def _cases(result: Any) -> dict[str, dict[str, Any]]:
    return {c["case"]: c for c in result.to_dict()["cases"]}


def test_default_is_consensus_else_union_per_case(tmp_path: Path) -> None:
    project = build(tmp_path / "p", docs=PARTLY)
    result = compute_typology(project)
    cases = _cases(result)
    assert result.parameters["coding_source"] == "consensus-else-union"
    assert {c: v["source"] for c, v in cases.items()} == {"Haibin": "consensus", "Qingshan": "union"}
    assert cases["Qingshan"]["type"] == "ENT_LED" and cases["Qingshan"]["reason"] is None


def test_consensus_source_lists_the_case_without_consensus_with_the_reason(tmp_path: Path) -> None:
    project = build(tmp_path / "p", docs=PARTLY)
    result = compute_typology(project, consensus=True)
    cases = _cases(result)
    assert set(cases) == {"Haibin", "Qingshan"}
    assert cases["Qingshan"]["type"] == "INSUFFICIENT_DATA" and cases["Qingshan"]["basis"] == "no_coding"
    assert (
        cases["Qingshan"]["reason"] == "none of the case's documents has coding from the source (consensus)"
    )
    assert result.parameters["cases_not_coded"] == ["Qingshan"]
    assert cases["Haibin"]["type"] == "GOV_LED"
    # the not-coded case is no member of the cluster check nor of the typology table's columns
    assert "Qingshan" not in result.clusters.cases


def test_every_surface_states_the_source(tmp_path: Path) -> None:
    project = build(tmp_path / "p", docs=PARTLY)
    folder = str(tmp_path / "p")
    out_xlsx = tmp_path / "t.xlsx"
    export_workbook(project, out_xlsx, consensus=True)
    project.dispose()
    rc, out, err = qc("typology", folder, "--consensus")
    assert rc == 0, err
    assert "coding source: consensus" in out and "not typed: Qingshan: none of the case's documents" in out
    rc, out, err = qc("typology", folder, "--format", "json")
    data = json.loads(out)
    assert data["parameters"]["coding_source"] == "consensus-else-union"
    assert [c["source"] for c in data["cases"]] == ["consensus", "union"]
    readme = pd.read_excel(out_xlsx, sheet_name="README")
    items = dict(zip(readme["item"], readme["value"], strict=True))
    assert items["coding_source"] == "consensus" and "cannot be typed" in items["coding_source_meaning"]
    assign = pd.read_excel(out_xlsx, sheet_name="Assignments", index_col=0)
    assert assign.loc["Qingshan", "source"] == "consensus" and assign.loc["Qingshan", "basis"] == "no_coding"
    assert assign.loc["Qingshan", "reason"].startswith("none of the case's documents")
    rc, out, err = qc("typology", folder, "--combine", "consensus-else-union", "--format", "json")
    assert rc == 0 and json.loads(out)["parameters"]["case_sources"] == {
        "Haibin": "consensus",
        "Qingshan": "union",
    }

"""The configuration table: memberships from the typology's coverage, truth-table consistency and
coverage as Ragin defines them, and a CSV R's QCA package reads as is."""

import csv
import re
from pathlib import Path

import pytest

from qualcode.core.configuration import crisp, formula, fuzzy, in_configuration, r_name, truth_table
from qualcode.services.analysis.configuration import configuration_table, qca_grid
from qualcode.services.analysis.typology import compute_typology
from qualcode.services.demo import build_demo
from qualcode.store.db import Project
from tests.test_stats_cli import qc

LEAD = "wang"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project, _ = build_demo(tmp_path_factory.mktemp("configuration") / "demo")
    return project


def test_calibration_anchors() -> None:
    assert crisp(0.05, 0.05) == 1.0 and crisp(0.049, 0.05) == 0.0
    assert fuzzy(0.0, 0.1, 0.4) == 0.0 and fuzzy(0.1, 0.1, 0.4) == 0.5 and fuzzy(0.4, 0.1, 0.4) == 1.0
    assert fuzzy(0.05, 0.1, 0.4) == 0.25 and fuzzy(0.25, 0.1, 0.4) == 0.75 and fuzzy(0.9, 0.1, 0.4) == 1.0


def test_consistency_and_coverage_by_hand() -> None:
    # Two conditions A, B; outcome y. Fuzzy memberships chosen so the sums are easy to follow.
    cases = {"c1": [0.9, 0.8], "c2": [0.7, 0.9], "c3": [0.2, 0.6], "c4": [0.1, 0.3]}
    y = {"c1": 0.8, "c2": 0.6, "c3": 0.7, "c4": 0.2}
    rows = {r.present: r for r in truth_table(cases, y)}
    ab = rows[(True, True)]
    assert ab.cases == ("c1", "c2")
    # X = min(A, B): c1 0.8, c2 0.7, c3 0.2, c4 0.1; min(X, y): 0.8, 0.6, 0.2, 0.1
    assert ab.consistency == pytest.approx(1.7 / 1.8, abs=1e-6)
    assert ab.coverage == pytest.approx(1.7 / 2.3, abs=1e-6)
    not_a_b = rows[(False, True)]
    # X = min(1 - A, B): 0.1, 0.3, 0.6, 0.3; min(X, y): 0.1, 0.3, 0.6, 0.2
    assert not_a_b.cases == ("c3",) and not_a_b.consistency == pytest.approx(1.2 / 1.3, abs=1e-6)
    assert set(rows) == {(True, True), (False, True), (False, False)}
    assert in_configuration([0.9, 0.2], [True, False]) == pytest.approx(0.8)
    assert formula(["A", "B", "C"], [True, False, True]) == "A*~B*C"


def test_crisp_consistency_is_the_share_of_cases_with_the_outcome() -> None:
    cases = {f"c{i}": [1.0, 0.0] for i in range(4)} | {"d": [0.0, 0.0]}
    y = {"c0": 1.0, "c1": 1.0, "c2": 1.0, "c3": 0.0, "d": 1.0}
    row = next(r for r in truth_table(cases, y) if r.present == (True, False))
    assert row.consistency == 0.75 and row.coverage == 0.75


def test_case_at_the_crossover_belongs_to_no_configuration() -> None:
    rows = truth_table({"a": [0.5, 0.9], "b": [0.9, 0.9]}, None)
    assert [r.cases for r in rows] == [("b",)]


def test_r_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    names = [r_name(k, taken) for k in ("TAL", "TEC.RND", "tec-rnd", "1ST", "人才")]
    assert names == ["TAL", "TEC_RND", "TEC_RND_2", "C_1ST", "C"]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", n) for n in names)


def test_memberships_follow_the_typology_coverage(demo: Project) -> None:
    typology = compute_typology(demo, viewer=LEAD)
    report = configuration_table(demo, viewer=LEAD, threshold=0.2, outcome="ENT_LED")
    assert report["conditions"] == ["TAL", "TEC", "ADM"]
    assert report["coding_source"] == typology.parameters["coding_source"]
    profiles = {p.case: p for p in typology.profiles}
    types = {a.case: a.type for a in typology.assignments}
    for row in report["cases"]:
        for key in report["conditions"]:
            coverage = profiles[row["case"]].measures.coverage.get(key, 0.0)
            assert row["coverage"][key] == pytest.approx(coverage, abs=1e-6)
            assert row["membership"][key] == (1.0 if coverage >= 0.2 else 0.0)
        assert row["type"] == types[row["case"]]
        assert row["outcome"] == (1.0 if types[row["case"]] == "ENT_LED" else 0.0)
    assert sum(c["n_cases"] for c in report["configurations"]) == len(report["cases"])


def test_qca_csv_reads_as_r_reads_it(demo: Project, tmp_path: Path) -> None:
    out = tmp_path / "qca.csv"
    code, _out, err = qc(
        "configuration", str(demo.folder), "--as", LEAD, "--fuzzy", "--outcome", "TEC.RND", "--qca", str(out)
    )
    assert code == 0, err
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    report = configuration_table(demo, viewer=LEAD, kind="fuzzy", outcome="TEC.RND")
    header, grid = qca_grid(report)
    assert rows[0] == header == ["case", "TAL", "TEC", "ADM", "TEC_RND"]
    for line, expected in zip(rows[1:], grid, strict=True):
        assert line[0] == expected[0]
        assert [float(v) for v in line[1:]] == pytest.approx(expected[1:])
        assert all(0.0 <= float(v) <= 1.0 for v in line[1:])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--outcome", "NOPE"], "unknown outcome"),
        (["--condition", "NOPE"], "unknown condition"),
        (["--threshold", "1.5"], "between 0 and 1"),
        (["--condition", "TAL", "--outcome", "TAL"], "also a condition"),
        (["--qca", "out.txt"], "must end in .csv"),
    ],
)
def test_bad_input_is_refused(demo: Project, args: list[str], message: str) -> None:
    code, out, err = qc("configuration", str(demo.folder), "--as", LEAD, *args)
    assert code == 2 and not out and message in err

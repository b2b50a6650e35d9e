"""Roles read against the role vocabulary, one attribute resolver, and `qualcode attributes`."""

import json
from pathlib import Path
from typing import Any

import pytest
from typology_project import build

from qualcode.core.attributes import attribute_value, read_role
from qualcode.services.analysis.typology import compute_typology
from qualcode.services.coders import add_coder
from qualcode.services.coding.workbench import documents_overview
from tests.test_stats_cli import qc

SEGS = [
    ("consensus", "ADM.POLICY", 1, 0, 60),
    ("consensus", "ACT.GOV", 1, 0, 20),
    ("consensus", "TEC.RND", 3, 0, 30),
]


@pytest.mark.parametrize(
    ("value", "role", "title"),
    [
        ("院校领导（某职业学院副院长）", "college leader", "某职业学院副院长"),
        (
            "Government official (deputy director, bureau of industry)",
            "government official",
            "deputy director, bureau of industry",
        ),
        ("企业高管，某新能源公司总经理", "corporate executive", "某新能源公司总经理"),
        ("Research experts", "research expert", None),
        ("政府官员", "government official", None),
    ],
)
def test_role_values_map_on_the_leading_term(value: str, role: str, title: str | None) -> None:
    reading = read_role(value)
    assert (reading.role, reading.title, reading.mapped) == (role, title, True)


def test_unknown_role_is_not_guessed_from_a_single_word() -> None:
    reading = read_role("Executive director of the consortium secretariat")
    assert not reading.mapped and reading.role == "Executive director of the consortium secretariat"
    assert read_role("某市教育局副局长").mapped is False
    assert read_role("主任", {"主任": "government official"}).role == "government official"


def test_one_resolver_blank_values_are_absent_and_aliases_apply() -> None:
    attrs = {"Role": "", "身份": "政府官员", "城市": "青山市"}
    assert attribute_value(attrs, "role") == "政府官员"
    assert attribute_value(attrs, "City", {"city": {"青山市": "Qingshan City"}}) == "Qingshan City"


def _titled(tmp_path: Path) -> Any:
    docs = {
        "A-gov": ("青山市", "政府官员（青山市教育局副局长）", SEGS),
        "A-ent": ("Qingshan City", "Corporate executive (general manager, Qingshan Energy)", SEGS),
        "B-gov": ("Haibin", "Government official (deputy director, bureau of industry)", SEGS),
        "B-ent": ("Haibin", "企业高管，某公司总经理", SEGS),
    }
    project = build(tmp_path / "p", docs=docs, chinese=frozenset({"A-gov", "B-ent"}))
    add_coder(project, "lead", role="lead")
    return project


def test_role_titles_do_not_flag_role_imbalance_and_workbench_agrees(tmp_path: Path) -> None:
    project = _titled(tmp_path)
    result = compute_typology(project, consensus=True)
    assert result.parameters["expected_roles"] == ["corporate executive", "government official"]
    flags = {c["case"]: c["flags"] for c in result.to_dict()["cases"]}
    assert flags["Haibin"] == []  # both roles, each written with a title in its own language
    # The workbench reads the same role as the typology (one resolver).
    roles = {d["name"]: d["role"] for d in documents_overview(project, "lead")}
    assert roles == {
        "A-ent": "corporate executive",
        "A-gov": "government official",
        "B-ent": "corporate executive",
        "B-gov": "government official",
    }


def test_attributes_alias_makes_two_spellings_one_case_and_undo_reverts(tmp_path: Path) -> None:
    project = _titled(tmp_path)
    assert {p.case for p in compute_typology(project, consensus=True).profiles} == {
        "Haibin",
        "Qingshan City",
        "青山市",
    }
    folder = str(tmp_path / "p")
    project.dispose()
    rc, out, err = qc(
        "attributes", "alias", folder, "Consortium", "青山市", "--to", "Qingshan City", "--by", "lead"
    )
    assert rc == 0, err
    rc, out, err = qc("typology", folder, "--consensus", "--format", "json")
    assert rc == 0, err
    assert sorted(c["case"] for c in json.loads(out)["cases"]) == ["Haibin", "Qingshan City"]
    rc, out, err = qc("attributes", "list", folder, "--format", "json")
    values = {(v["value"], v["reads_as"]) for a in json.loads(out)["attributes"] for v in a["values"]}
    assert ("青山市", "Qingshan City") in values
    rc, out, err = qc("code", "undo", folder, "--coder", "lead")
    assert rc == 0, err
    rc, out, err = qc("typology", folder, "--consensus", "--format", "json")
    assert sorted(c["case"] for c in json.loads(out)["cases"]) == ["Haibin", "Qingshan City", "青山市"]


def test_attributes_set_and_rename_are_undoable(tmp_path: Path) -> None:
    project = _titled(tmp_path)
    folder = str(tmp_path / "p")
    project.dispose()
    rc, out, err = qc("attributes", "set", folder, "B-ent", "Role", "某市教育局副局长", "--by", "lead")
    assert rc == 0, err
    rc, out, err = qc("docs", "list", folder)
    assert "warning: role '某市教育局副局长' matches no role" in err
    rc, out, err = qc("attributes", "rename", folder, "Consortium", "Haibin", "Haibin City", "--by", "lead")
    assert rc == 0 and "in 2 documents" in out, err
    rc, out, err = qc("docs", "list", folder, "--format", "json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["B-gov"]["attributes"]["Consortium"] == "Haibin City"
    assert rows["B-gov"]["role_title"] == "deputy director, bureau of industry"
    for _ in range(2):
        assert qc("code", "undo", folder, "--coder", "lead")[0] == 0
    rc, out, err = qc("docs", "list", folder, "--format", "json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["B-gov"]["attributes"]["Consortium"] == "Haibin"
    assert rows["B-ent"]["role"] == "corporate executive" and rows["B-ent"]["role_mapped"] is True


def test_attributes_bad_input_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    project = _titled(tmp_path)
    folder = str(tmp_path / "p")
    project.dispose()
    before = qc("docs", "list", folder, "--format", "json")[1]
    for args in (
        ("set", folder, "nope", "Role", "x", "--by", "lead"),
        ("set", folder, "A-gov", "Role", "x", "--by", "alice"),  # not a lead
        ("rename", folder, "Consortium", "Nowhere", "X", "--by", "lead"),
        ("alias", folder, "Consortium", "   ", "--to", "X", "--by", "lead"),
    ):
        rc, out, err = qc("attributes", *args)
        assert rc == 2 and err.startswith("error: ") and err.count("\n") == 1, (args, err)
    assert qc("docs", "list", folder, "--format", "json")[1] == before

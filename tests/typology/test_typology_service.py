"""The typology of a project: case units, coding sources, profiles by hand, and every bad parameter."""

import json
from typing import Any

import pytest
from typology_project import DOCS, RULES, twelve_consortia

from qualcode.core.errors import QualcodeError
from qualcode.services.analysis.typology import compute_typology


def by_case(result: Any) -> dict[str, Any]:
    return {c["case"]: c for c in result.to_dict()["cases"]}


def test_consensus_typology_of_the_two_consortia(project: Any) -> None:
    result = compute_typology(project)
    cases = by_case(result)
    # The default source: per case the consensus where the case has any (both cases here).
    assert (
        result.parameters["coding_source"] == "consensus-else-union"
        and result.parameters["case_unit"] == "Consortium"
    )
    assert {c["source"] for c in cases.values()} == {"consensus"}
    assert (cases["Haibin"]["type"], cases["Haibin"]["basis"]) == ("GOV_LED", "rule")
    assert (cases["Qingshan"]["type"], cases["Qingshan"]["basis"]) == ("ENT_LED", "rule")
    assert cases["Qingshan"]["flags"] == ["role_imbalance:school"] and cases["Haibin"]["flags"] == []
    # by hand: every answer turn has 90 characters, a document 180 respondent characters.
    # Qingshan-gov TEC 70/180, Qingshan-ent TEC (80+30)/180; mean of the two role means:
    q = cases["Qingshan"]["profile"]
    assert q["raw.dim.TEC"] == pytest.approx((70 / 180 + 110 / 180) / 2)
    assert q["raw.dim.ADM"] == pytest.approx((20 / 180) / 2)
    assert q["dim.TEC"] == pytest.approx(0.5 / (0.5 + 20 / 360)) and q["act.ENT"] == 1.0
    assert q["park_carrier"] is True  # TEC.CTP coded in Qingshan-ent
    assert cases["Haibin"]["scores"]["GOV_LED"] == pytest.approx(
        0.5 * 1.0 + 0.5 * cases["Haibin"]["profile"]["dim.ADM"]
    )
    assert result.to_dict()["clusters"]["skipped"].startswith("only 2 cases")
    json.dumps(result.to_dict(), ensure_ascii=False)  # JSON-able


def test_overlapping_segments_count_once_and_interviewer_text_never(make_project: Any) -> None:
    docs = {
        "D": (
            "X",
            "government",
            [
                ("consensus", "ADM.POLICY", 1, 0, 60),
                ("consensus", "ADM.SPACE", 1, 30, 90),  # overlap 30..60
                ("consensus", "TEC.RND", 0, 0, 10),  # interviewer turn: ignored
                ("consensus", "ACT.GOV", 1, 0, 5),
            ],
        )
    }
    result = compute_typology(make_project(docs=docs))
    profile = by_case(result)["X"]["profile"]
    assert profile["raw.dim.ADM"] == pytest.approx(90 / 180) and profile["raw.dim.TEC"] == 0.0


def test_single_coder_union_and_majority(project: Any) -> None:
    alice = by_case(compute_typology(project, coder="alice"))
    assert alice["Haibin"]["profile"]["raw.act.SCH"] == pytest.approx(
        1 / 3
    )  # one ACT.SCH in the school's interview
    union = compute_typology(project, combine="union")
    assert union.parameters["coders"] == ["alice", "bob"] and union.parameters["coding_source"] == "union"
    majority = by_case(compute_typology(project, combine="majority"))
    # Qingshan-ent (alice and bob): TEC.RND alice 0-80, bob 10-80 -> both needed: 10-80 = 70; TEC.CTP only alice.
    # Qingshan-gov was coded by alice alone, so her coding is the majority there: TEC.RND 70.
    assert majority["Qingshan"]["profile"]["raw.dim.TEC"] == pytest.approx((70 / 180 + 70 / 180) / 2)


def test_every_document_a_case_and_documents_without_the_attribute(make_project: Any) -> None:
    result = compute_typology(make_project(), case_attribute="document")
    assert sorted(c["case"] for c in result.to_dict()["cases"]) == sorted(DOCS)
    assert all(not any(f.startswith("role_imbalance") for f in c["flags"]) for c in result.to_dict()["cases"])


def test_aggregation_can_be_changed(project: Any) -> None:
    pooled = by_case(compute_typology(project, aggregation="pooled"))
    assert pooled["Qingshan"]["profile"]["raw.dim.TEC"] == pytest.approx(180 / 360)
    with pytest.raises(QualcodeError, match="unknown aggregation 'median'"):
        compute_typology(project, aggregation="median")


def bad_rule() -> dict[str, Any]:
    rules = json.loads(json.dumps(RULES))
    rules["types"][1]["rule"] = "act.PARK >= 0.35 and park_carier"
    return rules


@pytest.mark.parametrize(
    ("kwargs", "build", "message"),
    [
        (
            {"case_attribute": "City"},
            {},
            "no document has the attribute 'City' to define cases (attributes: Consortium, Role",
        ),
        ({"role_attribute": "Job"}, {}, "no document has the role attribute 'Job'"),
        ({"coder": "carol"}, {}, "unknown coder 'carol' (coders: alice, bob, consensus)"),
        ({"coder": "alice", "consensus": True}, {}, "choose one coding source"),
        ({"combine": "any"}, {}, "unknown way to combine coders 'any'"),
        (
            {},
            {"docs": {k: (v[0], v[1], []) for k, v in DOCS.items()}},
            "no coded segments to build a typology from",
        ),
        (
            {"consensus": True},
            {"docs": {k: (v[0], v[1], [s for s in v[2] if s[0] != "consensus"]) for k, v in DOCS.items()}},
            "the project has no consensus coding yet",
        ),
        ({}, {"typology": None}, "the project has no typology definitions"),
        ({}, {"typology": bad_rule()}, "typology type PARK_HUB rule uses the unknown variable 'park_carier'"),
    ],
)
def test_bad_parameters_get_a_clear_error(
    make_project: Any, kwargs: dict[str, Any], build: dict[str, Any], message: str
) -> None:
    project = make_project(**build)
    with pytest.raises(QualcodeError) as info:
        compute_typology(project, **kwargs)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_cluster_check_runs_with_enough_cases_and_never_relabels(make_project: Any) -> None:
    result = compute_typology(make_project(docs=twelve_consortia()))
    types = {c["case"]: c["type"] for c in result.to_dict()["cases"]}
    assert [types[f"K{i:02d}"] for i in range(3)] == ["GOV_LED", "ENT_LED", "SCH_LED"]
    clusters = result.to_dict()["clusters"]
    assert clusters["skipped"] is None and clusters["best_k"] == 3
    assert clusters["adjusted_rand_index"] == pytest.approx(1.0)
    assert all(c["jaccard_mean"] > 0.9 and c["size"] == 4 for c in clusters["clusters"])
    assert sorted(clusters["crosstab"]) == ["ENT_LED", "GOV_LED", "SCH_LED"]
    assert set(clusters["silhouette"]) == {"2", "3", "4", "5"}
    again = compute_typology(make_project(docs=twelve_consortia())).to_dict()["clusters"]
    assert again == clusters  # seeded bootstrap: the same numbers every time
    assert {c["case"]: c["type"] for c in result.to_dict()["cases"]} == types


def test_with_the_shipped_codebook_loaded_by_the_codebook_service(tmp_path: Any) -> None:
    import hashlib
    from pathlib import Path

    from sqlmodel import select

    from qualcode.services.codebook.curation import load_codebook
    from qualcode.store.db import init_project
    from qualcode.store.models import Code, Coder, Document, DocumentAttribute, Segment

    shipped = Path(__file__).resolve().parents[2] / "codebooks" / "industry-education-consortium.yaml"
    project = init_project(str(tmp_path / "real"))
    load_codebook(project, shipped)
    text = "受访者：" + "我们这里主要是政府统筹，市里出台了专门的政策和资金。" * 4
    plan = {
        "A-gov": ("A", "government", [("ADM.POLICY", 4, 60), ("ACT.GOV", 4, 20)]),
        "B-ent": ("B", "enterprise", [("TEC.RND", 4, 70), ("TEC.CTP", 10, 40), ("ACT.ENT", 4, 20)]),
    }
    with project.write() as s:
        codes = {c.key: c.id for c in s.exec(select(Code)).all()}
        coder = Coder(name="consensus", role="lead")
        s.add(coder)
        s.flush()
        for name, (case, role, segs) in plan.items():
            doc = Document(
                name=name, text=text, length=len(text), sha256=hashlib.sha256(text.encode()).hexdigest()
            )
            s.add(doc)
            s.flush()
            s.add(DocumentAttribute(document_id=doc.id, key="Case", value=case))
            s.add(DocumentAttribute(document_id=doc.id, key="Role", value=role))
            for key, a, b in segs:
                s.add(Segment(document_id=doc.id, coder_id=coder.id, code_id=codes[key], start=a, end=b))
    result = compute_typology(project)
    assert result.parameters["case_unit"] == "Case" and result.parameters["typology"] == "consortium-models"
    assert {a.case: a.type for a in result.assignments} == {"A": "GOV_LED", "B": "ENT_LED"}


def test_chinese_headers_and_role_names_count_as_their_english_equivalents(make_project: Any) -> None:
    docs = {
        "H-gov-zh": (
            "Haibin",
            "政府官员",
            [("consensus", "ADM.POLICY", 1, 0, 60), ("consensus", "ACT.GOV", 1, 0, 20)],
        ),
        "H-ent-en": ("Haibin", "corporate executive", [("consensus", "ADM.POLICY", 1, 0, 60)]),
        "Q-gov-en": (
            "Qingshan",
            "government official",
            [("consensus", "TEC.RND", 1, 0, 60), ("consensus", "ACT.ENT", 1, 0, 20)],
        ),
        "Q-ent-zh": ("Qingshan", "企业高管", [("consensus", "TEC.RND", 1, 0, 60)]),
    }
    result = compute_typology(make_project(docs=docs, chinese=frozenset({"H-gov-zh", "Q-ent-zh"})))
    cases = by_case(result)
    assert result.parameters["documents_without_case"] == []
    assert result.parameters["expected_roles"] == ["corporate executive", "government official"]
    assert cases["Haibin"]["profile"]["roles"] == ["corporate executive", "government official"]
    assert cases["Haibin"]["flags"] == [] and cases["Qingshan"]["flags"] == []
    assert (cases["Haibin"]["type"], cases["Qingshan"]["type"]) == ("GOV_LED", "ENT_LED")


def test_documents_the_coder_never_worked_on_do_not_count_as_zero(make_project: Any) -> None:
    bob = compute_typology(make_project(), coder="bob")
    # bob coded neither Haibin-sch nor Qingshan-gov: they are left out, not averaged in as 0 %
    assert bob.parameters["documents_not_coded"] == ["Haibin-sch", "Qingshan-gov"]
    cases = by_case(bob)
    assert cases["Haibin"]["profile"]["documents"] == ["Haibin-ent", "Haibin-gov"]
    assert cases["Qingshan"]["profile"]["raw.dim.TEC"] == pytest.approx(70 / 180)
    assert "role_imbalance:government official+school" in cases["Qingshan"]["flags"]

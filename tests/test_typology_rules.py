"""Rule-based typing: the worked example of the research note, every basis, and bad rule files."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from qualcode.core.errors import QualcodeError
from qualcode.core.profiles import CaseMeasures
from qualcode.core.typology import (
    INSUFFICIENT,
    UNCLASSIFIED,
    Quote,
    anchor_segments,
    assign,
    build_profile,
    typology_table,
)
from qualcode.core.typology_spec import spec_from_dict

LAYOUTS = json.loads((Path(__file__).parent / "data" / "typology_rules.json").read_text(encoding="utf-8"))
RULES = LAYOUTS["stored_layout"]  # as core/codebook_typology.Typology.to_dict() stores it


def rules(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(RULES)
    data.update(changes)
    return data


SPEC = spec_from_dict(RULES)


def measures(
    cov: dict[str, float],
    freq: dict[str, float],
    case: str = "C",
    present: set[str] | None = None,
    missing: list[str] | None = None,
) -> CaseMeasures:
    codes = set(present or set()) | {k for k, v in freq.items() if v}
    return CaseMeasures(case, [f"{case}.txt"], ["gov"], 1000, cov, freq, frozenset(codes), missing or [])


def test_worked_example_of_the_research_note() -> None:
    # domain-typology.md §5: coverage TAL .12 TEC .06 ADM .18, ACT GOV 3 PARK 2
    m = measures({"TAL": 0.12, "TEC": 0.06, "ADM": 0.18}, {"ACT.GOV": 3, "ACT.PARK": 2})
    p = build_profile(SPEC, m)
    assert p.groups["dim"].values == pytest.approx({"dim.TAL": 1 / 3, "dim.TEC": 1 / 6, "dim.ADM": 0.5})
    assert p.groups["act"].values == pytest.approx(
        {"act.GOV": 0.6, "act.PARK": 0.4, "act.ENT": 0.0, "act.SCH": 0.0}
    )
    a = assign(SPEC, p)
    assert (a.type, a.basis) == ("GOV_LED", "rule")
    assert a.rules == {"GOV_LED": True, "PARK_HUB": False, "ENT_LED": False, "SCH_LED": False}
    assert a.scores["GOV_LED"] == pytest.approx(0.55)
    assert a.scores["PARK_HUB"] == pytest.approx(0.5 * 0.4 + 0.5 * (1 - (0.5 - 1 / 6)))
    assert a.scores["ENT_LED"] == pytest.approx(0.5 / 6) and a.scores["SCH_LED"] == pytest.approx(1 / 6)
    assert a.margin == pytest.approx(0.55 - 0.533333, abs=1e-6)
    assert "near_hybrid" in a.flags


def test_score_when_no_rule_fires_and_hybrid_when_close() -> None:
    # ENT leads but the TEC share .3 misses .35: no rule; scores ENT .55, PARK .45, GOV .3
    m = measures({"TAL": 0.06, "TEC": 0.06, "ADM": 0.08}, {"ACT.ENT": 4, "ACT.GOV": 1})
    a = assign(SPEC, build_profile(SPEC, m))
    assert (a.type, a.basis) == ("ENT_LED", "score") and "no_rule_fired" in a.flags
    assert a.margin == pytest.approx(0.1)
    # exactly at the margin of 0.05 (GOV .5, ENT .45): floating point must not turn it into a tie
    edge = measures({"TAL": 0.02, "TEC": 0.06, "ADM": 0.12}, {"ACT.ENT": 3, "ACT.GOV": 2})
    e = assign(SPEC, build_profile(SPEC, edge))
    assert (e.type, e.basis, e.margin) == ("GOV_LED", "score", 0.05)
    # two rules fire (dims .2/.4/.4, ENT and GOV share the lead): scores tie at .45 -> hybrid
    close = measures({"TAL": 0.1, "TEC": 0.2, "ADM": 0.2}, {"ACT.ENT": 1, "ACT.GOV": 1})
    b = assign(SPEC, build_profile(SPEC, close))
    assert b.rules == {"GOV_LED": True, "PARK_HUB": False, "ENT_LED": True, "SCH_LED": False}
    assert (b.type, b.basis, b.margin) == ("HYBRID:ENT_LED+GOV_LED", "score_tie", 0.0)
    assert "rules_tied:GOV_LED+ENT_LED" in b.flags


def test_fallback_without_actor_codes_and_unclassified() -> None:
    m = measures({"TAL": 0.05, "TEC": 0.2, "ADM": 0.05}, {"TEC.RND": 4})
    a = assign(SPEC, build_profile(SPEC, m))
    assert (a.type, a.basis) == ("ENT_LED", "fallback") and "missing:act" in a.flags
    assert (
        a.scores == {"GOV_LED": None, "PARK_HUB": None, "ENT_LED": None, "SCH_LED": None} and a.margin is None
    )
    flat = measures({"TAL": 0.1, "TEC": 0.1, "ADM": 0.1}, {"TEC.RND": 4})
    assert assign(SPEC, build_profile(SPEC, flat)).type == UNCLASSIFIED


def test_park_rule_uses_present_and_derived_variables() -> None:
    m = measures({"TAL": 0.1, "TEC": 0.1, "ADM": 0.1}, {"ACT.PARK": 3, "ACT.GOV": 1, "ADM.SPACE": 1})
    p = build_profile(SPEC, m)
    assert p.derived == {"dim_range": pytest.approx(0.0), "park_carrier": True}
    assert assign(SPEC, p).type == "PARK_HUB"


def test_insufficient_data_and_missing_roles_are_flagged() -> None:
    m = measures({"TAL": 0.01, "TEC": 0.01, "ADM": 0.01}, {"ACT.GOV": 5}, missing=["ent", "sch"])
    a = assign(SPEC, build_profile(SPEC, m))
    assert (a.type, a.basis) == (INSUFFICIENT, "insufficient_data")
    assert "role_imbalance:ent+sch" in a.flags and "insufficient_data:dim" in a.flags
    empty = assign(SPEC, build_profile(SPEC, measures({}, {})))
    # Kleene logic: PARK_HUB is false because park_carrier is false, whatever the missing shares
    assert empty.type == INSUFFICIENT and empty.rules == {
        "GOV_LED": None,
        "PARK_HUB": False,
        "ENT_LED": None,
        "SCH_LED": None,
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"types": [{**RULES["types"][0], "rule": "act.GOVV >= 0.3"}]},
            "type GOV_LED rule uses the unknown variable 'act.GOVV'",
        ),
        (
            {"types": [{**RULES["types"][0], "score": "max(foo)"}]},
            "type GOV_LED score uses the unknown group 'foo'",
        ),
        (
            {"types": [{**RULES["types"][0], "rule": "act.GOV >= "}]},
            "type GOV_LED rule: column 12: not a valid rule",
        ),
        ({"types": []}, "the typology defines no types"),
        ({"aggregation": "loudest"}, "aggregation 'loudest' is not one of"),
        ({"groups": []}, "defines no variable groups"),
        ({"assignment": {"order": ["rule", "vote"]}}, "assignment order"),
        ({"types": [RULES["types"][0], RULES["types"][0]]}, "defines type GOV_LED twice"),
    ],
)
def test_bad_rule_files_are_refused(change: dict, message: str) -> None:
    with pytest.raises(QualcodeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        spec_from_dict(rules(**change))


def test_present_must_name_a_known_code() -> None:
    with pytest.raises(QualcodeError, match=r"present\(ADM.SPACE\) but the project has no code ADM.SPACE"):
        spec_from_dict(
            RULES, known_codes={"TAL", "TEC", "ADM", "TEC.CTP", "ACT.GOV", "ACT.PARK", "ACT.ENT", "ACT.SCH"}
        )
    with pytest.raises(
        QualcodeError, match="group act measures ACT.SCH, which is not a code of this project"
    ):
        spec_from_dict(RULES, known_codes={"TAL", "TEC", "ADM", "ACT.GOV", "ACT.PARK", "ACT.ENT"})


def test_research_layout_is_read_the_same_way() -> None:
    research = spec_from_dict(LAYOUTS["research_layout"])
    assert [g.name for g in research.groups] == ["dim", "act"] and research.groups[0].min_total == 0.05
    assert [t.texts() for t in research.types] == [t.texts() for t in SPEC.types]
    assert list(research.derived) == ["dim_range", "park_carrier"]


def test_anchors_and_typology_table() -> None:
    m1 = measures({"TAL": 0.12, "TEC": 0.06, "ADM": 0.18}, {"ACT.GOV": 3, "ACT.PARK": 2}, case="A")
    m2 = measures({"TAL": 0.01, "TEC": 0.01, "ADM": 0.01}, {}, case="B")
    profiles = [build_profile(SPEC, m) for m in (m1, m2)]
    assignments = [assign(SPEC, p) for p in profiles]
    quotes = [
        Quote("A", "a.txt", "ACT.GOV", "ACT", 0, 10, "short"),
        Quote("A", "a.txt", "ACT.GOV", "ACT", 20, 60, "long"),
        Quote("A", "a.txt", "ADM.FIN", "ADM", 70, 90, "adm"),
        Quote("B", "b.txt", "ACT.GOV", "ACT", 0, 99, "other type"),
    ]
    anchors = anchor_segments(SPEC, assignments, quotes, per_code=1)
    assert [(x.type, x.defining, x.quote.text) for x in anchors] == [
        ("GOV_LED", "ACT.GOV", "long"),
        ("GOV_LED", "ADM", "adm"),
    ]
    columns, rows = typology_table(SPEC, profiles, assignments, ["ACT.GOV"])
    assert columns == ["GOV_LED", "PARK_HUB", "ENT_LED", "SCH_LED", INSUFFICIENT, "ALL"]
    table = {name: values for name, _, values in rows}
    assert table["n"] == [1, 0, 0, 0, 1, 2]
    assert table["dim.ADM"][0] == pytest.approx(0.5) and table["ACT.GOV"] == [
        100.0,
        None,
        None,
        None,
        0.0,
        50.0,
    ]
    assert table["act.GOV"] == [pytest.approx(0.6), None, None, None, None, pytest.approx(0.6)]
    assert table["park_carrier"] == [0.0, None, None, None, 0.0, 0.0]  # true/false: share of cases


def test_anchor_strength_is_coverage_when_given() -> None:
    m = measures({"TAL": 0.12, "TEC": 0.06, "ADM": 0.18}, {"ACT.GOV": 3, "ACT.PARK": 2}, case="A")
    assignments = [assign(SPEC, build_profile(SPEC, m))]
    long_in_long_doc = Quote("A", "en.txt", "ACT.GOV", "ACT", 0, 90, "long", weight=90 / 3000)
    short_in_short_doc = Quote("A", "zh.txt", "ACT.GOV", "ACT", 0, 30, "short", weight=30 / 600)
    anchors = anchor_segments(SPEC, assignments, [long_in_long_doc, short_in_short_doc], per_code=2)
    assert [a.quote.text for a in anchors if a.defining == "ACT.GOV"] == ["short", "long"]


def test_attribute_space_cells_and_their_types() -> None:
    from qualcode.core.typology import attribute_space

    gov = build_profile(
        SPEC, measures({"TAL": 0.1, "TEC": 0.1, "ADM": 0.3}, {"ACT.GOV": 3, "ACT.ENT": 1}, case="G")
    )
    off = build_profile(SPEC, measures({"TAL": 0.1, "TEC": 0.3, "ADM": 0.1}, {"ACT.GOV": 3}, case="X"))
    none = build_profile(SPEC, measures({"TAL": 0.1, "TEC": 0.3, "ADM": 0.1}, {}, case="N"))
    rows = {(r[0], r[1]): r[2:] for r in attribute_space(SPEC, [gov, off, none])}
    assert rows[("ACT.GOV", "ADM")] == (1, "G", "GOV_LED")
    assert rows[("ACT.GOV", "TEC")] == (1, "X", "(hybrid / none)")
    assert rows[("none", "TEC")] == (1, "N", "(hybrid / none)")
    assert rows[("ACT.ENT", "TEC")] == (0, "", "ENT_LED") and rows[("ACT.SCH", "TAL")] == (0, "", "SCH_LED")
    assert rows[("ACT.PARK", "ADM")] == (0, "", "PARK_HUB if balanced")

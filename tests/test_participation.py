"""Who is compared: one rule (core.participation) for agree, adjudicate and the reports."""

import json
from pathlib import Path

import numpy as np
import pytest

from qualcode.core.participation import PARTICIPATION_RULE, reason_left_out, takes_part
from qualcode.services.agreement.consensus import disagreement_listing, list_disagreements
from qualcode.services.agreement.project_report import agreement_report
from qualcode.store.models import Coder
from tests.agreement_project import build, code, done


def test_rule_for_each_kind_of_coder() -> None:
    assert takes_part("coder", False, True, False) is True
    assert takes_part("coder", False, False, True) is False
    assert takes_part("lead", False, True, False) is False  # reviewed, coded nothing
    assert takes_part("lead", False, False, True) is False  # coded a few spans, not done
    assert takes_part("lead", False, True, True) is True
    assert takes_part("lead", True, True, False) is True  # named with --coders
    assert takes_part("pseudo", False, False, True) is False
    assert takes_part("pseudo", True, False, True) is True
    assert reason_left_out("lead", False, True, False) == "lead who did not code in this document"
    assert reason_left_out("coder", False, False, True) == "has not marked the document done"
    # Elementwise over documents, as the agreement frame applies it.
    got = takes_part("lead", False, np.array([True, True, False]), np.array([True, False, True]))
    assert got.tolist() == [True, False, False]


@pytest.fixture
def two_coders_and_a_lead(tmp_path: Path):  # type: ignore[no-untyped-def]
    project, ids = build(tmp_path)
    with project.write() as s:
        lead = Coder(name="zhao", role="lead")
        s.add(lead)
        s.flush()
        ids["zhao"] = lead.id  # type: ignore[assignment]
    # lin and chen agree exactly on two passages and differ on one.
    for c in ("lin", "chen"):
        code(project, ids, c, "doc1", "TAL.PROG", "储能专业")
        code(project, ids, c, "doc1", "TAL.BASE", "实训基地")
        done(project, ids, c, "doc1")
    code(project, ids, "lin", "doc1", "ADM.FUND", "学生很多")
    return project, ids


def test_lead_who_marked_done_but_coded_nothing_is_not_compared(two_coders_and_a_lead) -> None:  # type: ignore[no-untyped-def]
    project, ids = two_coders_and_a_lead
    done(project, ids, "zhao", "doc1")
    listing = disagreement_listing(project, "doc1")
    assert listing["coders"] == ["chen", "lin"]
    assert {"coder": "zhao", "reason": "lead who did not code in this document"} in listing["not_compared"]
    assert listing["participation_rule"] == PARTICIPATION_RULE
    # Only the real disagreement is open; the two agreements stay agreements.
    assert [(p["code"], p["coders_without"]) for p in listing["places"]] == [("ADM.FUND", ["chen"])]
    report = agreement_report(project)
    # wang (a coder with nothing done) stays a column, missing throughout; the lead is no column.
    assert report["coders"] == ["chen", "lin", "wang"] and "zhao" in report["excluded_coders"]
    assert report["participation_rule"] == PARTICIPATION_RULE
    assert any("zhao" in n for n in report["notes"])


def test_lead_who_coded_a_few_spans_without_done_changes_nothing(two_coders_and_a_lead) -> None:  # type: ignore[no-untyped-def]
    project, ids = two_coders_and_a_lead
    for piece in ("储能专业", "实训基地", "企业提供"):
        code(project, ids, "zhao", "doc1", "TAL.PROG", piece)
    places = list_disagreements(project, "doc1")
    assert [(p["code"], p["coders_without"]) for p in places] == [("ADM.FUND", ["chen"])]
    assert "zhao" not in agreement_report(project)["coders"]


def test_lead_named_with_coders_takes_part_where_done(two_coders_and_a_lead) -> None:  # type: ignore[no-untyped-def]
    project, ids = two_coders_and_a_lead
    done(project, ids, "zhao", "doc1")
    listing = disagreement_listing(project, "doc1", coders=["lin", "zhao"])
    assert listing["coders"] == ["lin", "zhao"]
    assert {p["code"] for p in listing["places"]} == {"ADM.FUND", "TAL.BASE", "TAL.PROG"}
    report = agreement_report(project, coders=["lin", "chen", "zhao"])
    assert report["coders"] == ["lin", "chen", "zhao"]


def test_cli_adjudicate_list_states_who_is_compared(two_coders_and_a_lead, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.test_stats_cli import qc

    project, ids = two_coders_and_a_lead
    done(project, ids, "zhao", "doc1")
    folder = str(tmp_path / "p")
    project.dispose()
    rc, out, err = qc("adjudicate", "list", folder, "--document", "doc1", "--format", "json")
    assert rc == 0, err
    data = json.loads(out)
    assert data["coders"] == ["chen", "lin"] and data["participation_rule"] == PARTICIPATION_RULE
    assert [p["code"] for p in data["places"]] == ["ADM.FUND"]
    rc, out, err = qc("adjudicate", "list", folder, "--document", "doc1")
    assert rc == 0, err
    assert "not compared: zhao (lead who did not code in this document)" in out
    assert "who is compared:" in out
    rc, out, err = qc("agree", folder)
    assert rc == 0, err
    assert "who is compared:" in out

"""Adjudication (consensus coder, who decided, undo) and the gold-standard comparison."""

import json
from pathlib import Path

import pytest
from sqlmodel import select

from qualcode.core.errors import NotFoundError, ValidationError
from qualcode.services.agreement.consensus import (
    accept,
    accept_edited,
    gold_comparison,
    list_disagreements,
    reject,
)
from qualcode.store.models import Coder, Event, Segment
from tests.agreement_project import build, code, done


@pytest.fixture
def coded(tmp_path: Path, project_target: str):  # type: ignore[no-untyped-def]
    project, ids = build(tmp_path, project_target)
    with project.write() as s:
        s.add(Coder(name="zhao", role="lead"))
    code(project, ids, "lin", "doc1", "TAL.PROG", "储能专业")
    code(project, ids, "chen", "doc1", "TAL.PROG", "开了储能专业")
    code(project, ids, "lin", "doc1", "TAL.BASE", "实训基地")
    code(project, ids, "chen", "doc1", "ADM.FUND", "学生很多")
    code(project, ids, "chen", "doc1", "ADM.FUND", "实训基地")
    code(project, ids, "lin", "doc1", "ADM.FUND", "实训基地")
    for c in ("lin", "chen"):
        done(project, ids, c, "doc1")
    return project, ids


def _segments(project) -> list[tuple[str, int, int, int]]:  # type: ignore[no-untyped-def]
    with project.read() as s:
        return sorted(
            (c.name, g.code_id, g.start, g.end)
            for g, c in s.exec(select(Segment, Coder).where(Segment.coder_id == Coder.id))
        )


def test_list_disagreements_groups_overlapping_segments(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    places = list_disagreements(project, "doc1", coders=["lin", "chen"])
    by_code = {}
    for p in places:
        by_code.setdefault(p["code"], []).append(p)
    assert set(by_code) == {"TAL.PROG", "TAL.BASE", "ADM.FUND"}
    prog = by_code["TAL.PROG"][0]
    assert {s["coder"] for s in prog["segments"]} == {"lin", "chen"} and prog["coders_without"] == []
    assert prog["segments"][0]["text"] in {"储能专业", "开了储能专业"}
    assert by_code["TAL.BASE"][0]["coders_without"] == ["chen"]
    assert len(by_code["ADM.FUND"]) == 1  # the identical 实训基地 pair agrees; only 学生很多 is listed
    assert only_code(list_disagreements(project, "doc1", code="TAL.PROG", coders=["lin", "chen"])) == {
        "TAL.PROG"
    }


def only_code(places: list[dict]) -> set[str]:
    return {p["code"] for p in places}


def test_accept_edit_and_reject_keep_raw_codings_and_record_the_lead(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    before = _segments(project)
    prog = next(
        p for p in list_disagreements(project, "doc1", coders=["lin", "chen"]) if p["code"] == "TAL.PROG"
    )
    lin_seg = next(s for s in prog["segments"] if s["coder"] == "lin")
    [made] = accept(project, [lin_seg["id"]], decided_by="zhao")
    assert made["coder"] == "consensus" and made["text"] == "储能专业"
    edited = accept_edited(
        project, "doc1", "TAL.BASE", made["start"] + 20, made["start"] + 24, decided_by="zhao"
    )
    assert edited["coder"] == "consensus"
    rejected = reject(project, "doc1", "ADM.FUND", 0, 5, decided_by="zhao", reason="not funding")
    assert rejected["decided_by"] == "zhao"
    after = _segments(project)
    assert [s for s in after if s[0] != "consensus"] == before  # raw codings untouched
    assert sum(1 for s in after if s[0] == "consensus") == 2
    with project.read() as s:
        consensus = s.exec(select(Coder).where(Coder.name == "consensus")).one()
        assert consensus.role == "lead"
        events = s.exec(select(Event).where(Event.action.like("adjudication.%"))).all()  # type: ignore[attr-defined]
    assert [e.actor for e in events] == ["zhao", "zhao", "zhao"]
    assert json.loads(events[0].after)["source_segments"] == [lin_seg["id"]]
    again = next(
        p for p in list_disagreements(project, "doc1", coders=["lin", "chen"]) if p["code"] == "TAL.PROG"
    )
    assert again["consensus"] and again["consensus"][0]["start"] == made["start"]
    from qualcode.services.agreement.consensus import decisions

    log = decisions(project, "doc1")
    assert [(d["decided_by"], d["decision"], d["code"]) for d in log] == [
        ("zhao", "accept", "TAL.PROG"),
        ("zhao", "accept", "TAL.BASE"),
        ("zhao", "reject", "ADM.FUND"),
    ]
    assert log[2]["reason"] == "not funding" and log[0]["source_segments"] == [lin_seg["id"]]
    from qualcode.services.coding.undo import undo

    undo(project, "zhao")  # the lead can take the last decision back
    assert sum(1 for s in _segments(project) if s[0] == "consensus") == 1


def test_adjudication_refusals_change_nothing(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    before = _segments(project)
    with pytest.raises(ValidationError, match="not a lead"):
        accept(project, [1], decided_by="lin")
    with pytest.raises(NotFoundError, match="no segment with id 999"):
        accept(project, [999], decided_by="zhao")
    with pytest.raises(ValidationError, match="start must be before end"):
        accept_edited(project, "doc1", "TAL.PROG", 5, 5, decided_by="zhao")
    with pytest.raises(ValidationError, match="cannot be applied"):
        accept_edited(project, "doc1", "TAL", 0, 5, decided_by="zhao")
    seg_id = list_disagreements(project, "doc1", coders=["lin", "chen"])[0]["segments"][0]["id"]
    accept(project, [seg_id], decided_by="zhao")
    with pytest.raises(ValidationError, match="already has"):
        accept(project, [seg_id], decided_by="zhao")
    assert [s for s in _segments(project) if s[0] != "consensus"] == before


def test_gold_comparison_precision_recall_f1(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    # Gold = lin. Answer units of doc1: #1 (储能专业, 学生很多) and #3 (实训基地); doc2 is not done.
    r = gold_comparison(project, gold="lin", coders=["chen"])
    rows = {(x["code"], x["coder"]): x for x in r["rows"]}
    assert rows[("TAL.PROG", "chen")] == {
        "code": "TAL.PROG",
        "coder": "chen",
        "tp": 1,
        "fp": 0,
        "fn": 0,
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
    }
    assert (
        rows[("TAL.BASE", "chen")]["tp"],
        rows[("TAL.BASE", "chen")]["fn"],
        rows[("TAL.BASE", "chen")]["recall"],
    ) == (0, 1, 0.0)
    fund = rows[("ADM.FUND", "chen")]
    assert (fund["tp"], fund["fp"], fund["precision"]) == (1, 1, 0.5)
    total = rows[("(all codes)", "chen")]
    assert (total["tp"], total["fp"], total["fn"]) == (2, 1, 1)
    assert total["f1"] == pytest.approx(2 / 3)


def test_gold_can_be_the_consensus_coder(coded) -> None:  # type: ignore[no-untyped-def]
    project, _ = coded
    prog = next(
        p for p in list_disagreements(project, "doc1", coders=["lin", "chen"]) if p["code"] == "TAL.PROG"
    )
    accept(project, [prog["segments"][0]["id"]], decided_by="zhao")
    r = gold_comparison(project, gold="consensus", coders=["lin", "chen"], codes=["TAL.PROG"])
    assert r["n_compared_units"] == {"lin": 2, "chen": 2}
    assert all(x["recall"] == 1.0 for x in r["rows"])


def test_adjudicate_and_gold_cli(coded, project_target: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.test_stats_cli import qc

    project, _ = coded
    project.dispose()
    folder = project_target
    rc, out, err = qc(
        "adjudicate", "list", folder, "--document", "doc1", "--coders", "lin,chen", "--format", "json"
    )
    assert rc == 0, err
    places = json.loads(out)["places"]
    seg_id = next(p for p in places if p["code"] == "TAL.PROG")["segments"][0]["id"]
    rc, out, err = qc("adjudicate", "accept", folder, str(seg_id), "--by", "zhao")
    assert rc == 0 and out.startswith("consensus #"), err
    rc, out, _ = qc(
        "adjudicate",
        "edit",
        folder,
        "--document",
        "doc1",
        "--code",
        "TAL.BASE",
        "--start",
        "3",
        "--end",
        "9",
        "--by",
        "zhao",
    )
    assert rc == 0
    rc, out, _ = qc(
        "adjudicate",
        "reject",
        folder,
        "--document",
        "doc1",
        "--code",
        "ADM.FUND",
        "--start",
        "0",
        "--end",
        "4",
        "--by",
        "zhao",
        "--reason",
        "greeting",
    )
    assert rc == 0 and "decided by zhao" in out
    rc, _, err = qc("adjudicate", "accept", folder, str(seg_id), "--by", "lin")
    assert rc == 2 and "not a lead" in err
    rc, out, _ = qc("adjudicate", "list", folder, "--document", "doc1", "--coders", "lin,chen")
    assert rc == 0 and "consensus" in out
    rc, out, _ = qc("adjudicate", "log", folder, "--format", "json")
    assert rc == 0 and [d["decision"] for d in json.loads(out)] == ["accept", "accept", "reject"]
    rc, out, err = qc("agree", folder, "--gold", "lin", "--coders", "chen", "--format", "json")
    assert rc == 0, err
    assert json.loads(out)["gold"] == "lin"
    rc, out, _ = qc("agree", folder, "--gold", "lin", "--coders", "chen")
    assert rc == 0 and "Against gold coder lin" in out
    rc, out, _ = qc("agree", folder, "--gold", "lin", "--coders", "chen", "--format", "md")
    assert rc == 0 and "| (all codes) | chen | 2 | 1 | 1 |" in out
    xlsx = tmp_path / "gold.xlsx"
    assert (
        qc("agree", folder, "--gold", "lin", "--format", "xlsx", "--out", str(xlsx))[0] == 0
        and xlsx.is_file()
    )

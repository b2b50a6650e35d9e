"""The suggestion layer: apply, review (accept, reject, undo), blind mode, the model as a coder."""

import json
from pathlib import Path

import pytest

from qualcode.core.errors import QualcodeError, ValidationError
from qualcode.services.agreement.assisted import assisted_exposure
from qualcode.services.agreement.project_report import agreement_report
from qualcode.services.coding.undo import undo
from qualcode.services.suggest.applying import apply_model
from qualcode.services.suggest.layer import (
    accept,
    list_suggestions,
    note_shown,
    reject,
    set_assisted,
)
from qualcode.services.suggest.training import list_models, train
from qualcode.services.team.access import BlindModeError, set_blind
from qualcode.store.db import Project
from qualcode.store.models import Segment, SuggestModel
from tests.suggest_corpus import build_corpus, human_rows
from tests.test_stats_cli import qc


def _coded_by(project: Project, coder: str, row: dict) -> bool:  # type: ignore[type-arg]
    with project.read() as s:
        found = (
            s.connection()
            .exec_driver_sql(
                "SELECT 1 FROM segments s JOIN coders c ON c.id = s.coder_id JOIN codes k ON k.id = s.code_id "
                "JOIN documents d ON d.id = s.document_id WHERE c.name = ? AND k.key = ? AND d.name = ? "
                "AND s.start = ? AND s.\"end\" = ?",
                (coder, row["code"], row["document"], row["start"], row["end"]),
            )
            .first()
        )
    return found is not None


@pytest.fixture
def trained(tmp_path: Path) -> Project:
    project, _ = build_corpus(tmp_path, n_docs=8)
    train(project, source="consensus")
    return project


def test_train_stores_model_with_provenance_in_the_project(trained: Project) -> None:
    with trained.read() as s:
        row = s.get(SuggestModel, 1)
    assert row is not None and len(row.blob) > 1000
    meta = json.loads(row.meta)
    assert meta["source"] == "consensus" and meta["unit"] == "answer" and meta["n_units"] == 80
    assert len(meta["training_hash"]) == 64 and len(meta["codebook_hash"]) == 64
    assert meta["codebook_version"] == 0 and meta["documents"][:2] == ["d00", "d01"]
    assert {"scikit-learn", "numpy", "python"} <= set(meta["libraries"])
    assert meta["params"]["analyzer"] == "char_wb" and set(meta["codes_modelled"]) == {"RAND", "WORD"}
    assert list_models(trained)[0]["coder"] == "model:1"


def test_codes_with_too_few_positives_are_not_modelled_and_said(tmp_path: Path) -> None:
    from qualcode.services.suggest.labels import labelled_units

    project, _ = build_corpus(tmp_path, n_docs=4)
    with project.read() as s:
        counts = {k: int(y.sum()) for k, y in labelled_units(s, "lin", "answer").labels.items()}
    rare, common = sorted(counts, key=counts.get)  # type: ignore[arg-type]
    assert counts[rare] < counts[common]
    result = train(project, source="lin", params={"min_positive": counts[common]})
    assert list(result["codes_modelled"]) == [common]
    assert result["codes_skipped"] == {rare: f"{counts[rare]} positive units, fewer than {counts[common]}"}
    with pytest.raises(ValidationError, match="nothing was stored"):
        train(project, source="lin", params={"min_positive": 1000})
    with project.read() as s:
        assert s.get(SuggestModel, 2) is None and s.get(SuggestModel, 1) is not None


def test_human_rows_identical_after_train_apply_accept_reject_undo(tmp_path: Path) -> None:
    project, _ = build_corpus(tmp_path, n_docs=8)
    before = human_rows(project)
    train(project, source="consensus")
    result = apply_model(project)
    assert result["written"] > 0 and result["coder"] == "model:1"
    assert human_rows(project) == before
    open_ = list_suggestions(project, viewer="lin")
    first = open_[0]
    second = next(r for r in open_[1:] if not _coded_by(project, "lin", r))  # a unit lin left uncoded
    reject(project, first["id"], coder="lin")
    assert human_rows(project) == before
    accepted = accept(project, second["id"], coder="lin")
    with project.read() as s:
        seg = s.get(Segment, accepted["segment"])
        assert seg is not None and (seg.start, seg.end) == (second["start"], second["end"])
    statuses = {r["id"]: r for r in list_suggestions(project, viewer="lead", status=None)}
    assert statuses[first["id"]]["status"] == "rejected" and statuses[first["id"]]["reviewer"] == "lin"
    assert statuses[second["id"]]["status"] == "accepted"
    assert human_rows(project) != before
    undo(project, "lin")
    undo(project, "lin")
    assert human_rows(project) == before
    assert {r["id"] for r in list_suggestions(project, viewer="lin")} >= {first["id"], second["id"]}
    # re-applying replaces open suggestions only, never touching people's rows
    apply_model(project)
    assert human_rows(project) == before


def test_accept_is_one_undoable_action_and_redo_restores_it(trained: Project) -> None:
    apply_model(trained)
    sid = list_suggestions(trained, viewer="lead")[0]["id"]
    accept(trained, sid, coder="lead")
    changed = undo(trained, "lead")
    assert {c["entity"] for c in changed} == {"segment", "suggestion"}
    from qualcode.services.coding.undo import redo

    assert {c["entity"] for c in redo(trained, "lead")} == {"segment", "suggestion"}
    assert list_suggestions(trained, viewer="lead", status="accepted")[0]["id"] == sid
    with pytest.raises(ValidationError, match="already accepted"):
        reject(trained, sid, coder="lin")


def test_blind_mode_hides_suggestions_until_a_lead_turns_on_assisted_coding(trained: Project) -> None:
    apply_model(trained)
    set_blind(trained, "on", actor="lead")
    with pytest.raises(BlindModeError, match="assisted coding is off"):
        list_suggestions(trained, viewer="lin")
    with pytest.raises(BlindModeError):
        accept(trained, 1, coder="lin")
    assert list_suggestions(trained, viewer="lead")  # a lead sees them
    with pytest.raises(QualcodeError, match="only a lead"):
        set_assisted(trained, True, actor="lin")
    set_assisted(trained, True, actor="lead")
    shown = list_suggestions(trained, viewer="lin", document="d01")
    assert shown and all(r["document"] == "d01" for r in shown)
    note_shown(trained, "lin", "d01")
    note_shown(trained, "lin", "d01")
    reject(trained, list_suggestions(trained, viewer="chen", document="d02")[0]["id"], coder="chen")
    with trained.read() as s:
        assert assisted_exposure(s) == {"chen": ["d02"], "lin": ["d01"]}


def test_model_is_a_pseudo_coder_in_agreement_only_when_asked(trained: Project) -> None:
    apply_model(trained)
    plain = agreement_report(trained)
    assert "model:1" not in plain["coders"] and plain["assisted_coding"] == {}
    withp = agreement_report(trained, include_pseudo=True)
    assert "model:1" in withp["coders"]
    accept(trained, list_suggestions(trained, viewer="lead", document="d03")[0]["id"], coder="lead")
    report = agreement_report(trained)
    assert report["assisted_coding"] == {"lead": ["d03"]}
    assert "lead coded with suggestions visible in 1 documents: d03" in report["notes"]


def test_suggestion_owner_must_be_a_pseudo_coder(trained: Project) -> None:
    from qualcode.services.suggest.layer import Proposal, write_proposals

    with pytest.raises(ValidationError, match="pseudo-coder"):
        with trained.write() as s:
            write_proposals(s, "lin", [Proposal(1, 1, 0, 5, 0.9, {})])
    rc, _, err = qc("coders", "add", str(trained.folder), "model:9")
    assert rc == 2 and "reserved" in err


def test_workbook_states_who_coded_with_suggestions_visible(trained: Project, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from qualcode.services.exchange.workbook import write_workbook

    apply_model(trained)
    plain = tmp_path / "plain.xlsx"
    write_workbook(trained, plain, sheets=["Agreement"], n_boot=50)
    assert "Agreement_Assisted" not in load_workbook(plain, read_only=True).sheetnames
    accept(trained, list_suggestions(trained, viewer="lead", document="d03")[0]["id"], coder="lead")
    out = tmp_path / "assisted.xlsx"
    write_workbook(trained, out, sheets=["Agreement"], n_boot=50)
    sheet = load_workbook(out, read_only=True)["Agreement_Assisted"]
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["lead", "d03"] in values

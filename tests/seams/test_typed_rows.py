"""The row types name exactly the keys, in order, that the services return (issue 15 item 3).

The CLI prints these rows as JSON, so their keys are a stable interface; mypy checks what is
read from a row, this test checks that the declared type is the row's true shape.
"""

from collections.abc import Mapping
from pathlib import Path
from types import UnionType
from typing import Any, NotRequired, Required, Union, get_args, get_origin, get_type_hints

import pytest

from qualcode.services.agreement.rows import (
    AgreementReport,
    Decision,
    DisagreementListing,
    DisagreementPlace,
    GoldComparison,
    PooledAgreement,
    RejectedPlace,
    SpanAgreementReport,
)
from qualcode.services.analysis.retrieval import retrieve_segments, search_text
from qualcode.services.analysis.rows import RetrievedSegment, SaturationReport, SaturationSource, TextMatch
from qualcode.services.codebook.curation import list_codes
from qualcode.services.codebook.rows import (
    CodebookInfo,
    CodebookLoaded,
    CodebookUndone,
    CodeChanged,
    CodeListing,
    CodeMoved,
    CodesMerged,
)
from qualcode.services.coders import CoderRow, list_coders
from qualcode.services.coding import memos, segments, undo, workbench
from qualcode.services.coding.rows import (
    CodedSegment,
    DocumentOverview,
    DocumentSegment,
    MemoRow,
    ReversedChange,
    UpdatedSegment,
)
from qualcode.services.demo import build_demo
from qualcode.services.sources.documents import list_documents, show_document
from qualcode.services.sources.guide import guide_questions
from qualcode.services.sources.rows import (
    DocumentListing,
    DocumentShown,
    GuideQuestionRow,
    GuideReview,
    QuestionLink,
)
from qualcode.services.team.access import blind_status
from qualcode.services.team.changes import changes_since
from qualcode.services.team.rows import BlindStatus, EventRow
from qualcode.store.db import Project


def keys_of(row_type: Any) -> list[str]:
    """A TypedDict's keys in declaration order, its bases' first."""
    return list(row_type.__annotations__)


def _is_typed_dict(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, dict) and hasattr(t, "__required_keys__")


def _check_value(value: Any, hint: Any, where: str) -> None:
    """Check a value against a key's type wherever that type names a TypedDict: the TypedDict
    itself, a list of them, a dict of them, or any of these or None."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Required, NotRequired):
        _check_value(value, args[0], where)
    elif _is_typed_dict(hint):
        assert isinstance(value, Mapping), where
        check_shape(value, hint, where)
    elif origin in (Union, UnionType):
        nested = [a for a in args if a is not type(None)]
        if value is not None and len(nested) == 1:
            _check_value(value, nested[0], where)
    elif origin is list and args and value:
        for i, item in enumerate(value):
            _check_value(item, args[0], f"{where}[{i}]")
    elif origin is dict and len(args) == 2 and value:
        for key, item in value.items():
            _check_value(item, args[1], f"{where}[{key!r}]")


def check_shape(row: Mapping[str, Any], row_type: Any, where: str = "") -> None:
    """The row has every required key of its type, no other key than the type's, in the type's
    order; and so, recursively, has every nested row the type names."""
    where = where or row_type.__name__
    declared = keys_of(row_type)
    keys = list(row)
    assert set(keys) <= set(declared), (
        f"{where}: keys not in {row_type.__name__}: {set(keys) - set(declared)}"
    )
    assert keys == [k for k in declared if k in row], f"{where}: keys out of {row_type.__name__}'s order"
    missing = set(row_type.__required_keys__) - set(keys)
    assert not missing, f"{where}: required keys missing: {missing}"
    hints = get_type_hints(row_type, include_extras=True)
    for key in keys:
        _check_value(row[key], hints[key], f"{where}.{key}")


def assert_shape(rows: list[Mapping[str, Any]] | Mapping[str, Any], row_type: Any) -> None:
    rows = [rows] if isinstance(rows, Mapping) else rows
    assert rows, f"no {row_type.__name__} rows to check"
    for row in rows:
        if row_type.__optional_keys__:
            check_shape(row, row_type)
        else:  # every key always there: exactly the declared keys, in order
            assert list(row) == keys_of(row_type), row_type.__name__
            check_shape(row, row_type)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    from qualcode.services.demo import DemoSummary

    opened, summary = build_demo(tmp_path_factory.mktemp("rows") / "demo")
    assert_shape(summary, DemoSummary)
    return opened


def test_a_row_with_another_shape_fails() -> None:
    with pytest.raises(AssertionError):
        assert_shape({"start": 0, "document": "d"}, TextMatch)
    segment = {"id": 1, "coder": "a", "start": 0, "end": 1, "text": "t"}
    place = {"document": "d", "code": "C", "start": 0, "end": 1, "segments": [segment]}
    place |= {"coders_without": [], "consensus": [], "rejected": False}
    listing = {"document": "d", "participation_rule": "r", "coders": [], "not_compared": [], "notes": []}
    check_shape({**listing, "places": [place]}, DisagreementListing)
    with pytest.raises(AssertionError, match="required keys missing"):  # a nested row's key missing
        check_shape({**listing, "places": [{**place, "segments": [{"id": 1}]}]}, DisagreementListing)
    with pytest.raises(AssertionError, match="order"):  # optional keys out of order
        check_shape(
            {"verdict": "v", "n_units": 1, "coefficients": {}, "warnings": [], "description": ""},
            PooledAgreement,
        )


def test_coding_rows(project: Project) -> None:
    listed = segments.list_segments(project, coder="chen")
    assert_shape(listed, CodedSegment)
    document, code = listed[0]["document"], listed[0]["code"]
    added = segments.add_segment(project, coder="chen", document=document, code=code, start=0, end=1)
    assert_shape(added, CodedSegment)
    updated = segments.update_segment(project, coder="chen", segment_id=added["id"], memo="why")
    assert_shape(updated, UpdatedSegment)
    assert_shape(undo.undo(project, "chen"), ReversedChange)
    codes = {c["key"]: c for c in list_codes(project, "chen")}
    assert_shape(list_codes(project, "chen"), CodeListing)
    painted = workbench.document_segments(project, document, viewer="chen")
    assert_shape(painted, DocumentSegment)
    built = workbench.document_segment(added, codes[code])
    assert list(built) == keys_of(DocumentSegment)
    assert_shape(workbench.documents_overview(project, "chen"), DocumentOverview)
    memos.add_memo(project, coder="chen", target_type="project", target=None, text="a thought")
    assert_shape(memos.list_memos(project, viewer="chen"), MemoRow)


def test_other_rows(project: Project) -> None:
    coded = segments.list_segments(project, coder="chen")[0]
    assert_shape(retrieve_segments(project, viewer="chen", codes=[coded["code"]]), RetrievedSegment)
    assert_shape(search_text(project, coded["text"][:4]), TextMatch)
    assert_shape(list_documents(project), DocumentListing)
    assert_shape(guide_questions(project), GuideQuestionRow)
    assert_shape(blind_status(project), BlindStatus)
    assert_shape(list_coders(project), CoderRow)
    assert_shape(changes_since(project, 0, viewer="chen")[1], EventRow)


def test_agreement_rows(project: Project) -> None:
    from qualcode.services.agreement import consensus
    from qualcode.services.agreement.project_report import agreement_report

    answer = agreement_report(project, viewer="wang", n_boot=50)
    assert answer["bootstrap"] and answer["dimensions"] and answer["pairs"][0].get("per_code")
    assert_shape(answer, AgreementReport)
    assert_shape(agreement_report(project, viewer="wang", unit="sentence", n_boot=0), AgreementReport)
    for unit in ("char", "span"):
        assert_shape(
            agreement_report(project, viewer="wang", unit=unit, max_disagreements=5), SpanAgreementReport
        )
    assert_shape(consensus.gold_comparison(project, gold="chen", viewer="wang"), GoldComparison)
    listing = consensus.disagreement_listing(project, "haibin-gov-zh", viewer="wang")
    assert listing["places"]
    assert_shape(listing, DisagreementListing)
    assert_shape(consensus.list_disagreements(project, "haibin-gov-zh", viewer="wang"), DisagreementPlace)
    place = listing["places"][0]
    rejected = consensus.reject(
        project, place["document"], place["code"], place["start"], place["end"], "wang"
    )
    assert_shape(rejected, RejectedPlace)
    consensus.accept(project, [place["segments"][0]["id"]], "wang")
    logged = consensus.decisions(project, viewer="wang")
    assert {d["decision"] for d in logged} == {"accept", "reject"}
    assert_shape(logged, Decision)


def test_saturation_rows(project: Project) -> None:
    from qualcode.services.analysis.saturation import headline_source, saturation_report

    report = saturation_report(project, viewer="wang")
    assert report["sources"] and report["sources"][0]["levels"]["code"]["curve"]["steps"]
    assert_shape(report, SaturationReport)
    assert_shape(headline_source(report) or {}, SaturationSource)


def test_codebook_rows(project: Project) -> None:
    from qualcode.services.codebook import curation

    assert_shape(curation.codebook_info(project), CodebookInfo)
    parent = next(c for c in list_codes(project, "wang") if c["level"] == "dimension")["key"]
    assert_shape(curation.add_code(project, "ROWS.A", parent, "Rows A", actor="wang"), CodeChanged)
    assert_shape(curation.rename_code(project, "ROWS.A", actor="wang", new_key="ROWS.B"), CodeChanged)
    assert_shape(curation.edit_code(project, "ROWS.B", actor="wang", definition="why"), CodeChanged)
    assert_shape(curation.move_code(project, "ROWS.B", parent, actor="wang"), CodeMoved)
    assert_shape(curation.retire_code(project, "ROWS.B", actor="wang"), CodeChanged)
    assert_shape(curation.unretire_code(project, "ROWS.B", actor="wang"), CodeChanged)
    assert_shape(curation.create_code(project, "ROWS.C", parent, "Rows C", "", actor="wang"), CodeChanged)
    assert_shape(curation.merge_codes(project, "ROWS.C", "ROWS.B", actor="wang"), CodesMerged)
    assert_shape(curation.undo_last_codebook_change(project, actor="wang"), CodebookUndone)
    assert_shape(
        curation.apply_codebook(project, curation.current_codebook(project), actor="wang"), CodebookLoaded
    )


def test_analysis_tables(project: Project) -> None:
    from qualcode.services.analysis.configuration import ConfigurationTable, configuration_table
    from qualcode.services.analysis.evidence import EvidenceTable, evidence_table

    evidence = evidence_table(project, viewer="wang")
    assert evidence["rows"] and evidence["rows"][0]["quotes"]
    assert_shape(evidence, EvidenceTable)
    crisp = configuration_table(project, viewer="wang")
    assert crisp["cases"] and crisp["configurations"]
    assert_shape(crisp, ConfigurationTable)
    assert_shape(
        configuration_table(project, viewer="wang", kind="fuzzy", outcome="TAL.PROG"), ConfigurationTable
    )


def test_project_source_and_attribute_rows(project: Project) -> None:
    from qualcode.services import attributes
    from qualcode.services.project import ProjectInfo, project_info
    from qualcode.services.sources import guide

    assert_shape(project_info(project, viewer="wang"), ProjectInfo)
    shown = show_document(project, "haibin-gov-zh")
    assert shown["units"] and shown["attributes"]
    assert_shape(shown, DocumentShown)
    assert_shape(guide.review(project), GuideReview)
    assert_shape(guide.set_unit_question(project, "haibin-gov-zh", 2, "Q2", actor="wang"), QuestionLink)
    listing = attributes.list_attributes(project)
    assert listing["attributes"][0]["values"]
    assert_shape(listing, attributes.AttributeListing)
    key = listing["attributes"][0]["key"]
    value = listing["attributes"][0]["values"][0]["value"]
    assert_shape(
        attributes.alias_values(project, key, [value + "x"], value, "wang"), attributes.ValuesAliased
    )
    assert_shape(
        attributes.set_attribute(project, "haibin-gov-zh", "Rows", "a", "wang"), attributes.AttributeSet
    )
    renamed = attributes.rename_attribute(project, "Rows", "a", "b", "wang")
    assert_shape(renamed, attributes.AttributeRenamed)
    assert_shape(
        attributes.set_attribute(project, "haibin-gov-zh", "Rows", "", "wang"), attributes.AttributeSet
    )


def test_suggestion_rows(project: Project) -> None:
    from qualcode.services.suggest import applying, layer, rows, training

    trained = training.train(project, actor="wang")
    assert trained["codes_modelled"]
    assert_shape(trained, rows.TrainedModel)
    assert list(trained)[2:] == keys_of(rows.ModelMeta)
    assert_shape(training.list_models(project), rows.ModelListing)
    assert_shape(applying.apply_model(project, docs=["haibin-gov-zh"]), rows.ModelApplied)
    assert_shape(layer.set_assisted(project, True, actor="wang"), rows.AssistedSetting)
    open_ids = [s["id"] for s in layer.list_suggestions(project, viewer="wang")]
    assert_shape(layer.accept(project, open_ids[0], coder="chen"), rows.SuggestionAccepted)
    assert_shape(layer.reject(project, open_ids[1], coder="chen"), rows.SuggestionRejected)


def test_assistant_rows(project: Project) -> None:
    from qualcode.services.suggest.llm import apply_llm
    from qualcode.services.suggest.rows import AssistantApplied
    from tests.suggest.test_suggest_llm import Server, _completion

    server = Server()
    try:
        text = show_document(project, "haibin-gov-zh")["text"]
        server.reply = lambda body: (
            200,
            _completion({"codings": [{"code": "TAL.PROG", "quote": text[40:50]}]}),
            0.0,
        )
        applied = apply_llm(project, url=server.url, model="rows", docs=["haibin-gov-zh"], codes=["TAL.PROG"])
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
    assert applied["written"] == 1
    assert_shape(applied, AssistantApplied)


def test_exchange_rows(project: Project, tmp_path: Path) -> None:
    from qualcode.services.exchange import codebook_files, frames, qdpx, rows

    exported = qdpx.export_qdpx(project, tmp_path / "p.qdpx", actor="wang")
    assert exported["not_exported"]
    assert_shape(exported, rows.QdpxExported)
    imported = qdpx.init_from_qdpx(str(tmp_path / "copy"), tmp_path / "p.qdpx")
    assert imported["documents"]
    assert_shape(imported, rows.QdpxImported)
    assert_shape(codebook_files.export_yaml(project, tmp_path / "c.yaml"), rows.CodebookFileWritten)
    assert_shape(codebook_files.export_qdc(project, tmp_path / "c.qdc"), rows.CodebookFileWritten)
    assert_shape(codebook_files.import_qdc(project, tmp_path / "c.qdc", actor="wang"), rows.QdcImported)
    assert_shape(frames.write_segments_csv(project, tmp_path / "s.csv", viewer="wang"), rows.SegmentsCsv)


def test_backup_rows(project: Project, tmp_path: Path) -> None:
    from qualcode.services.team.backups import make_backup
    from qualcode.services.team.rows import BackupWritten

    assert_shape(make_backup(project, tmp_path / "copy.db"), BackupWritten)


def test_more_coding_rows(project: Project) -> None:
    from qualcode.services.coding import autocode
    from qualcode.services.coding.rows import AutocodeSummary, DoneMarks, InVivoCoded, OpenedDocument

    opened = workbench.open_document(project, "haibin-gov-zh")
    assert opened["units"]
    assert_shape(opened, OpenedDocument)
    parent = next(c for c in list_codes(project, "wang") if c["level"] == "dimension")["key"]
    made = workbench.invivo_code(
        project, coder="chen", document="haibin-gov-zh", start=3, end=7, parent=parent, name="词语"
    )
    assert_shape(made, InVivoCoded)
    assert_shape(segments.mark_all_done(project, coder="chen"), DoneMarks)
    run = autocode.autocode(project, "pattern", mapping={"联合体": "TAL.PROG"}, literal=True, dry_run=True)
    assert_shape(run.to_dict(), AutocodeSummary)


def test_typology_rows(project: Project) -> None:
    from qualcode.services.analysis.rows import TypologyReport
    from qualcode.services.analysis.typology import compute_typology

    report = compute_typology(project, viewer="wang").to_dict()
    assert report["cases"] and report["types"] and report["anchors"]
    assert_shape(report, TypologyReport)


def test_file_agreement_and_evaluation_rows(project: Project, tmp_path: Path) -> None:
    """`stats table`, `stats spans` and `suggest evaluate`: their typed rows, optional keys included."""
    from qualcode.services.agreement import files
    from qualcode.services.agreement.rows import SpansFileAgreement, TableAgreement
    from qualcode.services.suggest import rows
    from qualcode.services.suggest.evaluation import evaluate

    table = tmp_path / "table.csv"
    table.write_text("unit,A,B\n1,1,1\n2,2,3\n3,1,1\n4,3,3\n5,2,2\n", encoding="utf-8")
    assert_shape(files.table_agreement(table, "ordinal", n_boot=20, seed=1), TableAgreement)
    assert_shape(files.table_agreement(table, "nominal"), TableAgreement)
    spans = tmp_path / "spans.csv"
    spans.write_text("coder,start,end,category\nA,0,10,x\nA,20,30,y\nB,2,10,x\nB,22,35,y\n", encoding="utf-8")
    assert_shape(files.spans_file_agreement(spans, 40, match_threshold=0.5), SpansFileAgreement)
    report = evaluate(project, folds=2, n_boot=10, viewer="wang")
    assert_shape(report, rows.Evaluation)
    assert_shape(report["codes"], rows.CodeEvaluation)

"""Projects from other tools have no done marks: `code done --all`, `agree --all-documents`, and
an error that names the cause and the fix (issue 12 item 4)."""

import json
from pathlib import Path

import pytest

from qualcode.services.coding.segments import document_statuses
from qualcode.store.db import open_project
from tests.agreement_project import build, code
from tests.test_stats_cli import qc


@pytest.fixture
def imported(tmp_path: Path) -> str:
    """Coded like an imported .qdpx: segments, no done marks. wang coded nothing."""
    project, ids = build(tmp_path)
    for coder in ("lin", "chen"):
        code(project, ids, coder, "doc1", "TAL.PROG", "储能专业")
        code(project, ids, coder, "doc2", "ADM.FUND", "The city pays")
    code(project, ids, "lin", "doc1", "TAL.BASE", "实训基地")
    code(project, ids, "chen", "doc2", "TAL.BASE", "Teachers come from firms")
    code(project, ids, "auto:q", "doc1", "TAL.BASE", "实训基地")
    project.dispose()
    return str(tmp_path / "p")


def _statuses(folder: str, coder: str) -> dict[str, str]:
    project = open_project(folder)
    try:
        return document_statuses(project, coder)
    finally:
        project.dispose()


@pytest.mark.parametrize("unit", ["answer", "sentence", "char", "span"])
def test_nothing_done_names_the_cause_and_the_fix(imported: str, unit: str) -> None:
    rc, out, err = qc("agree", imported, "--unit", unit)
    assert rc == 2 and out == ""
    assert err.startswith("error: no document is marked done by any of the coders compared (chen, lin, wang)")
    assert "code done PROJECT --all" in err and "--all-documents" in err
    assert "--unit sentence" not in err and len(err.strip().splitlines()) == 1


def test_done_all_marks_every_coded_document_per_coder_and_undoes(imported: str) -> None:
    rc, out, err = qc("code", "done", imported, "--all")
    assert rc == 0, err
    assert "chen: 2 documents marked done, 0 already done" in out
    assert "lin: 2 documents marked done, 0 already done" in out
    assert "wang: 0 documents marked done, 0 already done; 2 documents without their segments" in out
    assert "auto:q" not in out and "consensus" not in out
    assert _statuses(imported, "lin") == {"doc1": "done", "doc2": "done"}
    assert _statuses(imported, "wang") == {"doc1": "not_started", "doc2": "not_started"}
    rc, out, _ = qc("agree", imported, "--format", "json")
    assert rc == 0 and json.loads(out)["n_documents"] == 2
    # Each coder's marks are one undo step of that coder, recorded like single done marks.
    assert qc("code", "undo", imported, "--coder", "lin")[1].startswith("undid document.status")
    assert _statuses(imported, "lin") == {"doc1": "not_started", "doc2": "not_started"}
    assert _statuses(imported, "chen") == {"doc1": "done", "doc2": "done"}
    rc, out, _ = qc("code", "done", imported, "--all", "--coder", "chen")
    assert rc == 0 and out.strip() == "chen: 0 documents marked done, 2 already done"


def test_done_all_for_one_coder_including_uncoded(imported: str) -> None:
    rc, out, err = qc("code", "done", imported, "--all", "--coder", "wang", "--include-uncoded")
    assert rc == 0 and out.strip() == "wang: 2 documents marked done, 0 already done", err
    assert _statuses(imported, "wang") == {"doc1": "done", "doc2": "done"}
    assert _statuses(imported, "lin") == {"doc1": "not_started", "doc2": "not_started"}


@pytest.mark.parametrize(
    "args",
    [
        ("--all", "--doc", "doc1"),
        ("--all", "--undone"),
        ("--coder", "lin"),
        ("--all", "--coder", "auto:q"),
        ("--all", "--coder", "nobody"),
    ],
)
def test_done_all_refuses_bad_input(imported: str, args: tuple[str, ...]) -> None:
    rc, _, err = qc("code", "done", imported, *args)
    assert rc == 2 and "error" in err.lower()
    assert _statuses(imported, "lin") == {"doc1": "not_started", "doc2": "not_started"}


def test_agree_all_documents_compares_what_each_coder_coded(imported: str) -> None:
    rc, out, err = qc("agree", imported, "--all-documents", "--format", "json")
    assert rc == 0, err
    report = json.loads(out)
    assert report["all_documents"] is True and "--all-documents" in report["missing_rule"]
    assert report["n_documents"] == 2
    # The same numbers as after marking every coded document done.
    assert qc("code", "done", imported, "--all")[0] == 0
    marked = json.loads(qc("agree", imported, "--format", "json")[1])
    assert marked["all_documents"] is False
    for key in ("codes", "dimensions", "pooled", "pairs"):
        assert report[key] == marked[key]
    rc, out, _ = qc("agree", imported, "--all-documents", "--format", "md")
    assert rc == 0 and "--all-documents" in out

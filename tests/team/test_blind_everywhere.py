"""Blind coding holds for every command run as a coder: export, agree, typology, adjudicate, info."""

import csv
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qualcode.services.coding.memos import add_memo
from qualcode.services.coding.segments import add_segment, set_document_status
from qualcode.services.team.access import set_blind
from tests.foundation.test_cli import assert_user_error, qc
from tests.team.support import make_project

DOC = "interview-01"
# Spans chosen so each coder's segment text is unique: alice [0, 5), bob [20, 31), lead [40, 47).
SPANS = {"alice": (0, 5), "bob": (20, 31), "lead": (40, 47)}


@pytest.fixture
def blind(project_target: str, tmp_path: Path):
    project = make_project(project_target)
    texts = {}
    for coder, (start, end) in SPANS.items():
        seg = add_segment(
            project,
            coder=coder,
            document=DOC,
            code="TAL.CURR",
            start=start,
            end=end,
            memo=f"{coder.upper()}-SEGMEMO",
        )
        texts[coder] = seg["text"] if "text" in seg else None
        add_memo(project, coder=coder, target_type="document", target=DOC, text=f"{coder.upper()}-DOCMEMO")
        set_document_status(project, coder=coder, document=DOC, status="done")
    set_blind(project, "on", actor="lead")
    project.dispose()
    return project_target, tmp_path


def _files(target: str, out: Path, *who: str) -> dict[str, str]:
    """Export xlsx, csv and qdpx and return each file's readable content as one string."""
    xlsx, csv_path, qdpx = out / "w.xlsx", out / "s.csv", out / "p.qdpx"
    qc("export", target, "--xlsx", str(xlsx), "--csv", str(csv_path), "--qdpx", str(qdpx), *who, "--force")
    book = load_workbook(xlsx, read_only=True)
    cells = " ".join(
        str(v)
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    )
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with zipfile.ZipFile(qdpx) as z:
        qde = z.read("project.qde").decode("utf-8")
    return {
        "xlsx": cells,
        "csv": json.dumps(rows, ensure_ascii=False),
        "csv_coders": " ".join(sorted({r["coder"] for r in rows})),
        "qde": qde,
    }


def test_a_blind_coder_exports_only_their_own_work(blind) -> None:
    target, out = blind
    for who in (("--as", "alice"), ("--coder", "alice")):
        got = _files(target, out, *who)
        assert got["csv_coders"] == "alice"
        for kind in ("xlsx", "csv", "qde"):
            assert "ALICE-SEGMEMO" in got[kind], kind
            for other in ("bob", "BOB-SEGMEMO", "BOB-DOCMEMO", "LEAD-SEGMEMO", "LEAD-DOCMEMO"):
                assert other not in got[kind], (kind, other)
        assert "ALICE-DOCMEMO" in got["qde"]
        assert 'name="lead"' not in got["qde"] and 'name="bob"' not in got["qde"]
        assert "blind mode" in got["xlsx"]  # the README sheet says why the workbook holds one coder


def test_a_lead_and_a_revealed_coder_export_everyone(blind) -> None:
    target, out = blind
    got = _files(target, out, "--as", "lead")
    assert got["csv_coders"] == "alice bob lead"
    assert all(f"{c.upper()}-SEGMEMO" in got["qde"] for c in SPANS)
    qc("blind", "reveal", target, "--as", "lead")
    got = _files(target, out, "--as", "alice")
    assert got["csv_coders"] == "alice bob lead"
    assert "BOB-DOCMEMO" in got["qde"] and "BOB-SEGMEMO" in got["xlsx"]


def test_commands_that_compare_coders_are_for_leads_while_blind(blind) -> None:
    target, out = blind
    refusals = [
        ("agree", target, "--as", "alice"),
        ("agree", target, "--gold", "lead", "--as", "alice"),
        ("adjudicate", "list", target, "--document", DOC, "--as", "alice"),
        ("adjudicate", "log", target, "--as", "alice"),
        ("typology", target, "--as", "alice", "--combine", "union"),
        ("typology", target, "--as", "alice", "--coder", "bob"),
        ("export", target, "--as", "alice", "--xlsx", str(out / "a.xlsx"), "--sheets", "Agreement"),
    ]
    for args in refusals:
        result = qc(*args, check=False)
        assert_user_error(result, "blind mode is on")
        assert "bob" not in result.stdout
    assert not (out / "a.xlsx").exists()
    for args in (
        ("agree", target),
        ("export", target, "--csv", str(out / "n.csv")),
        ("info", target),
        ("codebook", "show", target),
        ("adjudicate", "log", target),
    ):
        assert_user_error(qc(*args, check=False), "say who you are with --as NAME")
    assert not (out / "n.csv").exists()
    assert "bob" in qc("agree", target, "--as", "lead", "--unit", "char", "--format", "json").stdout
    places = json.loads(
        qc("adjudicate", "list", target, "--document", DOC, "--as", "lead", "--format", "json").stdout
    )["places"]
    assert {s["coder"] for p in places for s in p["segments"]} == {"alice", "bob", "lead"}
    qc("blind", "reveal", target, "--as", "lead")
    assert "bob" in qc("agree", target, "--as", "alice", "--unit", "char", "--format", "json").stdout


def test_codebook_show_counts_only_the_coders_own_segments_while_blind(blind) -> None:
    target, _ = blind
    mine = json.loads(qc("codebook", "show", target, "--as", "alice", "--format", "json").stdout)
    everyone = json.loads(qc("codebook", "show", target, "--as", "lead", "--format", "json").stdout)
    assert {r["key"]: r["segments"] for r in mine}["TAL.CURR"] == 1
    assert {r["key"]: r["segments"] for r in everyone}["TAL.CURR"] == 3


def test_info_counts_only_the_coders_own_work_while_blind(blind) -> None:
    target, _ = blind
    mine = json.loads(qc("info", target, "--as", "alice", "--format", "json").stdout)
    everyone = json.loads(qc("info", target, "--as", "lead", "--format", "json").stdout)
    # each coder wrote one memo on their segment and one on the document
    assert (mine["segments"], mine["memos"], mine["done_marks"]) == (1, 2, 1)
    assert (everyone["segments"], everyone["memos"], everyone["done_marks"]) == (3, 6, 3)


def test_typology_service_types_a_blind_coder_by_their_own_coding(blind) -> None:
    from qualcode.core.errors import QualcodeError
    from qualcode.services.analysis.data import load_analysis_data, select_source
    from qualcode.store.db import open_project

    target, _ = blind
    project = open_project(target)
    try:
        data = load_analysis_data(project, "alice")
        assert list(data.coders.values()) == ["alice"] and {s.coder_id for s in data.segments} == set(
            data.coders
        )
        assert select_source(data, None, False, None)[0] == "coder"
        assert select_source(data, "alice", False, None)[1] == list(data.coders)
        with pytest.raises(QualcodeError, match="only their own coding"):
            select_source(data, None, True, None)
        assert len(load_analysis_data(project, "lead").segments) == 3
    finally:
        project.dispose()

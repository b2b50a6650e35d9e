"""The Excel workbook and CSV, read back with openpyxl and pandas."""

import csv
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from typology_project import ANSWER, DOCS, twelve_consortia

from qualcode.core.errors import QualcodeError
from qualcode.services.exchange.frames import (
    case_code_matrix,
    cooccurrence_matrix,
    export_segments_csv,
    segments_frame,
)
from qualcode.services.exchange.workbook import ALL_SHEETS, export_workbook

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
N_SEGMENTS = sum(len(v[2]) for v in DOCS.values())
RISKY = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-3-4", "@SUM(A1:A2)", "\tTAB", "\rCR"]


@pytest.fixture
def workbook(project: Any, tmp_path: Path) -> Path:
    return export_workbook(project, tmp_path / "out.xlsx", now=NOW)


def test_all_sheets_with_one_table_each(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    assert (
        book.sheetnames
        == [s for s in ALL_SHEETS if s != "Agreement"][:6]
        + ["Case_x_Code_01"]
        + [s for s in ALL_SHEETS if s != "Agreement"][6:]
    )
    for ws in book.worksheets:
        assert ws.freeze_panes in ("A2", "B2", "C2") and ws.auto_filter.ref.startswith("A1:")
        assert ws["A1"].font.bold


def test_segments_sheet_reads_back_with_pandas(workbook: Path) -> None:
    seg = pd.read_excel(workbook, sheet_name="Segments")
    assert len(seg) == N_SEGMENTS
    assert list(seg.columns[:8]) == [
        "segment_id",
        "document",
        "case",
        "role",
        "question",
        "speaker",
        "coder",
        "code",
    ]
    row = seg[(seg.document == "Qingshan-ent") & (seg.code == "TEC.CTP")].iloc[0]
    assert (row.case, row.role, row.question, row.speaker, row.coder) == (
        "Qingshan",
        "enterprise",
        "Q2",
        "R",
        "alice",
    )
    assert (row.level_1, row.level_2, row.level_3) == ("TEC", "TEC.PLAT", "TEC.CTP")
    assert (row.name_zh, row.dimension, row.length) == ("公共技术平台", "TEC", 30)
    assert row.text == ANSWER[::-1][:30] and row.end - row.start == 30
    assert seg.start.dtype.kind == "i"  # numbers stored as numbers


def test_matrices_and_frequencies(workbook: Path, project: Any) -> None:
    cc = pd.read_excel(workbook, sheet_name="Case_x_Code", index_col=0)
    assert cc.loc["Haibin", "ADM.POLICY"] == 3 and cc.loc["Qingshan", "TEC.RND"] == 2  # consensus source
    assert cc.equals(case_code_matrix(project))
    presence = pd.read_excel(workbook, sheet_name="Case_x_Code_01", index_col=0)
    assert set(presence.to_numpy().ravel()) == {0, 1}
    freq = pd.read_excel(workbook, sheet_name="Code_Frequencies", index_col=0)
    assert freq.loc["ACT.GOV", "coder:bob"] == 2 and freq.loc["ACT.GOV", "total"] == 7
    assert freq.loc["ADM.POLICY", "role:government official"] == 5
    q = pd.read_excel(workbook, sheet_name="Question_x_Code", index_col=0)
    assert q.loc["Q2", "TEC.CTP"] == 1
    co = pd.read_excel(workbook, sheet_name="Co_occurrence", index_col=0)
    assert co.loc["ACT.GOV", "ADM.POLICY"] == co.loc["ADM.POLICY", "ACT.GOV"] == 3
    assert co.equals(cooccurrence_matrix(project).astype(co.dtypes.iloc[0]))


def test_typology_sheets(workbook: Path) -> None:
    assign = pd.read_excel(workbook, sheet_name="Assignments", index_col=0)
    assert assign.loc["Haibin", "type"] == "GOV_LED" and assign.loc["Qingshan", "type"] == "ENT_LED"
    assert (
        assign.loc["Qingshan", "flags"] == "role_imbalance:school"
        and assign.loc["Haibin", "rule.GOV_LED"] == True  # noqa: E712 (a real boolean cell)
    )
    table = pd.read_excel(workbook, sheet_name="Typology_Table", index_col=0)
    assert (
        table.loc["n", "GOV_LED"] == 1
        and table.loc["n", "ALL"] == 2
        and table.loc["ACT.ENT", "ENT_LED"] == 100
    )
    anchors = pd.read_excel(workbook, sheet_name="Anchor_Segments")
    first = anchors[(anchors.type == "ENT_LED") & (anchors.defining_code == "TEC")].iloc[0]
    assert (first.document, first.code, first.length, first.line) == ("Qingshan-ent", "TEC.RND", 80, 2)
    clusters = pd.read_excel(workbook, sheet_name="Cluster_Diagnostics")
    assert clusters[clusters.section == "skipped"].value.iloc[0].startswith("only 2 cases")
    profiles = pd.read_excel(workbook, sheet_name="Case_Profiles", index_col=0)
    assert profiles.loc["Qingshan", "missing_roles"] == "school"
    assert profiles.loc["Qingshan", "dim.TEC"] == pytest.approx(0.5 / (0.5 + 20 / 360))
    space = pd.read_excel(workbook, sheet_name="Attribute_Space")
    cell = space[(space.lead_actor == "ACT.ENT") & (space.dominant_dimension == "TEC")].iloc[0]
    assert (cell.n_cases, cell.cases, cell.reduces_to) == (1, "Qingshan", "ENT_LED")
    with zipfile.ZipFile(workbook) as z:
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 2


def test_readme_has_versions_parameters_and_a_guide(workbook: Path) -> None:
    readme = pd.read_excel(workbook, sheet_name="README")
    items = dict(zip(readme["item"], readme["value"], strict=True))
    assert (
        items["created_at"] == "2026-01-02T03:04:05+00:00"
        and items["coding_source"] == "consensus-else-union"
    )
    assert (
        items["seed"] == 20250101
        and items["typology"] == "miec-4types"
        and len(items["codebook_sha256"]) == 64
    )
    assert items["codebook_codes"] == 16
    guide = readme[readme.section == "sheet"]
    assert "Segments" in set(guide.item) and guide["说明"].str.len().min() > 3


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_same_project_same_workbook_apart_from_the_timestamp(project: Any, tmp_path: Path) -> None:
    a = _cells(export_workbook(project, tmp_path / "a.xlsx", now=NOW))
    b = _cells(export_workbook(project, tmp_path / "b.xlsx", now=datetime(2027, 5, 6, tzinfo=UTC)))
    stamp = [i for i, r in enumerate(a["README"]) if r[1] == "created_at"]
    assert len(stamp) == 1 and a["README"][stamp[0]] != b["README"][stamp[0]]
    a["README"].pop(stamp[0])
    b["README"].pop(stamp[0])
    assert a == b


def test_text_that_looks_like_a_formula_stays_text(make_project: Any, tmp_path: Path) -> None:
    docs = {"D": ("X", "government", [("consensus", "ADM.POLICY", 1, i, i + 5) for i in range(len(RISKY))])}
    project = make_project(docs=docs, memo=None)
    from sqlmodel import select

    from qualcode.store.models import Segment

    with project.write() as s:
        for seg, memo in zip(s.exec(select(Segment).order_by(Segment.start)).all(), RISKY, strict=True):
            seg.memo = memo
    path = export_workbook(project, tmp_path / "risky.xlsx", now=NOW)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in z.read(name).decode("utf-8")
    ws = openpyxl.load_workbook(path)["Segments"]
    memo_col = [c.value for c in ws[1]].index("memo")
    cells = [row[memo_col] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells] == RISKY
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    codebook = openpyxl.load_workbook(path)["Codebook"]
    name_en = [c for c in codebook["E"] if c.value == "=Weak motivation"]
    assert name_en and name_en[0].data_type == "s"
    # and pandas sees the text unchanged
    assert list(pd.read_excel(path, sheet_name="Segments")["memo"]) == RISKY
    out = export_segments_csv(project, tmp_path / "risky.csv")
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig", newline="")))
    assert [r["memo"] for r in rows] == ["'" + m for m in RISKY]


def test_csv_is_utf8_with_bom_and_matches_the_frame(project: Any, tmp_path: Path) -> None:
    out = export_segments_csv(project, tmp_path / "seg.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "公共技术平台".encode() in raw
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert len(frame) == N_SEGMENTS and frame.memo.isna().all()
    assert list(frame[frame.code == "CHL.MOTIV"].name_en) == ["'=Weak motivation"]  # CSV injection guard
    frame.loc[frame.code == "CHL.MOTIV", "name_en"] = "=Weak motivation"
    pd.testing.assert_frame_equal(
        frame.drop(columns="memo"), segments_frame(project).drop(columns="memo"), check_dtype=False
    )


def test_chosen_sheets_and_bad_parameters(project: Any, make_project: Any, tmp_path: Path) -> None:
    path = export_workbook(project, tmp_path / "two.xlsx", sheets=["segments", "Assignments"], now=NOW)
    assert openpyxl.load_workbook(path).sheetnames == ["README", "Segments", "Assignments"]
    with pytest.raises(QualcodeError, match="unknown sheet 'Segmnets': choose from README, Codebook"):
        export_workbook(project, tmp_path / "bad.xlsx", sheets=["Segmnets"])
    with pytest.raises(QualcodeError, match="must end in .xlsx"):
        export_workbook(project, tmp_path / "bad.xls")
    with pytest.raises(QualcodeError, match="unknown coder 'zoe'"):
        export_workbook(project, tmp_path / "bad.xlsx", coder="zoe")
    bare = make_project(typology=None)
    with pytest.raises(QualcodeError, match="no typology definitions"):
        export_workbook(bare, tmp_path / "bad.xlsx", sheets=["Assignments"])
    assert not list(tmp_path.glob("bad*"))
    plain = export_workbook(bare, tmp_path / "plain.xlsx", now=NOW)
    readme = pd.read_excel(plain, sheet_name="README")
    assert "Assignments" not in openpyxl.load_workbook(plain).sheetnames
    assert (
        readme[readme.item == "typology"]
        .value.iloc[0]
        .startswith("not computed: the project has no typology")
    )


def test_cluster_sheets_with_enough_cases(make_project: Any, tmp_path: Path) -> None:
    path = export_workbook(
        make_project(docs=twelve_consortia()),
        tmp_path / "k.xlsx",
        sheets=["Assignments", "Cluster_Diagnostics"],
        now=NOW,
    )
    assign = pd.read_excel(path, sheet_name="Assignments", index_col=0)
    assert set(assign.agrees_with_cluster) == {"Y"} and assign.cluster_stability.min() > 0.9
    assert assign.loc["K00", "cluster"] != assign.loc["K01", "cluster"]
    diag = pd.read_excel(path, sheet_name="Cluster_Diagnostics")
    ari = diag[diag.item == "adjusted_rand_index"].value.iloc[0]
    assert ari == pytest.approx(1.0) and set(diag[diag.section == "silhouette"].k) == {2, 3, 4, 5}
    assert len(diag[diag.section == "membership"]) == 12


def test_agreement_sheets_when_two_coders_are_done(make_project: Any, tmp_path: Path) -> None:
    from sqlmodel import select

    from qualcode.store.models import Coder, Document, DocumentStatus

    project = make_project()
    without = export_workbook(project, tmp_path / "none.xlsx", now=NOW)
    readme = pd.read_excel(without, sheet_name="README")
    assert readme[readme.item == "agreement"].value.iloc[0].startswith("not computed: ")
    with project.write() as s:
        coders = {c.name: c.id for c in s.exec(select(Coder)).all()}
        for doc in s.exec(select(Document)).all():
            for name in ("alice", "bob"):
                s.add(DocumentStatus(document_id=doc.id, coder_id=coders[name], status="done"))
    path = export_workbook(project, tmp_path / "agree.xlsx", sheets=["Agreement"], now=NOW)
    assert openpyxl.load_workbook(path).sheetnames == ["README", "Agreement", "Agreement_Disagreements"]
    summary = pd.read_excel(path, sheet_name="Agreement")
    gov = summary[summary.name == "ACT.GOV"].iloc[0]
    assert gov["percent agreement"] == pytest.approx(0.8) and gov["Krippendorff alpha"] == pytest.approx(
        0.40625
    )


def test_typology_frames_for_scripting(project: Any) -> None:
    from qualcode.services.exchange.frames import typology_frames

    frames = typology_frames(project, coder="alice")
    assert frames["assignments"].loc["Haibin", "type"] == "GOV_LED"
    assert frames["profiles"].loc["Qingshan", "dim.TEC"] > 0.8
    assert set(frames["anchors"].type) <= {"GOV_LED", "ENT_LED"} and len(frames["anchors"]) > 0


@pytest.mark.postgres
def test_typology_and_workbook_on_postgresql(pg_database_url: str, tmp_path: Path) -> None:
    from typology_project import build

    from qualcode.services.analysis.typology import compute_typology

    project = build(pg_database_url)
    try:
        assert {a.case: a.type for a in compute_typology(project).assignments} == {
            "Haibin": "GOV_LED",
            "Qingshan": "ENT_LED",
        }
        path = export_workbook(project, tmp_path / "pg.xlsx", now=NOW)
        assert len(pd.read_excel(path, sheet_name="Segments")) == N_SEGMENTS
    finally:
        project.dispose()


def test_typology_table_counts_are_integers_not_decimals(workbook: Path) -> None:
    sheet = openpyxl.load_workbook(workbook)["Typology_Table"]
    n_row = next(row for row in sheet.iter_rows() if row[0].value == "n")
    counts = [cell for cell in n_row[2:] if cell.value is not None]
    assert counts and all(type(cell.value) is int for cell in counts)
    assert all(cell.number_format == "General" for cell in counts)  # shown as 1, not 1.000

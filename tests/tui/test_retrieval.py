"""Code-and-retrieve, text search and the retrieved-rows export."""

from pathlib import Path

import pytest

from qualcode.core.errors import ValidationError
from qualcode.services.analysis import retrieval
from qualcode.services.coding import segments as coding
from qualcode.services.coding import workbench
from qualcode.store.db import Project
from tests.tui.conftest import EN_TEXT, ZH_TEXT


def _code(project: Project, coder: str, doc: str, code: str, start: int, end: int) -> None:
    coding.add_segment(project, coder=coder, document=doc, code=code, start=start, end=end)


def test_retrieve_any_all_without_and_filters(project: Project) -> None:
    _code(project, "alice", "zh-gov", "ADM.GOV", 24, 40)
    _code(project, "alice", "zh-gov", "TAL.TRAIN", 30, 50)
    _code(project, "alice", "en-res", "ADM.GOV", 57, 80)
    _code(project, "bob", "zh-gov", "TAL.TRAIN", 0, 5)
    keys = lambda rows: [(r["document"], r["coder"], r["code"], r["start"]) for r in rows]  # noqa: E731
    any_rows = retrieval.retrieve_segments(project, viewer="lead", codes=["ADM.GOV"])
    assert keys(any_rows) == [("en-res", "alice", "ADM.GOV", 57), ("zh-gov", "alice", "ADM.GOV", 24)]
    assert any_rows[1]["text"] == ZH_TEXT[24:40] and any_rows[1]["before"] == ZH_TEXT[:24]
    both = retrieval.retrieve_segments(project, viewer="lead", codes=["ADM.GOV", "TAL.TRAIN"], mode="all")
    assert keys(both) == [("zh-gov", "alice", "ADM.GOV", 24), ("zh-gov", "alice", "TAL.TRAIN", 30)]
    without = retrieval.retrieve_segments(project, viewer="lead", codes=["ADM.GOV"], without=["TAL.TRAIN"])
    assert keys(without) == [("en-res", "alice", "ADM.GOV", 57)]
    by_role = retrieval.retrieve_segments(
        project, viewer="lead", codes=["ADM.GOV"], attributes={"role": "政府官员"}
    )
    assert keys(by_role) == [("zh-gov", "alice", "ADM.GOV", 24)]
    by_question = retrieval.retrieve_segments(
        project, viewer="lead", codes=["ADM.GOV", "TAL.TRAIN"], question="Q1"
    )
    assert {r["question"] for r in by_question} == {"Q1"}
    assert keys(retrieval.retrieve_segments(project, viewer="lead", codes=["TAL.TRAIN"], coders=["bob"])) == [
        ("zh-gov", "bob", "TAL.TRAIN", 0)
    ]


def test_retrieve_refuses_bad_input(project: Project) -> None:
    with pytest.raises(ValidationError, match="at least one code"):
        retrieval.retrieve_segments(project, viewer="lead", codes=[])
    with pytest.raises(ValidationError, match="mode must be"):
        retrieval.retrieve_segments(project, viewer="lead", codes=["ADM.GOV"], mode="some")


def test_search_plain_regex_chinese_english(project: Project) -> None:
    hits = retrieval.search_text(project, "企业")
    assert [(h["document"], h["start"]) for h in hits] == [
        ("zh-gov", ZH_TEXT.index("企业")),
        ("zh-gov", ZH_TEXT.index("企业的")),
        ("zh-gov", ZH_TEXT.index("企业实践")),
    ]
    assert all(ZH_TEXT[h["start"] : h["end"]] == "企业" for h in hits)
    regex = retrieval.search_text(project, r"compan\w+", regex=True)
    assert [h["match"] for h in regex] == ["Companies", "companies"]
    assert EN_TEXT[regex[0]["start"] : regex[0]["end"]] == "Companies"
    with pytest.raises(ValidationError, match="invalid regular expression"):
        retrieval.search_text(project, "(", regex=True)
    assert retrieval.search_text(project, "(") == []  # plain text: the bracket is just a character


def test_export_retrieved_csv_and_xlsx(project: Project, tmp_path: Path) -> None:
    _code(project, "alice", "zh-gov", "ADM.GOV", 24, 40)
    rows = retrieval.retrieve_segments(project, viewer="alice", codes=["ADM.GOV"])
    rows[0]["memo"] = "=SUM(A1)"
    csv_path = retrieval.export_retrieved(project, rows, tmp_path / "out.csv")
    text = csv_path.read_text(encoding="utf-8-sig")
    assert ZH_TEXT[24:40] in text and "'=SUM(A1)" in text
    from openpyxl import load_workbook

    sheet = load_workbook(retrieval.export_retrieved(project, rows, tmp_path / "out.xlsx")).active
    header = [c.value for c in sheet[1]]
    assert header == retrieval.RETRIEVED_COLUMNS
    assert sheet.cell(2, header.index("memo") + 1).value == "=SUM(A1)"
    assert sheet.cell(2, header.index("memo") + 1).data_type == "s"
    with pytest.raises(ValidationError, match=r"\.csv or \.xlsx"):
        retrieval.export_retrieved(project, rows, tmp_path / "out.txt")
    assert not (tmp_path / "out.txt").exists()


def test_overview_pins_and_visibility(project: Project) -> None:
    _code(project, "alice", "zh-gov", "ADM.GOV", 24, 40)
    overview = {d["name"]: d for d in workbench.documents_overview(project, "alice")}
    assert overview["zh-gov"]["segments"] == 1 and overview["zh-gov"]["status"] == "in_progress"
    assert (
        overview["zh-gov"]["role"] == "government official"
        and overview["en-res"]["role"] == "research expert"
    )
    assert overview["en-res"]["status"] == "not_started"
    assert workbench.pinned_codes(project, "alice")[:3] == ["TAL.TRAIN", "TAL.TEACH", "ADM.GOV"]
    assert workbench.pin_code(project, "alice", 1, "ADM.GOV")[0] == "ADM.GOV"
    assert workbench.pinned_codes(project, "alice")[0] == "ADM.GOV"
    assert workbench.pinned_codes(project, "bob")[0] == "TAL.TRAIN"
    with pytest.raises(ValidationError, match="not a codable code"):
        workbench.pin_code(project, "alice", 2, "TAL")
    with pytest.raises(ValidationError, match="slots are 1 to 9"):
        workbench.pin_code(project, "alice", 10, "ADM.GOV")
    assert workbench.pinned_codes(project, "alice")[1] == "TAL.TEACH"

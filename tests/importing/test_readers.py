from pathlib import Path

import pytest

from qualcode.core.errors import QualcodeError
from qualcode.io.readers import ReadOptions, read_path
from tests.importing.helpers import write


def unit_texts(doc) -> list[tuple]:
    return [(u.speaker, u.speaker_role, doc.text[u.start : u.end]) for u in doc.units]


def make_docx(path: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph("城市：海滨市")
    document.add_paragraph("身份：企业高管")
    document.add_paragraph("")
    document.add_paragraph("访谈者：问题1，请介绍您的工作。")
    document.add_paragraph("受访者：我负责校企合作。")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [
            ("编号", "问题", "回答"),
            ("Q3", "专业如何对接产业？", "共同制定培养方案。"),
            ("Q4", "实践教学呢？", "共建实训基地。"),
        ],
        strict=True,
    ):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.save(path)
    return path


def test_docx_paragraphs_and_question_answer_table(tmp_path: Path) -> None:
    [doc] = read_path(make_docx(tmp_path / "exec.docx"))
    assert doc.name == "exec"
    assert doc.attributes == {"城市": "海滨市", "身份": "企业高管"}
    assert unit_texts(doc) == [
        ("访谈者", "interviewer", "问题1，请介绍您的工作。"),
        ("受访者", "respondent", "我负责校企合作。"),
        ("问", "interviewer", "Q3 专业如何对接产业？"),
        ("答", "respondent", "共同制定培养方案。"),
        ("问", "interviewer", "Q4 实践教学呢？"),
        ("答", "respondent", "共建实训基地。"),
    ]


def test_truncated_and_fake_docx_are_refused(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx").read_bytes()
    (tmp_path / "cut.docx").write_bytes(good[: len(good) // 2])
    with pytest.raises(QualcodeError, match=r"^cut.docx: not a readable .docx file \(truncated or corrupt"):
        read_path(tmp_path / "cut.docx")
    write(tmp_path / "fake.docx", "just text")
    with pytest.raises(QualcodeError, match=r"^fake.docx: not a readable .docx file"):
        read_path(tmp_path / "fake.docx")


SURVEY = """\
respondent,question_key,question_text,answer,City,Role
R01,Q1,Describe your role.,I lead the council.,Haibin,official
R01,Q3,How do programmes respond?,"We open programmes
with firms.",Haibin,official
R02,Q1,Describe your role.,I teach.,Jiangcheng,leader
"""


def test_csv_one_row_per_answer(tmp_path: Path) -> None:
    docs = read_path(write(tmp_path / "survey.csv", SURVEY))
    assert [d.name for d in docs] == ["R01", "R02"]
    r01 = docs[0]
    assert r01.attributes == {"City": "Haibin", "Role": "official"}
    assert [
        (u.speaker_role, u.question_key, u.question_source, r01.text[u.start : u.end]) for u in r01.units
    ] == [
        ("interviewer", "Q1", "row", "Q1 Describe your role."),
        ("respondent", "Q1", "row", "I lead the council."),
        ("interviewer", "Q3", "row", "Q3 How do programmes respond?"),
        ("respondent", "Q3", "row", "We open programmes\nwith firms."),
    ]


def test_csv_column_mapping_and_missing_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "odd.csv", "who,q,said,region\nR9,Q2,Yes we do.,North\n")
    with pytest.raises(QualcodeError) as info:
        read_path(path)
    assert str(info.value) == (
        "odd.csv: no document column; columns found: who, q, said, region (map one with --map COLUMN=document)"
    )
    options = ReadOptions(mapping={"who": "document", "q": "question", "said": "answer"})
    [doc] = read_path(path, options)
    assert (doc.name, doc.attributes, doc.units[-1].question_key) == ("R9", {"region": "North"}, "Q2")
    with pytest.raises(
        QualcodeError,
        match=r"^odd.csv: mapped column\(s\) speaker not found; columns found: who, q, said, region$",
    ):
        read_path(path, ReadOptions(mapping={"speaker": "document"}))


def test_xlsx_survey(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["受访者", "问题", "回答", "城市"])
    sheet.append(["张主任", "请介绍您的工作。", "我负责联合体。", "海滨市"])
    book.save(tmp_path / "survey.xlsx")
    [doc] = read_path(tmp_path / "survey.xlsx")
    assert (doc.name, doc.attributes, doc.encoding) == ("张主任", {"城市": "海滨市"}, None)
    assert unit_texts(doc)[-1] == ("张主任", "respondent", "我负责联合体。")
    assert doc.units[0].question_source is None  # no key column: left to alignment
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04broken")
    with pytest.raises(QualcodeError, match=r"^broken.xlsx: not a readable .xlsx file"):
        read_path(tmp_path / "broken.xlsx")


VTT = """\
WEBVTT

1
00:00:01.000 --> 00:00:04.500
<v Interviewer>Q1. Please describe your role.

2
00:00:05.000 --> 00:00:09.000
<v 张主任>我负责联合体秘书处。

3
00:00:09.000 --> 00:01:02.250
<v 张主任>也协调企业。
"""

SRT = """\
1
00:00:01,000 --> 00:00:03,000
Interviewer: Q2, who leads it?

2
01:00:03,500 --> 01:00:06,000
Respondent: The city government.
"""


def test_vtt_speakers_and_times(tmp_path: Path) -> None:
    [doc] = read_path(write(tmp_path / "talk.vtt", VTT))
    assert unit_texts(doc) == [
        ("Interviewer", "interviewer", "Q1. Please describe your role."),
        ("张主任", "respondent", "我负责联合体秘书处。\n也协调企业。"),
    ]
    assert [(u.t_start, u.t_end) for u in doc.units] == [(1.0, 4.5), (5.0, 62.25)]


def test_srt_speaker_prefix_and_hours(tmp_path: Path) -> None:
    [doc] = read_path(write(tmp_path / "talk.srt", SRT, newline="\r\n"))
    assert unit_texts(doc) == [
        ("Interviewer", "interviewer", "Q2, who leads it?"),
        ("Respondent", "respondent", "The city government."),
    ]
    assert doc.units[1].t_start == 3603.5
    write(tmp_path / "none.srt", "no cues here\n")
    with pytest.raises(QualcodeError, match=r"^none.srt: no timed cues found"):
        read_path(tmp_path / "none.srt")


def test_unsupported_format(tmp_path: Path) -> None:
    with pytest.raises(QualcodeError, match=r"^x.odt: unsupported format .odt"):
        read_path(write(tmp_path / "x.odt", "x"))


def test_csv_with_a_very_long_answer(tmp_path: Path) -> None:
    long_answer = "很长的回答。" * 40_000  # 240,000 characters, over the csv module's default field limit
    [doc] = read_path(write(tmp_path / "long.csv", f"respondent,answer\nR1,{long_answer}\n"))
    assert doc.text[doc.units[0].start : doc.units[0].end] == long_answer


@pytest.mark.parametrize(
    "document_column, answer_column",
    [
        ("Respondent ID", "Response"),
        ("ResponseId", "Answer Text"),
        ("Participant", "answer"),
        ("受访者编号", "回答内容"),
        ("访谈对象", "回答"),
    ],
)
def test_survey_exports_headers_are_recognised(
    tmp_path: Path, document_column: str, answer_column: str
) -> None:
    # Headers as survey tools write them (SurveyMonkey, Qualtrics, 问卷星), with spaces and case.
    path = write(
        tmp_path / "s.csv",
        f"{document_column},Question,{answer_column},City\nR01,Why?,Because.,Haibin\n",
        "utf-8-sig",
    )
    [doc] = read_path(path)
    assert doc.name == "R01" and "Because." in doc.text and doc.attributes == {"City": "Haibin"}


def test_docx_details_table_becomes_header_attributes_not_turns(tmp_path: Path) -> None:
    # A 访谈记录 often opens with a two-column table of details, not questions and answers.
    from docx import Document

    document = Document()
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(
        table.rows, [("城市", "海滨市"), ("受访者身份", "政府官员"), ("访谈日期", "2025-03-01")], strict=True
    ):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.add_paragraph("访谈者：问题1，请介绍您的工作。")
    document.add_paragraph("受访者：我负责校企合作。")
    qa = document.add_table(rows=2, cols=2)
    for row, cells in zip(
        qa.rows,
        [("专业如何对接产业？", "共同制定培养方案。"), ("实践教学呢？", "共建实训基地。")],
        strict=True,
    ):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.save(tmp_path / "record.docx")
    [doc] = read_path(tmp_path / "record.docx")
    assert doc.attributes == {"城市": "海滨市", "受访者身份": "政府官员", "访谈日期": "2025-03-01"}
    assert [(s, t) for s, _, t in unit_texts(doc)] == [
        ("访谈者", "问题1，请介绍您的工作。"),
        ("受访者", "我负责校企合作。"),
        ("问", "专业如何对接产业？"),
        ("答", "共同制定培养方案。"),
        ("问", "实践教学呢？"),
        ("答", "共建实训基地。"),
    ]


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_separated_exports(tmp_path: Path, sep: str) -> None:
    # Excel in many locales saves "CSV" with semicolons; some tools write tabs.
    path = write(
        tmp_path / "s.csv",
        sep.join(["respondent", "question", "answer", "City"])
        + "\n"
        + sep.join(["R1", "Why, then?", "Because, and so on.", "Haibin"])
        + "\n",
    )
    [doc] = read_path(path)
    assert doc.name == "R1" and "Because, and so on." in doc.text and doc.attributes == {"City": "Haibin"}


def test_blank_and_repeated_headers_get_names(tmp_path: Path) -> None:
    path = write(
        tmp_path / "s.csv", "受访者,问题,回答,备注,备注,\n张主任,如何组建？,政府牵头,a,b,c\n", "utf-8-sig"
    )
    [doc] = read_path(path)
    assert doc.attributes == {"备注": "a", "备注 (2)": "b", "column 6": "c"}

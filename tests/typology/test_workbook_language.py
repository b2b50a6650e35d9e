"""The workbook in Chinese and in English: the same cells apart from what people read (the header
row, the README sheet's explanations and notes, and the warnings and reasons in the sheets)."""

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl

from qualcode.i18n import language
from qualcode.services.exchange.workbook import export_workbook

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
# Columns whose cells are sentences (warnings, notes, reasons) in the interface language.
WRITTEN = {"Assignments": ("reason",), "Agreement": ("warnings", "CI note", "Cohen kappa (pairs)")}


def _sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_chinese_and_english_workbooks_differ_only_in_headers(project: Any, tmp_path: Path) -> None:
    english = export_workbook(project, tmp_path / "en.xlsx", now=NOW)
    with language("zh_CN"):
        chinese = export_workbook(project, tmp_path / "zh.xlsx", now=NOW)
    en, zh = _sheets(english), _sheets(chinese)
    assert list(en) == list(zh)  # sheet names are the same in every language
    numbers = 0
    for name in en:
        assert len(en[name]) == len(zh[name]), name
        for row_en, row_zh in zip(en[name][1:], zh[name][1:], strict=True):
            for a, b in zip(row_en, row_zh, strict=True):
                if isinstance(a, (int, float)) and not isinstance(a, bool):
                    numbers += 1
                    assert a == b, name
            if name == "README":  # the explanation column (and a note's value) is in the interface language
                assert row_en[:3] == row_zh[:3] or (row_en[0] == "notes" and row_en[:2] == row_zh[:2]), row_en
            else:
                keys = en[name][0]
                for key, a, b in zip(keys, row_en, row_zh, strict=True):
                    # a warning or reason is a sentence people read: written in each language
                    sentence = key in WRITTEN.get(name, ()) or (
                        name == "Cluster_Diagnostics" and row_en[0] == "skipped"
                    )
                    assert a == b or (sentence and isinstance(b, str) and re.search("[\u4e00-\u9fff]", b)), (
                        name,
                        key,
                    )
    assert numbers > 100
    readme = {row[1]: row[3] for row in zh["README"][1:] if row[0] == "sheet"}
    assert readme["Codebook"].startswith("编码本") and "编码片段" in readme["Segments"]
    readme_en = {row[1]: row[3] for row in en["README"][1:] if row[0] == "sheet"}
    assert readme_en["Codebook"].startswith("The code tree")
    # the header row: the keys (as in the CSV) in English, the headings in Chinese
    for name, key, heading in (
        ("Codebook", "definition_zh", "定义（中文）"),
        ("Codebook", "inclusion", "纳入标准（英文）"),
        ("Segments", "coder", "编码员"),
        ("Segments", "memo", "备忘录"),
        ("Documents", "case", "个案"),
    ):
        column = en[name][0].index(key)
        assert zh[name][0][column] == heading, (name, key)
    assert en["Segments"][0] != zh["Segments"][0]
    # the Chinese header cell keeps the key as its note, the English one the Chinese heading
    ws_zh = openpyxl.load_workbook(chinese)["Segments"]
    ws_en = openpyxl.load_workbook(english)["Segments"]
    column = en["Segments"][0].index("coder") + 1
    assert ws_zh.cell(1, column).comment.text == "coder"
    assert ws_en.cell(1, column).comment.text == "编码员"

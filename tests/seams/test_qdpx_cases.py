"""`export --qdpx` writes the cases the project has now: the workbook's and typology's cases."""

from pathlib import Path

from openpyxl import load_workbook

from qualcode.io.refi.read import read_qdpx
from tests.foundation.test_cli import qc

# (file, per-interview case header, city in one of the two languages' header names)
INTERVIEWS = [
    ("qs-gov.txt", "案例：青山一号", "城市：青山市"),
    ("qs-col.txt", "案例：青山二号", "城市：青山市"),
    ("hb-gov.txt", "Case: Haibin one", "City: 海滨市"),
    ("hb-ent.txt", "Case: Haibin two", "City: 海滨市"),
    ("hb-exp.txt", "Case: Haibin three", "City: 海滨市"),
]


def _project(tmp_path: Path) -> str:
    folder = tmp_path / "transcripts"
    folder.mkdir()
    for name, case, city in INTERVIEWS:
        body = "访谈者：问题1：请介绍一下。\n\n受访者：我们和企业共建课程。\n"
        (folder / name).write_text(f"{case}\n{city}\n\n{body}", encoding="utf-8")
    target = str(tmp_path / "p")
    qc("init", target)
    qc("import", target, str(folder))
    return target


def _cases(path: Path) -> dict[str, int]:
    return {case.name: len(case.source_refs) for case in read_qdpx(path).cases}


def test_after_changing_the_case_attribute_the_archive_holds_the_new_cases(tmp_path: Path) -> None:
    target = _project(tmp_path)
    before = tmp_path / "before.qdpx"
    qc("export", target, "--qdpx", str(before))
    assert _cases(before) == {case.split("：")[-1].split(": ")[-1]: 1 for _, case, _ in INTERVIEWS}

    qc("settings", "set", target, "case_attribute", "City")
    after, book = tmp_path / "after.qdpx", tmp_path / "after.xlsx"
    qc("export", target, "--qdpx", str(after), "--xlsx", str(book))
    assert _cases(after) == {"青山市": 2, "海滨市": 3}
    sheet = load_workbook(book, read_only=True)["Case_x_Code"]
    workbook_cases = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert workbook_cases == set(_cases(after))


def test_the_new_cases_survive_a_round_trip(tmp_path: Path) -> None:
    target = _project(tmp_path)
    qc("settings", "set", target, "case_attribute", "城市")
    archive = tmp_path / "p.qdpx"
    qc("export", target, "--qdpx", str(archive))
    copy = str(tmp_path / "copy")
    qc("init", copy, "--from", str(archive))
    again = tmp_path / "again.qdpx"
    qc("export", copy, "--qdpx", str(again))
    assert _cases(again) == _cases(archive) == {"青山市": 2, "海滨市": 3}


def test_several_case_keys_and_a_key_no_document_has(tmp_path: Path) -> None:
    target = _project(tmp_path)
    qc("settings", "set", target, "case_attribute", "Consortium,City")  # no document has Consortium
    archive = tmp_path / "p.qdpx"
    qc("export", target, "--qdpx", str(archive))
    assert _cases(archive) == {"青山市": 2, "海滨市": 3}

"""Issue 16 item 5: text in an unclear or mixed encoding, a CSV quote that is never closed and
an .xlsx formula without a saved result are refused, never stored as mojibake or empty."""

import random
from pathlib import Path

import pytest

from qualcode.core.errors import QualcodeError
from qualcode.io.decode import decode_bytes
from tests.hardening.input_support import assert_refused, project, run, tables
from tests.importing.helpers import EN_TRANSCRIPT, ZH_TRANSCRIPT

__all__ = ["project"]


def _mixed() -> bytes:
    half = len(ZH_TRANSCRIPT) // 2
    return ZH_TRANSCRIPT[:half].encode("utf-8") + ZH_TRANSCRIPT[half:].encode("gb18030") + b"\x80\xff\x9d\n"


def _stray(byte: bytes) -> bytes:
    data = EN_TRANSCRIPT.encode("ascii")
    return data[:300] + byte + data[300:]


REFUSED = {
    "utf8-then-gb18030-then-stray-bytes": (
        _mixed(),
        "part of the file is UTF-8 and part is in another encoding",
    ),
    "utf8-then-gb18030": (
        ZH_TRANSCRIPT[:200].encode("utf-8") + ZH_TRANSCRIPT[200:].encode("gb18030"),
        "part of the file is UTF-8",
    ),
    "ascii-with-stray-0x9d": (_stray(b"\x9d"), "--encoding"),
    "ascii-with-stray-0xff": (_stray(b"\xff"), "--encoding"),
    "ascii-with-stray-0x81": (b"Interviewer: hello\nRespondent: fine \x81 thanks\n", "--encoding"),
    "box-drawing-bytes": (
        bytes(random.Random(4).choices([0xB3, 0xBA, 0xC4, 0xCD, 0xDA, 0xBF], k=40)) + b"\nRespondent: ok\n",
        "--encoding",
    ),
    "high-bytes-then-english": (
        bytes(random.Random(3).choices(range(0x80, 0x100), k=100)) + EN_TRANSCRIPT.encode(),
        "--encoding",
    ),
    "cyrillic-cp1251": (
        "Интервьюер: расскажите о консорциуме.\nРеспондент: мы готовим кадры.\n".encode("cp1251"),
        "--encoding cp1251",
    ),
    "accented-garbage": (b"Interviewer: hi\n" + b"\xc9" * 60 + b"\n", "--encoding"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_unclear_text_is_refused_naming_encoding(capsys, project: Path, tmp_path: Path, name: str):
    data, says = REFUSED[name]
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    line = assert_refused(capsys, project, "import", project, path, says=says)
    assert "--encoding" in line


def test_an_explicit_encoding_still_reads_what_detection_refuses(capsys, project: Path, tmp_path: Path):
    path = tmp_path / "ru.txt"
    path.write_bytes(REFUSED["cyrillic-cp1251"][0])
    code, _, err = run(capsys, "import", project, path, "--encoding", "cp1251")
    assert code == 0, err
    assert tables(project)["documents"][0] == 1


@pytest.mark.parametrize(
    "text",
    [
        "Interviewer: \u201cWhat\u2019s the plan?\u201d\nRespondent: We\u2019ll see \u2026 caf\u00e9 \u2013 fine.\n",
        "Les étudiants ont été très intéressés — « coopération ».",
    ],
)
def test_western_text_in_windows_1252_is_still_read(text: str):
    decoded = decode_bytes(text.encode("cp1252"), "w.txt")
    assert (decoded.text.rstrip("\n"), decoded.encoding) == (text.rstrip("\n"), "cp1252")


@pytest.mark.parametrize("codec", ["gb18030", "big5"])
def test_chinese_codecs_are_still_detected(codec: str):
    text = (
        ZH_TRANSCRIPT
        if codec == "gb18030"
        else "訪談者：請介紹一下聯合體的情況。\n受訪者：我們和企業一起培養人才，發展很快。\n"
    )
    assert decode_bytes(text.encode(codec), "zh.txt").text == text


def test_detection_never_returns_an_unlisted_codec():
    rng = random.Random(7)
    for _ in range(200):
        data = bytes(rng.randrange(0x20, 0x100) for _ in range(rng.randrange(20, 400)))
        try:
            decoded = decode_bytes(data, "r.txt")
        except QualcodeError as exc:
            assert "--encoding" in str(exc) or "binary" in str(exc) or "UTF-8" in str(exc)
            continue
        assert decoded.encoding in ("utf-8", "gb18030", "big5hkscs", "cp1252"), decoded.encoding


def test_an_unterminated_csv_quote_is_refused_with_its_row(capsys, project: Path, tmp_path: Path):
    path = tmp_path / "survey.csv"
    path.write_text(
        'Respondent,Question,Answer\nr1,Q1,"We train people.\nr1,Q2,We build labs.\nr2,Q1,Fine.\n',
        encoding="utf-8",
    )
    assert_refused(capsys, project, "import", project, path, says="row 2 (line 2) opens a quote")


def test_a_stray_csv_quote_is_refused_with_its_row(capsys, project: Path, tmp_path: Path):
    path = tmp_path / "survey.csv"
    path.write_text('Respondent,Answer\nr1,fine\nr2,"bad" quote\n', encoding="utf-8")
    assert_refused(capsys, project, "import", project, path, says="row 3 (line 3) has a stray quote")


def test_quoted_multiline_answers_still_import(capsys, project: Path, tmp_path: Path):
    path = tmp_path / "survey.csv"
    path.write_text('Respondent,Answer\nr1,"two\nlines, ""quoted"""\nr2,ok\n', encoding="utf-8")
    code, _, err = run(capsys, "import", project, path)
    assert code == 0, err
    assert tables(project)["documents"][0] == 2


def test_an_xlsx_formula_without_a_saved_result_is_refused(capsys, project: Path, tmp_path: Path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Respondent", "Question", "Answer"])
    sheet.append(["r1", "Q1", "We train people."])
    sheet.append(["r1", "Q2", '=B2&" and more"'])  # openpyxl saves formulas without results
    path = tmp_path / "survey.xlsx"
    book.save(path)
    assert_refused(capsys, project, "import", project, path, says="cell C3 holds the formula")

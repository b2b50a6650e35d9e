"""The private openpyxl writer qualcode/io/openpyxl_private.py relies on still behaves as verified.

A write-only sheet, once closed, must leave its whole XML in a file the save copies afterwards:
bytes spliced into that file are what the saved workbook holds. If openpyxl changes this, the
fast xlsx path would write empty or broken sheets, so this fails first, naming the module.
"""

import zipfile
from pathlib import Path

import openpyxl
from openpyxl import Workbook, load_workbook

from qualcode.io.openpyxl_private import VERIFIED_WITH, close_to_sheet_xml

MODULE = "qualcode/io/openpyxl_private.py"


def _changed(what: str) -> str:
    return f"{MODULE} relies on {what}; openpyxl {openpyxl.__version__} changed it: re-verify that module"


def test_the_installed_openpyxl_is_the_verified_minor_version() -> None:
    verified = VERIFIED_WITH.split()[-1].split(".")[:2]
    assert openpyxl.__version__.split(".")[:2] == verified, _changed(f"the internals of {VERIFIED_WITH}")


def test_rows_spliced_into_the_closed_sheet_xml_are_saved(tmp_path: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(["header"])
    path = close_to_sheet_xml(sheet)
    written = Path(path).read_bytes()
    assert written.count(b"</sheetData>") == 1, _changed("the closed sheet XML holding one </sheetData>")
    cut = written.rfind(b"</sheetData>")
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>spliced</t></is></c></row>'
    Path(path).write_bytes(written[:cut] + row + written[cut:])
    target = tmp_path / "out.xlsx"
    book.save(target)
    with zipfile.ZipFile(target) as archive:
        assert b"spliced" in archive.read("xl/worksheets/sheet1.xml"), _changed(
            "Workbook.save copying the closed sheet's file into the archive"
        )
    values = [r[0] for r in load_workbook(target, read_only=True)["Data"].iter_rows(values_only=True)]
    assert values == ["header", "spliced"], _changed("the spliced rows reading back")

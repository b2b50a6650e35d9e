"""openpyxl's private writer, fenced: where the fast xlsx path (io/workbook.py) splices its rows.

Verified against openpyxl 3.1.5; pyproject pins `openpyxl>=3.1,<3.2` for that reason. Before
moving the pin, re-check what follows against the new version: `tests/test_openpyxl_private.py`
builds a sheet through this module and fails, naming it, when openpyxl changes underneath.

What is relied on: a write-only worksheet, once closed, has written its whole sheet XML to a
temporary file whose path is `ws._writer.out` (a private `WorksheetWriter` attribute), holding
exactly one `</sheetData>`; `Workbook.save` copies that file into the archive afterwards, so
bytes written into it before the save are what the workbook contains.
"""

from typing import Any

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

VERIFIED_WITH = "openpyxl 3.1.5"


def close_to_sheet_xml(ws: WriteOnlyWorksheet) -> str:
    """Let openpyxl finish the sheet; return the path of the sheet XML the save will archive."""
    ws.close()
    writer: Any = getattr(ws, "_writer", None)  # typed stubs do not list the private writer
    if writer is None or not isinstance(writer.out, str):
        raise RuntimeError(
            f"openpyxl's write-only sheet has no file writer ({__name__}, verified with {VERIFIED_WITH})"
        )
    return writer.out

"""A Word document of three-line tables, as Chinese journals and APA print them.

Three-line table: a heavy rule above the table and below it, one thin rule under the header, no
vertical rules; the numbered title above the table, notes below it. Text is set in Times New
Roman for Latin and 宋体 (SimSun) for Chinese — Word picks the East Asian font from the run's
`w:eastAsia` attribute, which python-docx's `font.name` does not set, so it is set here.
Numbers are right-aligned so that their digits line up.

python-docx has no public API for borders or repeated header rows: this module (and only this
one) reaches the underlying XML through `table._tbl`, `cell._tc` and `row._tr`, verified against
python-docx 1.2; tests/paper/test_report_docx.py fails if they change.
"""

import re
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

LATIN_FONT = "Times New Roman"
EAST_ASIAN_FONT = "宋体"  # SimSun: Word maps the Chinese name on every Chinese system
TEXT_WIDTH_CM = 16.0  # A4 less 2.5 cm margins each side
MIN_COLUMN_CM = 1.3
HEAVY_RULE = 12  # eighths of a point: 1.5 pt
THIN_RULE = 6  # 0.75 pt


def _set_fonts(element: Any, size: float | None = None) -> None:
    """Latin and East Asian fonts on a style's or run's rPr."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            node = rpr.find(qn(tag))
            if node is None:
                node = OxmlElement(tag)
                rpr.append(node)
            node.set(qn("w:val"), str(int(size * 2)))


def _border(parent: Any, tag: str, edges: dict[str, int | None]) -> None:
    """Set the borders of a table (`w:tblBorders`) or a cell (`w:tcBorders`): size or None (none)."""
    borders = parent.find(qn(tag))
    if borders is None:
        borders = OxmlElement(tag)
        parent.append(borders)
    for edge, size in edges.items():
        node = borders.find(qn(f"w:{edge}"))
        if node is None:
            node = OxmlElement(f"w:{edge}")
            borders.append(node)
        if size is None:
            node.set(qn("w:val"), "nil")
        else:
            node.set(qn("w:val"), "single")
            node.set(qn("w:sz"), str(size))
            node.set(qn("w:space"), "0")
            node.set(qn("w:color"), "000000")


def display_width(text: str) -> int:
    """Columns a line takes in print: East Asian wide characters count two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit_widths(weights: Sequence[float], total: float, minimum: float) -> list[float]:
    """Column widths proportional to `weights` that fill `total`, none narrower than `minimum`
    (a count or a short label must not break between its digits)."""
    pinned: set[int] = set()
    while True:
        free = [i for i in range(len(weights)) if i not in pinned]
        left = total - minimum * len(pinned)
        share = sum(weights[i] for i in free)
        widths = [minimum if i in pinned else left * weights[i] / share for i in range(len(weights))]
        narrow = {i for i in free if widths[i] < minimum}
        if not narrow or len(pinned | narrow) == len(weights):
            return widths
        pinned |= narrow


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class DocxReport:
    """Build a report of headings, paragraphs, numbered three-line tables and figures."""

    def __init__(self, table_label: str, figure_label: str, note_label: str) -> None:
        # "表{n}" / "Table {n}": how titles are numbered in the report's language
        self.table_label, self.figure_label, self.note_label = table_label, figure_label, note_label
        self.document = Document()
        self.tables = 0
        self.figures = 0
        for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption"):
            style = self.document.styles[name]
            _set_fonts(style.element)
            style.font.color.rgb = RGBColor(0, 0, 0)  # journals print headings black, not the theme's blue
        _set_fonts(self.document.styles["Normal"].element, 10.5)  # 五号
        _set_fonts(self.document.styles["Title"].element, 16)
        _set_fonts(self.document.styles["Heading 1"].element, 12)

    def title(self, text: str) -> None:
        self.document.add_heading(text, level=0)

    def heading(self, text: str) -> None:
        self.document.add_heading(text, level=1)

    def paragraph(self, text: str) -> None:
        self.document.add_paragraph(text)

    def table(
        self,
        title: str,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        notes: Sequence[str] = (),
        *,
        digits: int = 3,
        merge: Sequence[int] = (),
    ) -> int:
        """A numbered three-line table with its title above and notes below; returns its number.
        Columns in `merge` show a value repeated in consecutive rows once, in merged cells."""
        self.tables += 1
        caption = self.document.add_paragraph(self.table_label.format(n=self.tables) + "  " + title)
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.keep_with_next = True
        for run in caption.runs:
            run.bold = True
        table = self.document.add_table(rows=1 + len(rows), cols=len(header))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        tbl_pr = table._tbl.tblPr  # python-docx has no API for table borders
        _border(
            tbl_pr,
            "w:tblBorders",
            {
                "top": HEAVY_RULE,
                "bottom": HEAVY_RULE,
                "left": None,
                "right": None,
                "insideH": None,
                "insideV": None,
            },
        )
        numeric = [
            bool(rows) and all(is_number(r[i]) or r[i] is None for r in rows) for i in range(len(header))
        ]
        # Each row's cells fetched once: python-docx rebuilds the row list and the grid on every
        # `table.rows[r].cells[i]`, which makes filling a table quadratic.
        grid = [row.cells for row in table.rows]
        for i, text in enumerate(header):
            cell = grid[0][i]
            cell.text = str(text)
            _border(cell._tc.get_or_add_tcPr(), "w:tcBorders", {"bottom": THIN_RULE})
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if numeric[i] else WD_ALIGN_PARAGRAPH.LEFT
            for run in paragraph.runs:
                run.bold = True
        for r, row in enumerate(rows, start=1):
            for i, value in enumerate(row):
                cell = grid[r][i]
                lines = self._text(value, digits).split("\n")
                cell.text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
                for paragraph in cell.paragraphs:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if numeric[i] else WD_ALIGN_PARAGRAPH.LEFT
        self._widths(table, grid, header, rows, digits)
        for column in merge:
            # a sub-category merges only within its main category
            self._merge_runs(table, rows, column, [k for k in merge if k <= column])
        repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page of a long table
        repeat.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(repeat)
        for note in notes:
            self.document.add_paragraph(self.note_label + note).paragraph_format.space_after = Pt(2)
        self.document.add_paragraph()
        return self.tables

    def _widths(
        self,
        table: Any,
        grid: Sequence[Sequence[Any]],
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        digits: int,
    ) -> None:
        """Share the text width by how much each column holds (Chinese characters count double),
        so a column of statements is wide and a column of counts narrow."""
        weights: list[float] = []
        for i, title in enumerate(header):
            longest = max(
                [display_width(line) for r in rows for line in self._text(r[i], digits).split("\n")] or [0]
            )
            # a header may wrap onto two lines; a value should not
            # Latin words do not break (Chinese breaks between any two characters)
            word = max((len(w) for w in re.findall(r"[A-Za-z0-9'’]+", str(title))), default=0)
            weights.append(max(6.0, min(max(longest + 3, 0.6 * display_width(str(title)), word + 4), 80)))
        centimetres = fit_widths(weights, TEXT_WIDTH_CM, MIN_COLUMN_CM)
        table.autofit = False
        for i, cm in enumerate(centimetres):
            width = Cm(cm)
            table.columns[i].width = width  # the grid: what LibreOffice and WPS read
            for cells in grid:
                cells[i].width = width  # the cells: what Word reads

    @staticmethod
    def _merge_runs(table: Any, rows: Sequence[Sequence[Any]], column: int, keys: Sequence[int]) -> None:
        start = 0
        for r in range(1, len(rows) + 1):
            if r < len(rows) and all(rows[r][k] == rows[start][k] for k in keys):
                continue
            if r - start > 1:
                top = table.rows[start + 1].cells[column]
                text = top.text
                merged = top.merge(table.rows[r].cells[column])
                merged.text = text  # merging joins the cells' paragraphs: keep the value once
            start = r

    @staticmethod
    def _text(value: Any, digits: int) -> str:
        if value is None:
            return "—"
        if isinstance(value, float):
            return f"{value:.{digits}f}"
        return str(value)

    def figure(self, png: bytes, caption: str, notes: Sequence[str] = (), width_cm: float = 15.0) -> int:
        """A numbered figure with its caption below; returns its number."""
        self.figures += 1
        self.document.add_picture(BytesIO(png), width=Cm(width_cm))
        self.document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        title = self.document.add_paragraph(self.figure_label.format(n=self.figures) + "  " + caption)
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for note in notes:
            self.document.add_paragraph(self.note_label + note)
        return self.figures

    def save(self, path: Path) -> None:
        self.document.save(str(path))

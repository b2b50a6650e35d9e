"""The transcript: a read-only TextArea that paints coded spans, overlaps and speaker turns.

This is the ONLY module that converts between code point offsets, (row, column) locations and
the UTF-8 byte columns of TextArea's private highlight map (`_highlights`, rebuilt in
`_build_highlight_map`). Those internals are pinned by `textual>=8.2,<8.3` and guarded by the
snapshot test of a coded Chinese transcript.
"""

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cached_cell_len, cell_len, get_character_cell_size
from rich.segment import Segment as RichSegment
from rich.style import Style
from textual.document._wrapped_document import WrappedDocument
from textual.message import Message
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Selection, TextAreaTheme

from qualcode.core.line_breaking import needs_rules, settle_break
from qualcode.core.names import printable
from qualcode.core.overlay import disagreement_pieces, elementary_tuples, speaker_label_end
from qualcode.tui.cell_width import extra_cells, wide_char_cells, wide_text_cells
from qualcode.tui.theme import (
    DISAGREE_STYLE,
    GUTTER_INTERVIEWER,
    GUTTER_RESPONDENT,
    OVERLAP_STYLE,
    SEARCH_STYLE,
    SPEAKER_STYLE,
    SUGGESTED_STYLE,
    code_style,
)

GUTTER_WIDTH = 8
PAINT_BLOCK = 64  # rows whose highlights are computed together, when one of them is first drawn


@dataclass(frozen=True)
class Turn:
    start: int
    end: int
    speaker: str | None
    role: str | None
    question: str | None


_CHUNK = re.compile(r"\S+\s*|\s+")  # a word and the spaces after it, or only spaces: how Textual wraps


def _wrap_offsets(line: str, width: int, ambiguous: int = 1) -> list[int]:
    """Where a tab-free line wider than `width` is broken for display: as Textual breaks it, with
    the breaks that would start a line with closing punctuation (or end one with opening
    punctuation) moved earlier by the Chinese line-breaking rules (core/line_breaking.py); the
    rest of the line is then wrapped again from the moved break. `ambiguous`: the cells an
    East Asian ambiguous character takes in this terminal (qualcode/tui/cell_width.py)."""
    breaks = _plain_wrap_offsets(line, width, ambiguous)
    if not breaks or not needs_rules(line):
        return breaks
    settled: list[int] = []
    start = 0
    pending, position = breaks, 0
    while position < len(pending):
        proposed = pending[position]
        index = settle_break(line, proposed, start)
        settled.append(index)
        start = index
        if index == proposed:
            position += 1
        else:
            pending, position = [index + b for b in _plain_wrap_offsets(line[index:], width, ambiguous)], 0
    return settled


def _plain_wrap_offsets(line: str, width: int, ambiguous: int = 1) -> list[int]:
    """Where Textual's compute_wrap_offsets breaks a tab-free line wider than `width`, twice as fast.

    Same rules: a chunk that fits stays on the line; one that fits on an empty line starts the
    next line; a chunk wider than a line (a run of Chinese without spaces) starts a new line
    and is cut before the character that would overflow. tests/tui/test_transcript_wrap.py
    checks the result against Textual's own wrapping (with ambiguous characters one cell wide).
    """
    breaks: list[int] = []
    offset = 0
    wide = ambiguous == 2
    for match in _CHUNK.finditer(line):
        start = match.start()
        chunk = match.group()
        # chunks repeat: cached, as Textual measures them
        size = wide_text_cells(chunk) if wide else cached_cell_len(chunk)
        if width - offset >= size:
            offset += size
        elif size > width:
            if start:
                breaks.append(start)
            total, pos = 0, start
            sizes = map(wide_char_cells if wide else get_character_cell_size, chunk)
            for char_size in sizes:
                if total + char_size > width:
                    if pos:  # a first character wider than the line repeats the break, as Textual does
                        breaks.append(pos)
                    total = char_size
                else:
                    total += char_size
                pos += 1
            offset = total
        elif offset and start:
            breaks.append(start)
            offset = size
    return breaks


class _WrappedTranscript(WrappedDocument):
    """WrappedDocument whose height is O(1): TextArea asks for it once per rendered line, and the
    stock property sums over every line (3,000 lines: a few ms per screen line). It measures
    East Asian ambiguous characters `ambiguous` cells wide (set by TranscriptView)."""

    ambiguous = 1

    @property
    def height(self) -> int:
        return len(self._offset_to_line_info)

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        """Wrap every line, skipping what a tab-free read-only transcript does not need.

        Wrapping 300,000 characters took ~0.1-0.3 s and Textual asks for it on every resize and
        scrollbar change: skip a wrap at the width already wrapped to and, without tabs, the
        per-line tab scan, and break lines with `_wrap_offsets`."""
        tab_width = tab_width or self._tab_width
        lines = self.document.lines
        ambiguous = self.ambiguous
        key = (width, tab_width, len(lines), ambiguous)
        if getattr(self, "_wrapped_as", None) == key:
            return
        if ambiguous == 1 and any("\t" in line for line in lines):
            super().wrap(width, tab_width)
        else:
            self._width, self._tab_width = width, tab_width
            wrap_offsets: list[list[int]] = []
            line_info: list[tuple[int, int]] = []
            line_offsets: list[list[int]] = []
            for index, line in enumerate(lines):
                # Tabs (rare in a transcript) count one cell here, as in the plain wrapping
                size = cached_cell_len(line) + extra_cells(line, ambiguous)
                breaks = _wrap_offsets(line, width, ambiguous) if width and size > width else []
                wrap_offsets.append(breaks)
                first = len(line_info)
                line_offsets.append(list(range(first, first + len(breaks) + 1)))
                line_info.extend((index, section) for section in range(len(breaks) + 1))
            self._wrap_offsets = wrap_offsets
            self._offset_to_line_info = line_info
            self._line_index_to_offsets = line_offsets
            self._tab_width_cache = [[0] if line else [] for line in lines]
        self._wrapped_as = key

    def get_target_document_column(self, line_index: int, x_offset: int, y_offset: int) -> int:
        """The column under screen cell `x_offset`: counted as the terminal draws the section
        when it draws ambiguous characters wide, then handed to Textual in rich's cells."""
        if self.ambiguous == 2:
            drawn = counted = 0
            for char in self.get_sections(line_index)[y_offset]:
                size = wide_char_cells(char)
                if drawn + size > x_offset:
                    break
                drawn += size
                counted += get_character_cell_size(char)
            else:
                counted += x_offset - drawn  # past the end of the text
            x_offset = counted
        return super().get_target_document_column(line_index, x_offset, y_offset)


class TranscriptView(TextArea):
    """Shows one document; offsets in and out are always code point indices into its text."""

    class CursorMoved(Message):
        def __init__(self, offset: int, selection: tuple[int, int]) -> None:
            super().__init__()
            self.offset = offset
            self.selection = selection

    class UndoRequested(Message):
        pass

    class RedoRequested(Message):
        pass

    def __init__(self, *, blink: bool = True, ambiguous_width: int = 1, **kwargs: Any) -> None:
        self._ambiguous = ambiguous_width  # cells of “ ” … — in this terminal (tui/cell_width.py)
        self._painted: dict[
            tuple[Any, ...], tuple[int, int, str, str]
        ] = {}  # segment -> (start, end, coder, code)
        self._mode: tuple[Any, ...] = (None, ())
        self._compare: list[str] | None = None
        self._hits: list[tuple[int, int]] = []
        self._line_starts: list[int] = [0]
        self._lines: list[str] = [""]
        self._gutter: dict[int, tuple[str, Style]] = {}
        self._turns: list[Turn] = []
        self._turn_starts: list[int] = []
        self._fresh = bytearray()  # 1 = the row's highlights are computed
        super().__init__("", read_only=True, soft_wrap=True, show_line_numbers=True, **kwargs)
        self.cursor_blink = blink
        self.highlight_cursor_line = False
        self._qtheme = TextAreaTheme(
            name="qualcode",
            selection_style=Style(reverse=True, bold=True),
            syntax_styles={
                "overlap": OVERLAP_STYLE,
                "disagree": DISAGREE_STYLE,
                "speaker": SPEAKER_STYLE,
                "search": SEARCH_STYLE,
            },
        )
        self.register_theme(self._qtheme)
        self.theme = "qualcode"

    # ---- loading -------------------------------------------------------------------------

    def show_document(self, text: str, turns: Sequence[Turn]) -> None:
        """Load a document's text and its turns (speaker, role, guide question) for the gutter."""
        # One visible character per control character: every offset into the stored text still holds.
        text = printable(text, keep_lines=True)
        self._lines = text.split("\n")
        starts = [0]
        for line in self._lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        self._line_starts = starts
        self._turns = sorted(turns, key=lambda t: t.start)
        self._turn_starts = [t.start for t in self._turns]
        self._gutter = {}
        for turn in self._turns:
            row = self.row_of(turn.start)
            label = printable((turn.question or "").strip())[: GUTTER_WIDTH - 3]
            mark = {"interviewer": "I", "respondent": "R"}.get(turn.role or "", "")
            style = GUTTER_INTERVIEWER if turn.role == "interviewer" else GUTTER_RESPONDENT
            self._gutter.setdefault(row, (f"{label:<{GUTTER_WIDTH - 3}}{mark:1}", style))
        self._painted, self._mode, self._compare, self._hits = {}, (None, ()), None, []
        self.load_text(text)  # rebuilds the (now empty) highlight map

    def set_segments(
        self,
        segments: Sequence[dict[str, Any]],
        *,
        compare: Sequence[str] | None = None,
        hits: Sequence[tuple[int, int]] = (),
    ) -> None:
        """Paint segments (dicts with id, start, end, code, color, coder).

        Pieces covered by one code take its colour; pieces with two or more codes take the
        overlap style. With `compare` (coder names), pieces where those coders differ are marked.
        When only a few segments changed since the last call, only the rows they touch are
        repainted, so applying one code to a long transcript stays fast.
        """
        for seg in segments:
            self._register_style(seg)
        new = {self._identity(seg): (seg["start"], seg["end"], seg["coder"], seg["code"]) for seg in segments}
        mode = (tuple(compare) if compare else None, tuple(hits))
        old, same_mode = self._painted, mode == self._mode
        self._painted, self._mode = new, mode
        self._compare = list(compare) if compare else None
        self._hits = list(hits)
        changed = [new[k] for k in new.keys() - old.keys()] + [old[k] for k in old.keys() - new.keys()]
        if not same_mode or len(changed) > 64:
            self._build_highlight_map()
            self.refresh()
        elif changed:
            self._repaint_spans(changed)

    def add_segment(self, seg: dict[str, Any]) -> None:
        """Paint one more segment (just committed) without looking at the others again."""
        self._register_style(seg)
        span = (seg["start"], seg["end"], seg["coder"], seg["code"])
        self._painted[self._identity(seg)] = span
        self._repaint_spans([span])

    def _register_style(self, seg: dict[str, Any]) -> None:
        name = f"code.{seg['code']}"
        if name not in self._qtheme.syntax_styles:
            style = SUGGESTED_STYLE if seg.get("suggested") else code_style(seg.get("color"))
            self._qtheme.syntax_styles[name] = style

    def _repaint_spans(self, changed: Sequence[tuple[int, int, str, str]]) -> None:
        """Recompute and redraw only the rows these spans touch."""
        first = self.row_of(min(c[0] for c in changed))
        last = self.row_of(max(c[1] for c in changed) - 1)
        if len(self._fresh) == len(self._lines):
            self._paint_rows(first, last)
            self._fresh[first : last + 1] = b"\x01" * (last + 1 - first)
        self._forget_rendered_rows(first, last)

    def _forget_rendered_rows(self, first: int, last: int) -> None:
        """Drop the cached strips of document rows first..last and redraw those that are visible.

        Clearing the whole cache would re-render every visible line (~2 ms each with CJK text)."""
        infos = self.wrapped_document._offset_to_line_info
        stale = [
            key
            for key in list(self._line_cache.keys())
            if key[2] < len(infos) and infos[key[2]] is not None and first <= infos[key[2]][0] <= last
        ]
        for key in stale:
            self._line_cache.discard(key)
        top = self.scroll_offset.y
        for y in range(top, min(top + self.size.height, len(infos))):
            if infos[y] is not None and first <= infos[y][0] <= last:
                self.refresh_line(y)  # virtual y: refresh_line subtracts the scroll offset

    @staticmethod
    def _identity(seg: dict[str, Any]) -> tuple[Any, ...]:
        return (seg.get("id"), seg["start"], seg["end"], seg["coder"], seg["code"])

    def _piece_names(self, spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str]]:
        """Style name of every elementary piece of these (start, end, coder, code) spans."""
        out: list[tuple[int, int, str]] = []
        if self._compare:
            for start, end, agree, labels in disagreement_pieces(spans, self._compare):
                codes = {code for _, code in labels}
                name = (
                    "disagree"
                    if not agree
                    else (f"code.{next(iter(codes))}" if len(codes) == 1 else "overlap")
                )
                out.append((start, end, name))
        else:
            for start, end, codes in elementary_tuples((s, e, code) for s, e, _, code in spans):
                out.append((start, end, f"code.{next(iter(codes))}" if len(codes) == 1 else "overlap"))
        return out

    # ---- offsets <-> locations (code points) ------------------------------------------------

    def row_of(self, offset: int) -> int:
        return max(0, bisect_right(self._line_starts, offset) - 1)

    def location_of(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        row = self.row_of(offset)
        return (row, offset - self._line_starts[row])

    def offset_of(self, location: tuple[int, int]) -> int:
        row, col = location
        row = max(0, min(row, len(self._line_starts) - 1))
        return self._line_starts[row] + min(col, len(self._lines[row]))

    @property
    def cursor_offset(self) -> int:
        return self.offset_of(self.selection.end)

    @property
    def selected_offsets(self) -> tuple[int, int]:
        """The selection as [start, end) code point offsets (start == end when nothing is selected)."""
        a, b = sorted((self.offset_of(self.selection.start), self.offset_of(self.selection.end)))
        return (a, b)

    def select_offsets(self, start: int, end: int) -> None:
        self.selection = Selection(self.location_of(start), self.location_of(end))
        self.scroll_cursor_visible(center=True)

    def turn_at(self, offset: int) -> Turn | None:
        i = bisect_right(self._turn_starts, offset) - 1
        if i >= 0 and self._turns[i].start <= offset < max(self._turns[i].end, self._turns[i].start + 1):
            return self._turns[i]
        return None

    # ---- rendering ---------------------------------------------------------------------------

    def _byte_col(self, row: int, col: int) -> int:
        line = self._lines[row] if row < len(self._lines) else ""
        return col if line.isascii() else len(line[:col].encode("utf-8"))

    def _add(self, start: int, end: int, name: str) -> None:
        highlights = self._highlights
        first, last = self.row_of(start), self.row_of(max(start, end - 1))
        for row in range(first, last + 1):
            line_len = len(self._lines[row])
            c0 = start - self._line_starts[row] if row == first else 0
            c1 = min(end - self._line_starts[row], line_len) if row == last else line_len
            if c1 > c0:  # an empty end column would mean "to the end of the line"
                highlights[row].append((self._byte_col(row, c0), self._byte_col(row, c1), name))

    def _paint_rows(self, first: int, last: int) -> None:
        """Recompute the highlights of rows first..last from the segments that touch them."""
        highlights = self._highlights
        for row in range(first, last + 1):
            highlights.pop(row, None)
        lo = self._line_starts[first]
        hi = self._line_starts[last] + len(self._lines[last])
        clipped = [
            (max(s, lo), min(e, hi), coder, code)
            for s, e, coder, code in self._painted.values()
            if s < hi and e > lo
        ]
        text = self.text if self._turns else ""
        i = bisect_right(self._turn_starts, lo - 1)
        while i < len(self._turns) and self._turns[i].start <= hi:
            turn = self._turns[i]
            label_end = speaker_label_end(text, turn.start, turn.end)
            if label_end is not None:
                self._add(turn.start, label_end, "speaker")
            i += 1
        for start, end, name in self._piece_names(clipped):
            self._add(start, end, name)
        for start, end in self._hits:
            if start < hi and end > lo:
                self._add(max(start, lo), min(end, hi), "search")

    def _rewrap_and_refresh_virtual_size(self) -> None:
        # _set_document makes a stock WrappedDocument and wraps it at once: adopt it first, or the
        # first frame after loading a document is wrapped without the Chinese line-breaking rules
        # and the ambiguous width (until the next resize).
        wrapped = self.wrapped_document
        if not isinstance(wrapped, _WrappedTranscript):
            wrapped.__class__ = _WrappedTranscript  # read-only: wrapping changes only on resize
        if isinstance(wrapped, _WrappedTranscript):  # (for mypy: it is, now)
            wrapped.ambiguous = self._ambiguous
        super()._rewrap_and_refresh_virtual_size()

    def _build_highlight_map(self) -> None:
        """Forget every row's highlights; rows are recomputed when drawn (`_ensure_painted`).

        Computing all 3,000 rows of a long transcript with 5,000 segments takes ~0.2 s, most of
        it for rows nobody looks at before the first frame."""
        self._line_cache.clear()
        self._highlights.clear()
        self._fresh = bytearray(len(self._lines) if len(self._lines) == self.document.line_count else 0)

    def _ensure_painted(self, first: int, last: int) -> None:
        """Compute the highlights of rows first..last that are not computed yet, a block at a time."""
        fresh, count = self._fresh, len(self._fresh)
        row = max(first, 0)
        while row <= min(last, count - 1):
            if fresh[row]:
                row += 1
                continue
            b0 = row - row % PAINT_BLOCK
            b1 = min(b0 + PAINT_BLOCK, count) - 1
            self._paint_rows(b0, b1)
            fresh[b0 : b1 + 1] = b"\x01" * (b1 + 1 - b0)
            row = b1 + 1

    def paint_all(self) -> None:
        """Compute every row's highlights now (tests and benchmarks; drawing does it lazily)."""
        self._ensure_painted(0, len(self._fresh) - 1)

    @property
    def gutter_width(self) -> int:
        return GUTTER_WIDTH if self.show_line_numbers else 0

    def _render_line(self, y: int) -> Strip:
        try:  # len(_offset_to_line_info) is the wrapped height; `.height` would sum over every line
            info = self.wrapped_document._offset_to_line_info[y + self.scroll_offset.y]
        except IndexError:
            info = None
        if info is not None:
            self._ensure_painted(info[0], info[0])
        strip = super()._render_line(y)
        if not self.show_line_numbers or info is None:
            return self._fit_drawn_width(strip)
        label, style = ("", Style())
        if info[1] == 0:
            label, style = self._gutter.get(info[0], ("", Style()))
        pad = GUTTER_WIDTH - 1 - cell_len(label)
        gutter = Strip(
            [RichSegment(label + " " * max(pad, 0), style), RichSegment("│", Style(dim=True))], GUTTER_WIDTH
        )
        return self._fit_drawn_width(Strip.join([gutter, strip.crop(GUTTER_WIDTH)]))

    def _fit_drawn_width(self, strip: Strip) -> Strip:
        """With ambiguous characters drawn two cells wide, a line is drawn one cell longer per
        such character than rich counts: drop that many cells of the padding after the text
        (the wrapping left room for them) and keep the counted length, so the terminal draws
        exactly the width Textual laid out and nothing beside the transcript shifts."""
        if self._ambiguous == 1:
            return strip
        extra = extra_cells(strip.text, self._ambiguous)
        if not extra:
            return strip
        return Strip(strip.crop(0, strip.cell_length - extra), strip.cell_length)

    # ---- events ------------------------------------------------------------------------------

    def _watch_selection(self, previous: Selection, selection: Selection) -> None:
        super()._watch_selection(previous, selection)
        self.post_message(self.CursorMoved(self.offset_of(selection.end), self.selected_offsets))

    def action_undo(self) -> None:
        self.post_message(self.UndoRequested())

    def action_redo(self) -> None:
        self.post_message(self.RedoRequested())

"""The transcript's own line wrapping: Textual's breaks, except where the Chinese line-breaking
rules move one (no line begins with closing or ends with opening punctuation)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.document._document import Document
from textual.document._wrapped_document import WrappedDocument

from qualcode.core.line_breaking import needs_rules, violates
from qualcode.tui.widgets import transcript_view
from qualcode.tui.widgets.transcript_view import _plain_wrap_offsets, _wrap_offsets, _WrappedTranscript
from tests.tui.conftest import EN_TEXT, ZH_TEXT

TEXT = "\n".join(
    [
        ZH_TEXT,
        EN_TEXT,
        "",
        "x" * 200,
        "  leading  spaces   and trailing   ",
        "中文" * 80 + " " * 10,
        "a b " * 60,
    ]
)
FIELDS = (
    "_wrap_offsets",
    "_offset_to_line_info",
    "_line_index_to_offsets",
    "_tab_width_cache",
    "_width",
    "_tab_width",
)


@pytest.mark.parametrize("text", [TEXT, TEXT + "\n\tindented with a tab"], ids=["no-tabs", "tabs"])
@pytest.mark.parametrize("width", [0, 1, 3, 17, 40, 79, 150])
def test_wrap_matches_textual(text: str, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the punctuation rules set aside, the fast wrapper is Textual's wrapping exactly."""
    monkeypatch.setattr(transcript_view, "_wrap_offsets", _plain_wrap_offsets)
    doc = Document(text)
    stock = WrappedDocument(doc, width)
    ours = WrappedDocument(doc, 0)
    ours.__class__ = _WrappedTranscript
    ours.wrap(width, 4)
    assert {f: getattr(ours, f) for f in FIELDS} == {f: getattr(stock, f) for f in FIELDS}
    ours.wrap(width + 1, 4)  # a new width is wrapped again, not skipped
    assert ours._width == width + 1


def _lines(line: str, breaks: list[int]) -> list[str]:
    edges = [0, *breaks, len(line)]
    return [line[a:b] for a, b in zip(edges, edges[1:], strict=False)]


def _check(line: str, width: int) -> None:
    breaks = _wrap_offsets(line, width)
    assert breaks == sorted(set(breaks)) and all(0 < b < len(line) for b in breaks)
    pieces = _lines(line, breaks)
    assert "".join(pieces) == line  # offsets never depend on the display
    for piece in pieces:
        # No display line is wider than the pane unless one character alone is (Textual's rule too).
        assert cell_len(piece.rstrip(" ")) <= width or len(piece) == 1 or piece.strip() == ""
    edges = [0, *breaks]
    for lowest, index in zip(edges, edges[1:], strict=False):
        # A rule may only stay broken where no earlier break on that line was possible.
        if violates(line, index):
            assert all(violates(line, c) for c in range(lowest + 1, index)), (line, lowest, index)


ZH_PUNCT = (
    "联合体是市政府一手推起来的，市里先出方案。再去动员企业和学校加入！《方案》提出“校企共建”，"
    "他说：「我们要建实训基地」……这件事——很难。（这是括号里的话）老师每年要去企业实践一个月。"
)


@pytest.mark.parametrize("width", range(4, 61))
def test_chinese_lines_follow_the_rules(width: int) -> None:
    _check(ZH_PUNCT, width)
    if width < 10:  # two to four characters a line: a run like 」…… can leave no place to break
        return
    pieces = _lines(ZH_PUNCT, _wrap_offsets(ZH_PUNCT, width))
    assert not any(p[0] in "，。、；：？！）》」』】…" for p in pieces[1:])
    assert not any(p[-1] in "（《「『【" for p in pieces[:-1])


def test_the_rules_move_a_break_textual_would_make() -> None:
    line = "一二三四五，六七八九十"  # Textual breaks before the comma at width 10
    assert _plain_wrap_offsets(line, 10) == [5, 10]
    assert _wrap_offsets(line, 10) == [4, 9]  # 五 goes to the next line with the comma
    assert _plain_wrap_offsets("一二（三四", 6) == [3]
    assert _wrap_offsets("一二（三四", 6) == [2]  # an opening bracket is not left at a line's end


def test_english_is_wrapped_as_textual_wraps_it() -> None:
    line = EN_TEXT.replace("\n", " ") * 3
    for width in (10, 33, 80):
        if not needs_rules(line):
            assert _wrap_offsets(line, width) == _plain_wrap_offsets(line, width)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("中文字词，。、；：？！（）《》「」“”…—ab ")), min_size=1, max_size=120
    ),
    st.integers(min_value=2, max_value=40),
)
def test_any_mix_keeps_text_and_widths(line: str, width: int) -> None:
    if cell_len(line) > width:
        _check(line, width)

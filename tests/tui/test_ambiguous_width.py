"""East Asian ambiguous characters (“ ” ‘ ’ … — ·) one or two cells wide (issue 13 item 5)."""

import asyncio
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.geometry import Region

from qualcode.core.errors import ValidationError
from qualcode.tui.app import QualcodeApp
from qualcode.tui.cell_width import ENV_VAR, ambiguous_width, char_cells, text_cells
from qualcode.tui.widgets.transcript_view import TranscriptView, _wrap_offsets
from tests.tui.conftest import build_project
from tests.tui.helpers import bench

QUOTED = "受访者：你说的“产教融合”……就是——企业、学校·政府‘一起’做。" * 3
# A line of nothing but ambiguous characters and Chinese: the worst case for a wide terminal.
DENSE = "“‘…—·’”" * 20 + "产教融合“示范”" * 6


def test_setting_order_and_refusal(tmp_path: Path) -> None:
    settings_file = tmp_path / "settings.toml"
    assert ambiguous_width({}, settings_file) == 1  # no file: one cell, what most terminals draw
    settings_file.write_text("ambiguous_width = 2\n", encoding="utf-8")
    assert ambiguous_width({}, settings_file) == 2
    assert ambiguous_width({ENV_VAR: "1"}, settings_file) == 1  # the environment comes first
    with pytest.raises(ValidationError, match=ENV_VAR):
        ambiguous_width({ENV_VAR: "3"}, settings_file)
    settings_file.write_text("ambiguous_width = 'wide'\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="ambiguous_width"):
        ambiguous_width({}, settings_file)


def test_measures() -> None:
    assert [char_cells(c, 1) for c in "“…中a"] == [1, 1, 2, 1]
    assert [char_cells(c, 2) for c in "“…中a"] == [2, 2, 2, 1]
    assert text_cells("“产教”", 1) == 6 and text_cells("“产教”", 2) == 8
    assert text_cells("e\u0301", 2) == 1  # a combining mark is ambiguous too, and stays zero-width


def _drawn_lines(line: str, width: int, ambiguous: int) -> list[str]:
    breaks = [0, *_wrap_offsets(line, width, ambiguous), len(line)]
    return [line[a:b] for a, b in zip(breaks, breaks[1:], strict=False)]


@pytest.mark.parametrize("ambiguous", [1, 2])
@pytest.mark.parametrize("width", [7, 10, 23, 40, 61])
def test_wrapped_lines_fit_as_drawn(ambiguous: int, width: int) -> None:
    for line in (QUOTED, DENSE):
        pieces = _drawn_lines(line, width, ambiguous)
        assert "".join(pieces) == line  # wrapping never changes the text, so never an offset
        assert all(text_cells(piece.rstrip(" "), ambiguous) <= width for piece in pieces)


def test_wide_setting_wraps_earlier() -> None:
    assert len(_drawn_lines(DENSE, 40, 2)) > len(_drawn_lines(DENSE, 40, 1))


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet="“”‘’…—·中文字ab ，。", min_size=1, max_size=120),
    st.integers(min_value=4, max_value=50),
)
def test_any_text_fits_when_drawn_wide(line: str, width: int) -> None:
    for piece in _drawn_lines(line, width, 2):
        assert text_cells(piece.rstrip(" "), 2) <= width or len(piece) == 1


def _run(project_dir: Path, ambiguous: int, body, size: tuple[int, int] = (80, 24)) -> None:  # type: ignore[no-untyped-def]
    async def main() -> None:
        app = QualcodeApp(str(project_dir), "alice", cursor_blink=False, ambiguous_width=ambiguous)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            bench(app).open_document("zh-q")
            await pilot.pause()
            await body(app, pilot, app.screen.query_one(TranscriptView))
        app.project.dispose()

    asyncio.run(main())


@pytest.fixture
def quoted_project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    build_project(folder, {"zh-q": ("访谈者：什么是产教融合？\n" + QUOTED + "\n" + DENSE, "zh", "x")})
    return folder


@pytest.mark.parametrize("ambiguous", [1, 2])
def test_rendered_lines_are_as_wide_as_the_view_when_drawn(quoted_project: Path, ambiguous: int) -> None:
    """Each line the transcript hands to Textual is laid out at the view's width and, drawn by a
    terminal with this setting, is exactly that wide: nothing to its right shifts."""

    async def body(app, pilot, view) -> None:  # type: ignore[no-untyped-def]
        width, height = view.region.size
        lines = view.render_lines(Region(0, 0, width, height))
        assert {line.cell_length for line in lines} == {width}
        assert {text_cells(line.text, ambiguous) for line in lines} == {width}

    _run(quoted_project, ambiguous, body)


def test_a_click_selects_the_same_characters_in_both_settings(quoted_project: Path) -> None:
    """Clicking where the terminal draws a character puts the cursor before that character, and
    the selection made from there holds the same code point offsets whichever the setting."""
    text = "访谈者：什么是产教融合？\n" + QUOTED + "\n" + DENSE
    target = text.index("就是")  # after “产教融合”……: three ambiguous characters earlier on the line
    found: dict[int, tuple[int, int, str]] = {}

    for ambiguous in (1, 2):

        async def body(app, pilot, view, ambiguous=ambiguous) -> None:  # type: ignore[no-untyped-def]
            row, col = view.location_of(target)
            y = view.wrapped_document.location_to_offset((row, col)).y - view.scroll_offset.y
            wrapped = view.wrapped_document
            line = view.document.get_line(row)
            section_start = max([0, *[b for b in wrapped.get_offsets(row) if b <= col]])
            x = view.gutter_width + text_cells(line[section_start:col], ambiguous)
            await pilot.click(TranscriptView, offset=(x, y))
            assert view.cursor_offset == target
            await pilot.press(*["shift+right"] * 6)
            start, end = view.selected_offsets
            found[ambiguous] = (start, end, text[start:end])

        _run(quoted_project, ambiguous, body)

    assert found[1] == found[2] == (target, target + 6, text[target : target + 6])


@pytest.mark.parametrize("ambiguous", [1, 2])
def test_first_frame_is_wrapped_by_our_rules(quoted_project: Path, ambiguous: int) -> None:
    """Opening a document wraps it with the Chinese line-breaking rules and this width at once,
    not only after the next resize (Textual wraps a new document before we could adopt it)."""

    async def body(app, pilot, view) -> None:  # type: ignore[no-untyped-def]
        wrapped = view.wrapped_document
        for row, line in enumerate(view.document.lines):
            expected = (
                _wrap_offsets(line, view.wrap_width, ambiguous)
                if text_cells(line, ambiguous) > view.wrap_width
                else []
            )
            assert wrapped.get_offsets(row) == expected

    _run(quoted_project, ambiguous, body)


def test_a_bad_setting_stops_qualcode_tui(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from qualcode.cli import main

    launched: list[str] = []
    monkeypatch.setattr("qualcode.tui.app.QualcodeApp.run", lambda self: launched.append(self.coder))
    monkeypatch.setattr("qualcode.tui.app.settle_imports", lambda: None)  # gc.freeze is once per process
    monkeypatch.setenv(ENV_VAR, "wide")
    with pytest.raises(SystemExit) as exit_info:
        main(["tui", str(project_dir), "--coder", "alice"])
    assert exit_info.value.code == 2 and launched == []
    err = capsys.readouterr().err
    assert err.startswith("error: ") and ENV_VAR in err and len(err.strip().splitlines()) == 1

"""The coder's path in Chinese, end to end (issue 13, "Done when"): someone who reads no English
follows README.zh-CN.md — `export QUALCODE_LANG=zh_CN`, `qualcode demo` — and in the workbench
reads the help and the palette, codes a sentence through the code picker (by pinyin initials),
writes a memo, undoes, and marks the document done. At every step the whole screen (dialogs,
toasts, key bar) and every toast message are checked for English a Chinese reader would meet."""

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from qualcode.i18n import current_language, start_language
from qualcode.services.coding import workbench
from qualcode.services.coding.segments import document_statuses, list_segments
from qualcode.store.db import open_project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.screens.text_prompt import MemoEditor
from tests.i18n.untranslated import english_sentences
from tests.test_stats_cli import qc
from tests.tui.helpers import bench, run_app, screen_text, view

DOCUMENT = "qingshan-res-zh"  # a Chinese interview chen has not marked done yet


def _coding(folder: Path) -> tuple[list[tuple[str, int, int, str | None]], str]:
    project = open_project(str(folder))
    try:
        rows = [
            (s["code"], s["start"], s["end"], s["memo"])
            for s in list_segments(project, document=DOCUMENT, coder="chen")
        ]
        return sorted(rows), document_statuses(project, "chen")[DOCUMENT]
    finally:
        project.dispose()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_a_coder_codes_writes_a_memo_undoes_and_marks_done_all_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.setenv("QUALCODE_LANG", "zh_CN")  # README.zh-CN.md: export QUALCODE_LANG=zh_CN
    folder = tmp_path / "demo"
    rc, out, err = qc("demo", "--path", str(folder), "--no-tui")
    assert rc == 0, err
    assert "演示项目已就绪" in out and "编码员：chen、lin；组长：wang" in out
    project = open_project(str(folder))
    documents = [d["name"] for d in workbench.documents_overview(project, "chen")]
    text = workbench.open_document(project, DOCUMENT)["text"]
    project.dispose()
    allow = ["chen", "lin", "wang", folder.name, str(folder), *documents]
    assert english_sentences(out, allow) == []
    before, status = _coding(folder)
    assert status != "done"

    start_language()  # as `qualcode tui` does: QUALCODE_LANG chooses Chinese
    assert current_language() == "zh_CN"

    async def body(app: QualcodeApp, pilot: Pilot[Any]) -> None:
        seen_toasts = 0

        def check(step: str, typed: tuple[str, ...] = ()) -> str:
            nonlocal seen_toasts
            shown = screen_text(app)
            assert english_sentences(shown, [*allow, *typed]) == [], (step, shown)
            toasts = [n.message for n in list(app._notifications)[seen_toasts:]]
            seen_toasts += len(toasts)
            assert english_sentences("\n".join(toasts), allow) == [], (step, toasts)
            return shown

        screen = bench(app)
        screen.open_document(DOCUMENT)
        await pilot.pause()
        shown = check("the workbench")
        assert "编码" in shown and "撤销" in shown and "完成" in shown  # the key bar

        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "按键" in check("the help screen")
        await pilot.press("escape")

        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.pause()
        assert "搜索命令" in check("the command palette")
        await pilot.press("escape")
        await pilot.pause()

        # Code a sentence of the first answer: `s` selects it, `c` opens the picker, the code is
        # found by the pinyin initials of its Chinese name.
        answer = text.index("受访者：") + len("受访者：") + 2
        view(app).select_offsets(answer, answer)
        await pilot.press("s")
        span = view(app).selected_offsets
        assert span[1] > span[0]
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        check("the code picker")
        await pilot.press(*"rcxq")  # 人才需求对接与就业 (TAL.MATCH)
        await pilot.pause()
        check("the code picker, filtered", typed=("rcxq",))
        await pilot.press("enter")
        await pilot.pause()
        coded, _status = _coding(folder)
        assert (("TAL.MATCH", *span, None)) in coded and len(coded) == len(before) + 1
        shown = check("after coding")
        if size[0] >= 110:  # narrower, the segment lists open over the text only when asked
            assert "人才需求对…" in shown  # the segment lists name the code (cut to the column)

        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        check("the memo editor")
        app.screen.query_one("#memo-text").text = "企业参与人才需求对接的积极性提高"
        await pilot.press("ctrl+s")
        await pilot.pause()
        coded, _status = _coding(folder)
        assert ("TAL.MATCH", *span, "企业参与人才需求对接的积极性提高") in coded
        check("after the memo")

        await pilot.press("u")  # undo: the memo is taken back, the coding stays
        await pilot.pause()
        coded, _status = _coding(folder)
        assert ("TAL.MATCH", *span, None) in coded
        assert list(app._notifications)[-1].message == "已撤销：修改编码片段"  # not the log's segment.update
        check("after undo")

        await pilot.press("d")
        await pilot.pause()
        assert _coding(folder)[1] == "done"
        assert "已完成" in check("after marking done")

        # The same screen in English: the check does see English when there is some.
        app.action_switch_language()
        await pilot.pause()
        assert current_language() == "en"
        assert english_sentences(screen_text(app), allow)

    run_app(folder, "chen", body, size=size)

"""Codes in the workbench: named in the interface language first, the other language one key away
(`l`), and found in the code picker by either language or by pinyin."""

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from qualcode.i18n import set_language
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.widgets.code_details import CodeDetails
from tests.tui.conftest import ZH_TEXT
from tests.tui.helpers import bench, run_app, tree_labels, view


def test_names_in_the_interface_language_and_the_other_one_key_away(project_dir: Path) -> None:
    async def body(app: Any, pilot: Any) -> None:
        assert "TAL.TRAIN Practical training base" in tree_labels(app)
        assert not any("实训基地" in label for label in tree_labels(app))
        await pilot.press("l")
        assert "TAL.TRAIN Practical training base 实训基地" in tree_labels(app)
        details = bench(app).query_one(CodeDetails)
        details.show(bench(app).codes_by_key["TAL.TRAIN"])
        assert "实训基地" in str(details.render())
        await pilot.press("l")
        app.action_switch_language()
        await pilot.pause()
        assert "TAL.TRAIN 实训基地" in tree_labels(app)
        details.show(bench(app).codes_by_key["TAL.TRAIN"])
        shown = str(details.render())
        assert "定义:" in shown or "定义：" in shown  # the heading is translated
        assert "Definition of Practical training base." in shown  # no Chinese definition yet: the English one

    run_app(project_dir, "alice", body)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("sxjd", "TAL.TRAIN"),
        ("shixun", "TAL.TRAIN"),
        ("zfzd", "ADM.GOV"),
        ("zhengfu", "ADM.GOV"),
        ("实训", "TAL.TRAIN"),
    ],
)
def test_the_code_picker_finds_codes_by_pinyin(project_dir: Path, query: str, key: str) -> None:
    async def body(app: Any, pilot: Any) -> None:
        bench(app).open_document("zh-gov")
        start = ZH_TEXT.index("市政府")
        view(app).select_offsets(start, start + 3)
        await pilot.press("c")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CodePicker)
        await pilot.press(*query)
        await pilot.pause()
        options = picker.query_one(OptionList)
        assert options.get_option_at_index(0).id == key
        await pilot.press("enter")
        await pilot.pause()
        assert [(s["code"], s["start"]) for s in bench(app).segments] == [(key, start)]

    run_app(project_dir, "alice", body)


def test_the_picker_names_codes_in_chinese_first_in_chinese(project_dir: Path) -> None:
    async def body(app: Any, pilot: Any) -> None:
        set_language("zh_CN")
        picker = CodePicker(bench(app).codes)
        await app.push_screen(picker)
        await pilot.pause()
        prompt = str(picker.query_one(OptionList).get_option_at_index(0).prompt)
        assert "实训基地" in prompt and "Practical" not in prompt

    run_app(project_dir, "alice", body)

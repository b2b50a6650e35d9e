"""README.zh-CN.md gives the same quick-start commands as README.md, and the README links to it."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _quick_start_commands(name: str, heading: str) -> list[str]:
    text = (REPO / name).read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)\n```", section, flags=re.S)


def test_chinese_readme_has_the_same_quick_start_commands() -> None:
    english = _quick_start_commands("README.md", "## Quick start")
    chinese = _quick_start_commands("README.zh-CN.md", "## 快速开始")
    assert len(english) == 2 and english == chinese


def test_readme_links_the_chinese_one_and_gives_every_way_to_choose() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "(README.zh-CN.md)" in readme
    for words in (
        "--lang zh_CN",
        "QUALCODE_LANG",
        "settings set PROJECT language zh_CN",
        "LC_ALL",
        "Language / 语言",
    ):
        assert words in readme


def test_the_chinese_coder_keys_are_the_workbench_s_keys() -> None:
    """Every key README.zh-CN.md tells a coder to press is bound to what it says it does."""
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.screens.search import SearchScreen
    from qualcode.tui.screens.workbench import WorkbenchScreen

    text = (REPO / "README.zh-CN.md").read_text(encoding="utf-8")
    section = text.split("### 编码员的基本操作", 1)[1].split("\n## ", 1)[0]
    keys = {
        key: {b.action for cls in (WorkbenchScreen, QualcodeApp, SearchScreen) for b in cls.BINDINGS
              if not isinstance(b, tuple) and key in b.key.split(",")}
        for key in ("s", "t", "c", "p", "m", "n", "x", "u", "r", "d", "f3", "z", "ctrl+t", "ctrl+q")
    }  # fmt: skip
    expected = {
        "s": "select_sentence", "t": "select_turn", "c": "pick_code", "p": "pin_code",
        "m": "segment_memo", "n": "document_memo", "x": "remove_segment", "u": "undo", "r": "redo",
        "d": "toggle_done", "f3": "search", "z": "toggle_maximize", "ctrl+t": "toggle_fold", "ctrl+q": "quit",
    }  # fmt: skip
    for key, action in expected.items():
        assert f"`{key}`" in section, key
        assert action in keys[key], (key, keys[key])
    assert (
        "`rcxq`" in section and "人才需求对接与就业" in section
    )  # the picker example the scenario test types

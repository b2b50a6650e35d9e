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

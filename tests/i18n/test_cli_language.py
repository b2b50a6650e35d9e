"""The command line in Chinese: help (click's own words too), error lines, and what never changes
with the language (JSON bytes, exit codes)."""

from pathlib import Path

import pytest

from qualcode import i18n
from tests.agreement_project import build, code, done
from tests.test_stats_cli import qc


@pytest.fixture
def project_dir(tmp_path: Path) -> str:
    project, ids = build(tmp_path)
    for coder in ("lin", "chen"):
        code(project, ids, coder, "doc1", "TAL.PROG", "储能专业")
        done(project, ids, coder, "doc1")
    code(project, ids, "lin", "doc1", "TAL.BASE", "实训基地")
    project.dispose()
    return str(tmp_path / "p")


@pytest.mark.parametrize(
    "argv",
    [
        ["--lang", "zh_CN", "code", "--help"],
        ["code", "--help", "--lang", "zh_CN"],  # --lang after the subcommand
        ["code", "--lang=zh_CN", "--help"],
    ],
)
def test_command_help_is_chinese_wherever_lang_is_given(argv: list[str]) -> None:
    rc, out, _ = qc(*argv)
    assert rc == 0
    assert out.startswith("用法: qualcode code")  # click's own "Usage:"
    assert "选项:" in out and "命令:" in out and "显示此帮助并退出。" in out
    assert "将编码应用于文档的文本片段" in out  # the group's docstring
    assert "撤销编码员的最近一次操作" in out  # a subcommand's short help
    assert "Usage" not in out and "Show this message" not in out


def test_option_help_is_chinese_and_english_again_in_the_same_process() -> None:
    rc, out, _ = qc("--lang", "zh_CN", "code", "add", "--help")
    assert rc == 0 and "编码员姓名" in out and "[必需]" in out and "对文档的 [START, END) 区间" in out
    rc, out, _ = qc("code", "add", "--help")
    assert rc == 0 and "Coder name" in out and "[required]" in out and "编码员" not in out


def test_qualcode_lang_variable_chooses_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUALCODE_LANG", "zh_CN")
    rc, out, _ = qc("agree", "--help")
    assert rc == 0 and out.startswith("用法:") and "一致性" in out and "Options" not in out


def test_agree_json_is_byte_identical_in_both_languages(
    project_dir: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = qc("agree", project_dir, "--format", "json", "--bootstrap", "0")
    monkeypatch.setenv("QUALCODE_LANG", "zh_CN")
    chinese = qc("agree", project_dir, "--format", "json", "--bootstrap", "0")
    assert english[0] == chinese[0] == 0
    assert chinese[1] == english[1]


def _both(*argv: str) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    english = qc(*argv)
    chinese = qc("--lang", "zh_CN", *argv)
    i18n.set_language(i18n.ENGLISH)
    return english, chinese


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert lines and lines[0].startswith("error: ")  # the prefix scripts look for stays English
    return lines[0]


def test_representative_errors_in_chinese_with_the_same_exit_code(project_dir: str, tmp_path: Path) -> None:
    cases = [
        # a file that is not there
        (("codebook", "validate", str(tmp_path / "missing.yaml")), "missing.yaml"),
        # an unknown code
        (
            (
                "code",
                "add",
                project_dir,
                "--coder",
                "lin",
                "--doc",
                "doc1",
                "--code",
                "NOPE",
                "--start",
                "0",
                "--end",
                "2",
            ),
            "未知的编码 'NOPE'",
        ),
        # a bad option value (click's own message, translated)
        (("agree", project_dir, "--format", "pdf"), "的值无效"),
        # a value our own code refuses
        (("settings", "set", project_dir, "min_ci_units", "many"), "min_ci_units 必须是 1 或更大的整数"),
        # a missing option
        (("code", "add", project_dir), "缺少选项"),
    ]
    for argv, expected in cases:
        english, chinese = _both(*argv)
        assert english[0] == chinese[0] == 2, (argv, english, chinese)
        assert expected in _one_error_line(chinese[2]), (argv, chinese[2])
        assert _one_error_line(english[2]) != _one_error_line(chinese[2])


def test_blind_mode_refusal_in_chinese(project_dir: str) -> None:
    from qualcode.services.team.access import set_blind
    from qualcode.store.db import open_project

    project = open_project(project_dir)
    set_blind(project, "on", actor="consensus")
    project.dispose()
    english, chinese = _both("adjudicate", "list", project_dir, "--document", "doc1", "--as", "lin")
    assert english[0] == chinese[0] == 2
    assert "blind mode is on" in english[2]
    assert "盲编码模式已开启" in _one_error_line(chinese[2])

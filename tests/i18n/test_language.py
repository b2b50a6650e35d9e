"""Choosing the interface language, and what changes (and what never changes) with it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode import i18n
from qualcode.cli import cli, main


@pytest.mark.parametrize(
    ("flag", "env", "setting", "expected"),
    [
        ("en", {"QUALCODE_LANG": "zh_CN", "LANG": "zh_CN.UTF-8"}, "zh_CN", "en"),  # --lang first
        (None, {"QUALCODE_LANG": "zh-CN", "LANG": "en_US.UTF-8"}, "en", "zh_CN"),  # then QUALCODE_LANG
        (None, {"LANG": "en_US.UTF-8"}, "zh_CN", "zh_CN"),  # then the project's setting
        (None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, None, "zh_CN"),  # then the locale
        (None, {"LC_ALL": "", "LC_MESSAGES": "zh_CN.GB18030", "LANG": "en_US"}, None, "zh_CN"),
        (None, {"LANG": "C.UTF-8"}, None, "en"),
        (None, {"LANG": "fr_FR.UTF-8"}, None, "en"),  # a locale we cannot serve: English
        (None, {}, "klingon", "en"),  # a setting we cannot serve falls through too
        (None, {}, None, "en"),
    ],
)
def test_resolution_order(flag: str | None, env: dict[str, str], setting: str | None, expected: str) -> None:
    assert i18n.resolve_language(flag, env, setting) == expected


@pytest.mark.parametrize("name", ["fr", "zh_TW", "", "english please"])
def test_an_unknown_explicit_language_is_refused(name: str) -> None:
    if not name:
        assert i18n.resolve_language(name or None, {}, None) == "en"
        return
    with pytest.raises(i18n.UnknownLanguageError):
        i18n.resolve_language(name, {}, None)


def test_translation_follows_the_current_language() -> None:
    assert i18n._("Commands") == "Commands"
    with i18n.language("zh_CN"):
        assert i18n._("Commands") == "命令"
        assert i18n.translate_in("en", "Commands") == "Commands"
    assert i18n.current_language() == "en"
    assert i18n._("a message nobody translated") == "a message nobody translated"


def test_listeners_hear_a_change_once() -> None:
    heard: list[str] = []
    stop = i18n.on_language_change(heard.append)
    try:
        i18n.set_language("zh_CN")
        i18n.set_language("zh_CN")
        i18n.set_language("en")
    finally:
        stop()
    assert heard == ["zh_CN", "en"]


def test_project_setting_applies_only_when_nobody_chose(monkeypatch: pytest.MonkeyPatch) -> None:
    i18n.start_language(None, {"LANG": "en_US.UTF-8"})
    assert i18n.project_language_applies()
    assert i18n.apply_project_language("zh_CN") == "zh_CN"
    i18n.start_language(None, {"QUALCODE_LANG": "en", "LANG": "zh_CN.UTF-8"})
    assert not i18n.project_language_applies()
    assert i18n.apply_project_language("zh_CN") == "en"


def test_cli_help_in_chinese_and_english() -> None:
    runner = CliRunner()
    chinese = runner.invoke(cli, ["--lang", "zh_CN", "--help"])
    assert chinese.exit_code == 0
    assert "命令" in chinese.output and "编码员间信度" in chinese.output
    english = runner.invoke(cli, ["--lang", "en", "--help"])
    assert "Intercoder agreement report" in english.output and "命令" not in english.output


def test_unknown_lang_is_one_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--lang", "xx", "--help"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: unknown language 'xx'")


def _qualcode(
    *args: str, env_lang: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ)
    env.pop("QUALCODE_LANG", None)
    env["LANG"] = "en_US.UTF-8"
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    if env_lang:
        env["QUALCODE_LANG"] = env_lang
    return subprocess.run(
        [sys.executable, "-m", "qualcode", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )


def test_project_language_setting_and_machine_output_unchanged(tmp_path: Path) -> None:
    project = tmp_path / "p"
    assert _qualcode("init", str(project)).returncode == 0
    english = _qualcode("info", str(project), "--format", "json")
    assert _qualcode("settings", "set", str(project), "language", "zh-CN").returncode == 0
    chinese = _qualcode("info", str(project), "--format", "json")
    assert json.loads(chinese.stdout).keys() == json.loads(english.stdout).keys()
    refused = _qualcode("settings", "set", str(project), "language", "fr")
    assert refused.returncode == 2 and refused.stderr.startswith("error:")
    shown = _qualcode("settings", "show", str(project), "--format", "json")
    assert json.loads(shown.stdout)["language"] == "zh_CN"

"""The person's remembered interface language: where it lives and what an unreadable file means."""

from pathlib import Path

import pytest

from qualcode.i18n import UnknownLanguageError
from qualcode.services.user_config import config_dir, save_language, saved_language


def test_the_config_dir_is_overridable_else_under_xdg_config_home(tmp_path: Path) -> None:
    assert config_dir({"QUALCODE_CONFIG_DIR": str(tmp_path / "mine")}) == tmp_path / "mine"
    assert config_dir({"XDG_CONFIG_HOME": str(tmp_path / "xdg")}) == tmp_path / "xdg" / "qualcode"


def test_saved_and_read_back(tmp_path: Path) -> None:
    env = {"QUALCODE_CONFIG_DIR": str(tmp_path / "c")}
    assert saved_language(env) is None
    path = save_language("zh-CN", env)
    assert path.read_text(encoding="utf-8") == 'language = "zh_CN"\n'
    assert saved_language(env) == "zh_CN"
    save_language("en", env)
    assert saved_language(env) == "en"
    assert not list(path.parent.glob("*.partial"))


@pytest.mark.parametrize(
    "content", [b"language = ", b'language = "klingon"\n', b"\xff\xfe", b"language = 3\n"]
)
def test_an_unreadable_preference_counts_as_none(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "preferences.toml").write_bytes(content)
    assert saved_language({"QUALCODE_CONFIG_DIR": str(tmp_path)}) is None


def test_an_unknown_language_is_never_saved(tmp_path: Path) -> None:
    with pytest.raises(UnknownLanguageError):
        save_language("klingon", {"QUALCODE_CONFIG_DIR": str(tmp_path)})
    assert not (tmp_path / "preferences.toml").exists()

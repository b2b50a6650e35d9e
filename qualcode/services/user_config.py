"""The person's own settings, kept outside any project: `$QUALCODE_CONFIG_DIR`, else the user's
config directory (`$XDG_CONFIG_HOME/qualcode`, `~/.config/qualcode` on Linux).

Only what belongs to the person and not to a project lives here: the interface language they
last chose in the workbench (preferences.toml, below), the terminal's cell width of ambiguous
characters (settings.toml, tui/cell_width.py) and their key bindings (keymap.toml,
tui/keymap.py). A project's settings stay in the project (services/settings.py).
"""

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

from qualcode.i18n import normalise, parse_language

PREFERENCES = "preferences.toml"
CONFIG_ENV = "QUALCODE_CONFIG_DIR"  # replaces the directory (tests use it)


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the person's qualcode settings live (created only when something is saved)."""
    env = os.environ if environ is None else environ
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV])
    if env.get("XDG_CONFIG_HOME"):
        return Path(env["XDG_CONFIG_HOME"]) / "qualcode"
    from platformdirs import user_config_dir  # ~/.config, or the macOS / Windows equivalent

    return Path(user_config_dir("qualcode", appauthor=False))


def saved_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The interface language the person last chose in the workbench, if any (an unreadable or
    unknown value counts as none: a preference never stops the tool from starting)."""
    path = config_dir(environ) / PREFERENCES
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("language")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return normalise(value) if isinstance(value, str) else None


def save_language(language: str, environ: Mapping[str, str] | None = None) -> Path:
    """Remember `language` (zh_CN or en) for the person; written whole, then renamed into place."""
    folder = config_dir(environ)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / PREFERENCES
    partial = path.with_suffix(".toml.partial")
    partial.write_text(f'language = "{parse_language(language)}"\n', encoding="utf-8")
    partial.replace(path)
    return path

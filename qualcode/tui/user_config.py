"""The user's qualcode config directory: settings.toml (tui/cell_width.py), keymap.toml
(tui/keymap.py). `QUALCODE_CONFIG_DIR` replaces it (tests use it); otherwise it is the
platform's (`$XDG_CONFIG_HOME/qualcode`, usually ~/.config/qualcode, on Linux)."""

import os
from pathlib import Path
from typing import Final

CONFIG_ENV: Final = "QUALCODE_CONFIG_DIR"


def config_dir() -> Path:
    """The directory (not created)."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("qualcode"))

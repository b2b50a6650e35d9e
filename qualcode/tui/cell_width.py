"""How many terminal cells a character takes, the way this person's terminal draws it.

East Asian "ambiguous" characters (“ ” ‘ ’ … — · ① and the like, Unicode's East_Asian_Width=A)
are drawn one cell wide by most terminals and two by terminals set up for CJK locales; rich and
Textual always count one. The transcript wraps and maps mouse positions with the width chosen
here, so its lines fit either way. Offsets into the text never depend on it.

Chosen, first that applies: `QUALCODE_AMBIGUOUS_WIDTH=1|2`, `ambiguous_width = 1|2` in the
user's `settings.toml` (in the user's config folder, `services/user_config.config_dir`), 1.
"""

import os
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from rich.cells import cached_cell_len, get_character_cell_size

from qualcode.core.errors import ValidationError
from qualcode.i18n import _
from qualcode.services.user_config import config_dir

ENV_VAR = "QUALCODE_AMBIGUOUS_WIDTH"
SETTING = "ambiguous_width"
WIDTHS = (1, 2)


def user_settings_path() -> Path:
    """The user's own settings file (not a project's: the terminal is the person's)."""
    return config_dir() / "settings.toml"


def ambiguous_width(environ: Mapping[str, str] | None = None, settings: Path | None = None) -> int:
    """1 or 2, from the environment, else the user's settings file, else 1. Anything else is
    refused (ValidationError), never guessed."""
    env = os.environ if environ is None else environ
    raw = env.get(ENV_VAR, "").strip()
    where = ENV_VAR
    if not raw:
        path = settings if settings is not None else user_settings_path()
        try:
            with path.open("rb") as handle:
                value = tomllib.load(handle).get(SETTING)
        except FileNotFoundError:
            return 1
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ValidationError(_("cannot read {path}: {reason}").format(path=path, reason=exc)) from exc
        if value is None:
            return 1
        raw, where = str(value), f"{path}: {SETTING}"
    if raw not in ("1", "2"):
        raise ValidationError(
            _(
                "{where} must be 1 or 2 (cells an ambiguous-width character such as “ takes), not {value!r}"
            ).format(where=where, value=raw)
        )
    return int(raw)


@lru_cache(maxsize=1)
def _ambiguous() -> tuple[frozenset[str], re.Pattern[str]]:
    """The characters a wide-ambiguous terminal draws one cell wider than rich counts them:
    East_Asian_Width=A and one cell to rich (combining marks, also A, stay zero-width).
    Only the Basic Multilingual Plane without its private use area: that is all the A class
    holds besides private use, which no transcript needs measured."""
    chars = frozenset(
        char
        for char in map(chr, range(0x20, 0x10000))
        if unicodedata.east_asian_width(char) == "A"
        and not 0xE000 <= ord(char) <= 0xF8FF
        and get_character_cell_size(char) == 1
    )
    pattern = re.compile("[" + re.escape("".join(sorted(chars))) + "]")
    return chars, pattern


def extra_cells(text: str, width: int) -> int:
    """Cells `text` takes beyond rich's count when ambiguous characters are `width` wide."""
    if width == 1 or text.isascii():
        return 0
    return len(_ambiguous()[1].findall(text))


def text_cells(text: str, width: int) -> int:
    """Cells `text` takes in a terminal that draws ambiguous characters `width` wide."""
    return wide_text_cells(text) if width == 2 else cached_cell_len(text)


def char_cells(char: str, width: int) -> int:
    """Cells one character takes in a terminal that draws ambiguous characters `width` wide."""
    return wide_char_cells(char) if width == 2 else get_character_cell_size(char)


# Cached like rich's own measures: the wrapper asks for the same chunks and characters again and
# again, and a cache hit costs what rich's does (measuring each time made wrapping 1.7x slower).
@lru_cache(maxsize=4096)
def wide_text_cells(text: str) -> int:
    """`text_cells(text, 2)`."""
    return cached_cell_len(text) + extra_cells(text, 2)


@lru_cache(maxsize=4096)
def wide_char_cells(char: str) -> int:
    """`char_cells(char, 2)`."""
    size = get_character_cell_size(char)
    return size + 1 if char in _ambiguous()[0] else size

"""The user's keymap: `keymap.toml` in the user's config directory maps binding ids to keys.

Every binding of the app has an id (`workbench.pick_code`, `app.search`, ...); the help screen
lists them. The file is read once at start and handed to Textual's `App.set_keymap`. A file with
a problem (bad TOML, an unknown id, a key given twice on one screen) is reported in one message
naming its line and not applied at all, so a half-applied keymap never surprises anyone.

    "workbench.pick_code" = "a"
    "app.search" = "ctrl+f"

The directory is services/user_config.py's (the one home of the person's settings).
"""

import re
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from textual.binding import Binding
from textual.dom import DOMNode

from qualcode.i18n import _
from qualcode.services.user_config import config_dir

KEYMAP_FILE: Final = "keymap.toml"
# Shown on the help screen (the ids are real, so the example works as written).
EXAMPLE: Final = '"workbench.pick_code" = "a"\n"app.search" = "ctrl+f"'


def keymap_path() -> Path:
    return config_dir() / KEYMAP_FILE


@dataclass
class UserKeymap:
    """What the keymap file asks for (empty when there is none or it has a problem)."""

    path: Path
    keys: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


def bindings_of(owner: type[DOMNode] | DOMNode) -> Iterator[Binding]:
    """The `Binding`s a screen, widget or app class declares itself (not inherited ones)."""
    for binding in getattr(owner, "BINDINGS", []):
        if isinstance(binding, Binding):
            yield binding


def _keys(value: str) -> list[str]:
    return [k.strip() for k in value.split(",")]


def _line_of(text: str, binding_id: str) -> int | None:
    """The line where `binding_id` is given, quoted (`"a.b" = `) or dotted (`a.b = `, `[a]` `b = `)."""
    last = re.escape(binding_id.rsplit(".", 1)[-1])
    whole = re.escape(binding_id)
    pattern = re.compile(rf'^\s*(?:"{whole}"|\'{whole}\'|{whole}|"?{last}"?)\s*=')
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def _flatten(table: Mapping[str, object], prefix: str = "") -> Iterator[tuple[str, object]]:
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{name}.")
        else:
            yield name, value


def _at(line: int | None, message: str) -> str:
    return message if line is None else _("line {line}: {problem}").format(line=line, problem=message)


def check_keymap(
    text: str, bindings: Mapping[type[DOMNode], Sequence[Binding]]
) -> tuple[dict[str, str], str | None]:
    """The keymap `text` asks for and the first problem in it (None when it is good)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # its message names the line and column
        return {}, _("not TOML: {error}").format(error=exc)
    known = {b.id for owned in bindings.values() for b in owned if b.id}
    wanted: dict[str, str] = {}
    for binding_id, value in _flatten(data):
        line = _line_of(text, binding_id)
        if binding_id not in known:
            return {}, _at(
                line, _("unknown binding id {id} (the help screen, ?, lists them)").format(id=binding_id)
            )
        if not isinstance(value, str) or not all(k and " " not in k for k in _keys(value)):
            return {}, _at(
                line, _('{id}: give the keys as text, e.g. "ctrl+k" or "a,ctrl+k"').format(id=binding_id)
            )
        wanted[binding_id] = value
    # Two ids of one screen (or widget) on the same key: only one of them could ever run.
    for owned in bindings.values():
        taken: dict[str, str] = {}
        for binding in owned:
            if not binding.id:
                continue
            for key in _keys(wanted.get(binding.id, binding.key)):
                other = taken.setdefault(key, binding.id)
                if other != binding.id:
                    culprit = binding.id if binding.id in wanted else other
                    return {}, _at(
                        _line_of(text, culprit),
                        _("the key {key} is given to both {first} and {second}").format(
                            key=key, first=other, second=binding.id
                        ),
                    )
    return wanted, None


def load_keymap(
    bindings: Callable[[], Mapping[type[DOMNode], Sequence[Binding]]], path: Path | None = None
) -> UserKeymap:
    """Read the user's keymap file and check it against `bindings()` (every binding of the app,
    asked for only when there is a file); a missing file is an empty keymap, never a problem."""
    path = path or keymap_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return UserKeymap(path)
    except (OSError, UnicodeDecodeError) as exc:
        return UserKeymap(path, problem=_("cannot read it: {error}").format(error=exc))
    keys, problem = check_keymap(text, bindings())
    return UserKeymap(path, keys, problem)


def user_keymap(app: object) -> Mapping[str, str]:
    """The keymap the running app applied (empty outside the qualcode app, e.g. in a test app)."""
    keys: Mapping[str, str] = getattr(app, "user_keymap", {})
    return keys


def current_key(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The key that runs `binding` now: the user's, when their keymap gives one."""
    return keymap.get(binding.id, binding.key) if binding.id else binding.key

"""qualcode facts that REFI-QDA has no place for, carried in a Description's tail.

Project.xsd admits no extension elements or attributes, so a code's key, Chinese name,
inclusion and exclusion criteria and so on travel as a labelled block at the end of the
Code's Description, after the human-readable definition:

    Resources for curriculum co-development.

    [qualcode]
    key: "TAL.CURR"
    name_zh: "课程共建"

Other tools show it as part of the description (still readable); qualcode reads it back,
which makes qualcode -> .qdpx -> qualcode lossless. Values are JSON strings, one a line.
"""

import json
from typing import Any

MARKER = "[qualcode]\n"
_SEPARATOR = "\n\n" + MARKER


def compose(human: str | None, meta: dict[str, Any]) -> str | None:
    """A Description: the human text, then the block with every non-None meta value."""
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items() if v is not None]
    if not lines:
        return human or None
    block = MARKER + "\n".join(lines)
    return f"{human}\n\n{block}" if human else block


def split(description: str | None) -> tuple[str | None, dict[str, Any]]:
    """(human text, meta) from a Description; meta is empty for other tools' descriptions."""
    if not description:
        return None, {}
    if description.startswith(MARKER):
        human, block = "", description[len(MARKER) :]
    elif _SEPARATOR in description:
        human, block = description.rsplit(_SEPARATOR, 1)
    else:
        return description, {}
    meta: dict[str, Any] = {}
    for line in block.splitlines():
        key, sep, raw = line.partition(": ")
        if not sep:
            return description, {}  # not our block after all
        try:
            meta[key] = json.loads(raw)
        except json.JSONDecodeError:
            return description, {}
    return human or None, meta

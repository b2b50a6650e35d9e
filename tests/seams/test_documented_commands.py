"""Commands quoted in the docs are commands qualcode accepts."""

import re
from pathlib import Path

import click
import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def _quoted(pattern: str) -> list[tuple[str, str]]:
    found = []
    for path in DOCS:
        for snippet in re.findall(r"`(qualcode [^`]+)`", path.read_text(encoding="utf-8")):
            if re.match(pattern, snippet):
                found.append((path.name, snippet))
    return found


def test_every_documented_setting_key_is_one_settings_set_accepts() -> None:
    from qualcode.cli.settings import set_

    key_param = next(p for p in set_.params if p.name == "key")
    assert isinstance(key_param.type, click.Choice)
    quoted = _quoted(r"qualcode settings set ")
    for doc, snippet in quoted:
        key = snippet.split()[4] if snippet.split()[3] == "PROJECT" else snippet.split()[3]
        assert key in key_param.type.choices, f"{doc}: `{snippet}` names a key settings set refuses"


@pytest.mark.parametrize("doc", [d.name for d in DOCS])
def test_blind_mode_is_documented_with_the_blind_command(doc: str) -> None:
    text = next(d for d in DOCS if d.name == doc).read_text(encoding="utf-8")
    assert "blind_mode true" not in text, "blind mode is changed with `qualcode blind on|off`"

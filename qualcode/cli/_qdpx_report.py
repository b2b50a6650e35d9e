"""How `init --from` and `import` describe a .qdpx import: counts, then what was left out."""

from collections.abc import Mapping
from typing import Any

from qualcode.cli._common import echo_line
from qualcode.i18n import _


def _count(value: int, label: str) -> str:
    words = label.split("_")
    if value == 1 and words[0].endswith("s"):
        words[0] = words[0][:-1]
    return f"{value} {' '.join(words)}"


def qdpx_headline(summary: Mapping[str, Any]) -> str:
    """`team.qdpx (NVivo 14): 8 documents, 156 units, ...`: only the counts that are not zero."""
    counts = [
        _count(v, k) for k, v in summary.items() if isinstance(v, int) and not isinstance(v, bool) and v
    ]
    return f"{summary.get('file')} ({summary.get('origin') or 'unknown tool'}): {', '.join(counts) or 'nothing new'}"


def echo_not_imported(summary: Mapping[str, Any]) -> None:
    """Every item the archive held that the project could not take (REFI-QDA asks tools to warn)."""
    for item in summary.get("not_imported", []):
        echo_line(_("  not imported: {item}").format(item=item), err=True)

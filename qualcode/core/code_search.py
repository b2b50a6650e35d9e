"""Finding codes by what a coder types: key, English name or Chinese name, or its pinyin.

How a typed query matches one name is `qualcode.core.script_match.score`; this module applies it
to the fields of a code.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from qualcode.core.script_match import score

FIELDS = ("key", "name_en", "name_zh")


def _haystacks(entry: Mapping[str, Any]) -> list[str]:
    return [str(entry.get(f) or "").casefold() for f in FIELDS]


def matches(entry: Mapping[str, Any], needle: str) -> bool:
    """Substring (case-insensitive) or pinyin match on key, English or Chinese name."""
    return not needle.strip() or best_score(entry, needle) > 0


def best_score(entry: Mapping[str, Any], query: str) -> float:
    """The best `script_match.score` of `query` over the code's key and names (0: no match)."""
    return max(score(query, str(entry.get(f) or "")) for f in FIELDS)


def filter_tree(entries: Sequence[Mapping[str, Any]], needle: str) -> set[str]:
    """Keys to show for a filter: every match plus its ancestors (so the tree keeps its shape)."""
    parent = {e["key"]: e.get("parent") for e in entries}
    keep: set[str] = set()
    for entry in entries:
        if matches(entry, needle):
            key: str | None = entry["key"]
            while key is not None and key not in keep:
                keep.add(key)
                key = parent.get(key)
    return keep


def rank(entries: Sequence[Mapping[str, Any]], query: str, limit: int = 50) -> list[Mapping[str, Any]]:
    """Codes ordered by how well they match `query`: exact, prefix, substring, pinyin, then fuzzy.

    Chinese names have no spaces, so substring hits rank above fuzzy ones whatever their length.
    """
    q = query.strip().casefold()
    if not q:
        return list(entries)[:limit]
    from rapidfuzz import fuzz  # lazily: the workbench imports this module before its first frame

    scored: list[tuple[float, int, Mapping[str, Any]]] = []
    for order, entry in enumerate(entries):
        points = best_score(entry, q)
        if not points:
            hay = _haystacks(entry)
            points = max(fuzz.partial_ratio(q, h) for h in hay if h) if any(hay) else 0.0
            if points < 60:
                continue
        scored.append((points, order, entry))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [entry for _, _, entry in scored[:limit]]

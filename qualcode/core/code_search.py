"""Finding codes by what a coder types: key, English name or Chinese name."""

from collections.abc import Mapping, Sequence
from typing import Any

FIELDS = ("key", "name_en", "name_zh")


def _haystacks(entry: Mapping[str, Any]) -> list[str]:
    return [str(entry.get(f) or "").casefold() for f in FIELDS]


def matches(entry: Mapping[str, Any], needle: str) -> bool:
    """Substring match (case-insensitive) on key, English or Chinese name."""
    needle = needle.strip().casefold()
    return not needle or any(needle in h for h in _haystacks(entry))


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
    """Codes ordered by how well they match `query`: exact key, prefix, substring, then fuzzy.

    Chinese names have no spaces, so substring hits rank above fuzzy ones whatever their length.
    """
    q = query.strip().casefold()
    if not q:
        return list(entries)[:limit]
    from rapidfuzz import fuzz  # lazily: the workbench imports this module before its first frame

    scored: list[tuple[float, int, Mapping[str, Any]]] = []
    for order, entry in enumerate(entries):
        hay = _haystacks(entry)
        if q == hay[0]:
            score = 300.0
        elif any(h.startswith(q) for h in hay):
            score = 200.0
        elif any(q in h for h in hay):
            score = 150.0
        else:
            score = max(fuzz.partial_ratio(q, h) for h in hay if h) if any(hay) else 0.0
            if score < 60:
                continue
        scored.append((score, order, entry))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [entry for _, _, entry in scored[:limit]]

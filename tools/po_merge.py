"""A git merge driver for gettext catalogues: union the entries of both sides instead of conflicting.

Several branches each add strings to the one zh_CN catalogue; entries are sorted by msgid, so two
branches' additions land next to each other and a line-based merge conflicts on nearly every one.
Entries are independent, so the right merge is their union. For an entry both sides changed,
the side that differs from the common ancestor wins (ours if both did).

After a merge, run `make catalogues` once: it re-extracts from the merged sources, drops entries no
source uses and recompiles the .mo (the catalogue test fails until then).

Install (once per clone; the README's development section says the same):
    git config merge.qualcode-po.name "union of gettext catalogue entries"
    git config merge.qualcode-po.driver ".venv/bin/python tools/po_merge.py %O %A %B"
    git config merge.qualcode-mo.name "keep ours; make catalogues recompiles"
    git config merge.qualcode-mo.driver true
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po


def _read(path: str) -> Catalog:
    with Path(path).open("rb") as handle:
        return read_po(handle)


def _key(message: Message) -> tuple[object, str | None]:
    return (message.id, message.context)


def _same(left: Message | None, right: Message | None) -> bool:
    if left is None or right is None:
        return left is right
    return left.string == right.string and left.fuzzy == right.fuzzy


def merge(base: Catalog, ours: Catalog, theirs: Catalog) -> Catalog:
    """Ours, plus every entry only theirs has, with theirs' change where ours left the base as it was."""
    base_entries = {_key(m): m for m in base if m.id}
    our_entries = {_key(m): m for m in ours if m.id}
    for message in theirs:
        if not message.id:
            continue
        key = _key(message)
        mine = our_entries.get(key)
        if mine is None:
            if key in base_entries:
                continue  # ours deleted it on purpose
            ours.add(
                message.id,
                string=message.string,
                locations=message.locations,
                flags=message.flags,
                auto_comments=message.auto_comments,
                user_comments=message.user_comments,
                context=message.context,
            )
            continue
        if _same(mine, base_entries.get(key)) and not _same(mine, message):
            mine.string = message.string
            mine.flags = set(message.flags)
    return ours


def main(argv: list[str]) -> int:
    base_path, ours_path, theirs_path = argv[1:4]
    merged = merge(_read(base_path), _read(ours_path), _read(theirs_path))
    with Path(ours_path).open("wb") as handle:
        write_po(handle, merged, sort_output=True, omit_header=False, width=76)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Theoretical saturation: when do the interviews stop bringing anything new?

Two checks that qualitative studies report:

* the cumulative discovery curve: interviews in the order they were held, and for each the codes
  (or categories, or dimensions) seen for the first time, with the point after which nothing new
  appears;
* the reserved-interview check: a few interviews are set aside, coded last, and anything that
  appears *only* in them shows that saturation was not reached.

Pure functions over plain data: which interviews, in which order, and what was found in each.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from qualcode.i18n import _

LEVELS = ("code", "category", "dimension")

_DATE = re.compile(r"(\d{4})\D{1,3}(\d{1,2})(?:\D{1,3}(\d{1,2}))?")


def date_key(value: str | None) -> tuple[int, int, int] | None:
    """A sortable (year, month, day) from what people write in a Date header: 2024-05-12,
    2024/5/12, 2024.05, 2024年5月12日. None when there is no year and month to read."""
    if not value:
        return None
    match = _DATE.search(value)
    if match is None:
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if not 1 <= month <= 12 or day > 31:
        return None
    return (year, month, day)


def interview_order(
    documents: Sequence[int], dates: Mapping[int, str | None]
) -> tuple[list[int], str, list[int]]:
    """Interviews in the order they were held: by date where every interview has a readable one,
    by date then import order where some have, else import order (`documents` as given).
    Returns the order, how it was decided ('date', 'date_then_import', 'import') and the
    interviews whose date could not be read."""
    keys = {doc: date_key(dates.get(doc)) for doc in documents}
    undated = [doc for doc in documents if keys[doc] is None]
    if len(undated) == len(documents):
        return list(documents), "import", undated
    position = {doc: index for index, doc in enumerate(documents)}
    ordered = sorted(
        documents,
        key=lambda doc: (keys[doc] is None, keys[doc] or (0, 0, 0), position[doc]),
    )
    return ordered, ("date" if not undated else "date_then_import"), undated


@dataclass(frozen=True)
class CurveStep:
    document: int
    new: tuple[str, ...]  # seen for the first time in this interview, in sorted order
    cumulative: int  # distinct items seen up to and including this interview
    coded: bool  # whether this interview had any coding at all in the source


@dataclass(frozen=True)
class Curve:
    steps: tuple[CurveStep, ...]
    total: int
    # 1-based position of the last interview that brought something new (0: nothing found).
    last_new_at: int

    @property
    def quiet_tail(self) -> int:
        """How many interviews at the end brought nothing new."""
        return len(self.steps) - self.last_new_at


def discovery_curve(order: Sequence[int], found: Mapping[int, Iterable[str]]) -> Curve:
    """The cumulative discovery curve over `order`; `found[doc]` is what was coded in it."""
    seen: set[str] = set()
    steps: list[CurveStep] = []
    last_new_at = 0
    for position, doc in enumerate(order, start=1):
        items = set(found.get(doc, ()))
        new = tuple(sorted(items - seen))
        seen |= items
        if new:
            last_new_at = position
        steps.append(CurveStep(doc, new, len(seen), bool(items)))
    return Curve(tuple(steps), len(seen), last_new_at)


@dataclass(frozen=True)
class ReserveCheck:
    reserves: tuple[int, ...]
    uncoded_reserves: tuple[int, ...]  # reserves with no coding yet: the check is not possible
    only_in_reserves: tuple[str, ...]  # items that no other interview has
    status: str  # 'no_reserves' | 'pending' | 'saturated' | 'not_saturated'


def reserve_check(
    documents: Iterable[int],
    reserves: Iterable[int],
    found: Mapping[int, Iterable[str]],
    coded: Iterable[int] | None = None,
) -> ReserveCheck:
    """Anything coded in the reserved interviews and nowhere else among `documents`.

    `coded` are the interviews the source has coded (a done mark counts even with nothing
    found); without it, an interview counts as coded when something was found in it."""
    reserved = tuple(sorted(set(reserves)))
    if not reserved:
        return ReserveCheck((), (), (), "no_reserves")
    reserve_set = set(reserved)
    coded_set = set(coded) if coded is not None else {doc for doc in reserved if set(found.get(doc, ()))}
    uncoded = tuple(doc for doc in reserved if doc not in coded_set)
    before: set[str] = set()
    for doc in documents:
        if doc not in reserve_set:
            before |= set(found.get(doc, ()))
    in_reserves: set[str] = set()
    for doc in reserved:
        in_reserves |= set(found.get(doc, ()))
    only = tuple(sorted(in_reserves - before))
    if uncoded:
        status = "pending"
    elif only:
        status = "not_saturated"
    else:
        status = "saturated"
    return ReserveCheck(reserved, uncoded, only, status)


def level_item(chain: Sequence[tuple[str, str]], level: str) -> str | None:
    """What a coded code counts as at `level`. `chain` is the code and its ancestors as
    (key, codebook level), root first. 'code' is the coded code itself; 'category' and
    'dimension' are the nearest of the chain (the code or an ancestor) at that codebook level,
    the root standing for the dimension when no node says so. None when the chain has no such
    level (a code directly under a dimension has no category)."""
    if level == "code":
        return chain[-1][0]
    if level not in LEVELS:
        raise ValueError(_("unknown level {level!r}").format(level=level))
    for key, node_level in reversed(chain):
        if node_level == level:
            return key
    return chain[0][0] if level == "dimension" else None

"""Configuration tables: each case's membership in a set of conditions, and how well each
configuration of conditions accounts for an outcome (the truth table of QCA).

Memberships come from coverage (the share of a case's respondent text coded with a dimension or
code, as in the typology's profiles):

- crisp: 1 when coverage reaches the threshold, else 0;
- fuzzy: calibrated on three anchors, linear between them — 0 at no coverage, 0.5 (the
  crossover) at the threshold, 1 at full membership (by default the highest coverage among the
  cases). A case exactly at the crossover belongs to no configuration, as QCA requires.

For a configuration (a corner of the property space: each condition present or absent) a case's
membership is the minimum over the conditions of x (present) or 1 - x (absent). With outcome
membership y, the configuration's consistency as sufficient for the outcome is sum(min(X, y)) /
sum(X) and its coverage sum(min(X, y)) / sum(y) (Ragin 2008).
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

CRISP = "crisp"
FUZZY = "fuzzy"
KINDS = (CRISP, FUZZY)


def crisp(coverage: float, threshold: float) -> float:
    """1.0 when `coverage` reaches `threshold`, else 0.0."""
    return 1.0 if coverage >= threshold else 0.0


def fuzzy(coverage: float, crossover: float, full: float) -> float:
    """Membership calibrated on the anchors 0 (out), `crossover` (0.5) and `full` (1.0)."""
    if coverage <= 0.0:
        return 0.0
    if coverage >= full:
        return 1.0
    if coverage <= crossover:
        return round(0.5 * coverage / crossover, 6) if crossover > 0 else 1.0
    return round(0.5 + 0.5 * (coverage - crossover) / (full - crossover), 6)


@dataclass(frozen=True)
class Configuration:
    """One row of the truth table."""

    present: tuple[bool, ...]  # per condition, in the conditions' order
    cases: tuple[str, ...]  # cases whose membership in it is above 0.5
    consistency: float | None  # None when no case has any membership in it
    coverage: float | None  # None when no case has the outcome


def corner(memberships: Sequence[float]) -> tuple[bool, ...] | None:
    """The configuration a case belongs to (above 0.5 in it), None for a case at a crossover."""
    if any(m == 0.5 for m in memberships):
        return None
    return tuple(m > 0.5 for m in memberships)


def in_configuration(memberships: Sequence[float], present: Sequence[bool]) -> float:
    """A case's membership in a configuration: the minimum of x or 1 - x over the conditions."""
    return min((m if p else 1.0 - m) for m, p in zip(memberships, present, strict=True))


def truth_table(
    cases: Mapping[str, Sequence[float]], outcome: Mapping[str, float] | None
) -> list[Configuration]:
    """Every configuration that holds at least one case, most cases first (then in order of the
    conditions), with consistency and coverage for the outcome when one is given."""
    corners: dict[tuple[bool, ...], list[str]] = {}
    for case, memberships in cases.items():
        place = corner(memberships)
        if place is not None:
            corners.setdefault(place, []).append(case)
    rows = []
    for present, members in corners.items():
        consistency = coverage = None
        if outcome is not None:
            x = {case: in_configuration(m, present) for case, m in cases.items()}
            both = sum(min(x[c], outcome.get(c, 0.0)) for c in cases)
            total_x = sum(x.values())
            total_y = sum(outcome.get(c, 0.0) for c in cases)
            consistency = round(both / total_x, 6) if total_x else None
            coverage = round(both / total_y, 6) if total_y else None
        rows.append(Configuration(present, tuple(sorted(members)), consistency, coverage))
    rows.sort(key=lambda r: (-len(r.cases), tuple(not p for p in r.present)))
    return rows


def formula(names: Sequence[str], present: Sequence[bool]) -> str:
    """A configuration written as QCA writes it: A*~B*C."""
    return "*".join(name if p else f"~{name}" for name, p in zip(names, present, strict=True))


def r_name(key: str, taken: set[str]) -> str:
    """A column name R reads as is and QCA accepts as a condition (upper-case letters, digits and
    underscores, starting with a letter), unique among `taken`."""
    name = re.sub(r"[^A-Za-z0-9]+", "_", key).strip("_").upper() or "C"
    if not name[0].isalpha():
        name = "C_" + name
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    taken.add(candidate)
    return candidate

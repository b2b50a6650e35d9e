"""Rule-based typing of cases: profile -> rules -> scores -> fallback, every step recorded.

The procedure (research note §2.6, steps in the typology's `assignment.order`):
0. a group's total below its `min_total` (e.g. dimension coverage < 0.05): INSUFFICIENT_DATA;
1. rule: every rule could be evaluated (no missing group such as actor codes) and exactly
   one is true -> that type (basis `rule`);
2. score: scores could be computed -> the best, if >= min_score and ahead of the second by
   >= min_margin (basis `score`), else HYBRID:<best>+<second> (basis `score_tie`);
3. fallback: exactly one fallback rule true -> that type (basis `fallback`);
otherwise UNCLASSIFIED. A rule that fired with a margin below min_margin is flagged
`near_hybrid`, never reassigned. Missing data follows core/expr.py (Kleene logic).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from qualcode.core.expr import Expression, is_insufficient
from qualcode.core.profiles import CaseMeasures
from qualcode.core.typology_spec import GroupSpec, TypeDef, TypologySpec

INSUFFICIENT = "INSUFFICIENT_DATA"
UNCLASSIFIED = "UNCLASSIFIED"


@dataclass
class GroupValues:
    raw: dict[str, float]  # member -> measure before normalising
    total: float
    values: dict[str, float | None]  # member -> value used by rules (None = missing)


@dataclass
class CaseProfile:
    case: str
    measures: CaseMeasures
    groups: dict[str, GroupValues]
    derived: dict[str, float | bool | None]
    short: list[str]  # groups whose total is below their min_total

    def env(self) -> dict[str, float | bool | None]:
        values: dict[str, float | bool | None] = {}
        for group in self.groups.values():
            values.update(group.values)
        values.update(self.derived)
        return values

    def features(self, names: Sequence[str]) -> list[float]:
        env = self.env()
        return [float(env.get(n) or 0.0) for n in names]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "documents": self.measures.documents,
            "roles": self.measures.roles,
            "respondent_chars": self.measures.respondent_chars,
        }
        for name, group in self.groups.items():
            out.update(group.values)
            out.update({f"raw.{m}": v for m, v in group.raw.items()})
            out[f"total.{name}"] = group.total
        out.update(self.derived)
        return out


class AssignmentRow(TypedDict):
    """An assignment as reports print it (rules and fallbacks under their report names)."""

    type: str
    basis: str
    scores: dict[str, float | None]
    margin: float | None
    rule_results: dict[str, bool | None]
    fallback_results: dict[str, bool | None]
    flags: list[str]


@dataclass
class Assignment:
    case: str
    type: str
    basis: str  # rule | score | score_tie | fallback | none | insufficient_data
    scores: dict[str, float | None]
    margin: float | None
    rules: dict[str, bool | None]
    fallbacks: dict[str, bool | None]
    flags: list[str]

    def to_dict(self) -> AssignmentRow:
        return {
            "type": self.type,
            "basis": self.basis,
            "scores": self.scores,
            "margin": self.margin,
            "rule_results": self.rules,
            "fallback_results": self.fallbacks,
            "flags": self.flags,
        }


def _value(
    expr: Expression | None, env: dict[str, float | bool | None], present: frozenset[str]
) -> float | bool | None:
    if expr is None:
        return None
    result = expr.evaluate(env, present)
    return None if is_insufficient(result) else result  # type: ignore[return-value]


def _group_values(group: GroupSpec, measures: CaseMeasures) -> GroupValues:
    source = measures.coverage if group.measure == "coverage" else measures.frequency
    raw = {group.member(c): float(source.get(c, 0.0)) for c in group.codes}
    total = sum(raw.values())
    values: dict[str, float | None]
    if total <= 0:
        values = {m: (0.0 if group.if_absent == "zero" else None) for m in raw}
    elif group.normalise == "share":
        values = {m: v / total for m, v in raw.items()}
    else:
        values = dict(raw)
    return GroupValues(raw, total, values)


def build_profile(spec: TypologySpec, measures: CaseMeasures) -> CaseProfile:
    groups = {g.name: _group_values(g, measures) for g in spec.groups}
    short = [g.name for g in spec.groups if g.min_total is not None and groups[g.name].total < g.min_total]
    profile = CaseProfile(measures.case, measures, groups, {}, short)
    for name, expr in spec.derived.items():
        profile.derived[name] = _value(expr, profile.env(), measures.codes_present)
    return profile


def _bool(value: float | bool | None) -> bool | None:
    return None if value is None else bool(value)


def assign(spec: TypologySpec, profile: CaseProfile) -> Assignment:
    """Type one case following `spec.order`; see the module docstring."""
    env = profile.env()
    present = profile.measures.codes_present
    rules = {t.id: _bool(_value(t.rule, env, present)) for t in spec.types}
    fallbacks = {t.id: _bool(_value(t.fallback, env, present)) for t in spec.types}
    scores: dict[str, float | None] = {}
    for t in spec.types:
        s = _value(t.score, env, present)
        scores[t.id] = None if s is None or isinstance(s, bool) else round(float(s), 9)
    ranked = sorted(((v, k) for k, v in scores.items() if v is not None), key=lambda p: (-p[0], p[1]))
    margin = None
    if ranked:
        # rounded so that a margin of exactly the threshold is not lost to floating point
        margin = round(ranked[0][0] - (ranked[1][0] if len(ranked) > 1 else 0.0), 9)
    flags = [
        f"missing:{name}" for name, g in profile.groups.items() if any(v is None for v in g.values.values())
    ]
    if profile.measures.missing_roles:
        flags.append("role_imbalance:" + "+".join(profile.measures.missing_roles))
    fired = [k for k, v in rules.items() if v]
    complete = all(v is not None for v in rules.values())
    if complete and len(fired) != 1:
        flags.append("no_rule_fired" if not fired else "rules_tied:" + "+".join(fired))
    if profile.short:
        flags.append("insufficient_data:" + "+".join(profile.short))
        return Assignment(
            profile.case, INSUFFICIENT, "insufficient_data", scores, margin, rules, fallbacks, flags
        )
    for step in spec.order:
        if step == "rule" and complete and len(fired) == 1:
            if margin is not None and margin < spec.min_margin:
                flags.append("near_hybrid")
            return Assignment(profile.case, fired[0], "rule", scores, margin, rules, fallbacks, flags)
        if step == "score" and ranked:
            if ranked[0][0] >= spec.min_score and (margin or 0.0) >= spec.min_margin:
                return Assignment(
                    profile.case, ranked[0][1], "score", scores, margin, rules, fallbacks, flags
                )
            if len(ranked) >= 2:
                kind = f"HYBRID:{ranked[0][1]}+{ranked[1][1]}"
                return Assignment(profile.case, kind, "score_tie", scores, margin, rules, fallbacks, flags)
        if step == "fallback":
            fell = [k for k, v in fallbacks.items() if v]
            if len(fell) == 1:
                return Assignment(profile.case, fell[0], "fallback", scores, margin, rules, fallbacks, flags)
            if fell:
                flags.append("fallbacks_tied:" + "+".join(fell))
    return Assignment(profile.case, UNCLASSIFIED, "none", scores, margin, rules, fallbacks, flags)


def defining_codes(t: TypeDef) -> list[str]:
    """The codes that make a type: its lead actor, codes its rules ask for, its dominant branch."""
    keys: list[str] = []
    if t.lead_actor:
        keys.append(t.lead_actor)
    for expr in (t.rule, t.fallback):
        if expr is not None:
            keys.extend(sorted(expr.codes))
    if t.dominant_dimension and t.dominant_dimension.lower() != "balanced":
        keys.append(t.dominant_dimension)
    return list(dict.fromkeys(keys))


@dataclass(frozen=True)
class Quote:
    """A coded span offered as anchor: `keys` are its code and its dimension."""

    case: str
    document: str
    code: str
    dimension: str
    start: int
    end: int
    text: str
    path: tuple[str, ...] = ()  # the code and its ancestors
    weight: float | None = None  # strength; default its length (the service uses its document coverage)

    @property
    def strength(self) -> float:
        return float(self.end - self.start) if self.weight is None else self.weight

    def counts_for(self, key: str) -> bool:
        return key in self.path or key in (self.code, self.dimension)


@dataclass(frozen=True)
class Anchor:
    type: str
    defining: str
    rank: int
    quote: Quote


def anchor_segments(
    spec: TypologySpec, assignments: Sequence[Assignment], quotes: Sequence[Quote], per_code: int = 3
) -> list[Anchor]:
    """For each type and defining code, the strongest quotes (highest coverage) from cases of that type."""
    typed: dict[str, str] = {a.case: a.type for a in assignments}
    out: list[Anchor] = []
    for t in spec.types:
        pool = [q for q in quotes if typed.get(q.case) == t.id]
        for key in defining_codes(t):
            matching = [q for q in pool if q.counts_for(key)]
            matching.sort(key=lambda q: (-q.strength, q.document, q.start, q.code))
            seen: set[tuple[str, int, int]] = set()
            rank = 0
            for q in matching:
                if (q.document, q.start, q.end) in seen:
                    continue
                seen.add((q.document, q.start, q.end))
                rank += 1
                out.append(Anchor(t.id, key, rank, q))
                if rank == per_code:
                    break
    return out


def typology_table(
    spec: TypologySpec,
    profiles: Sequence[CaseProfile],
    assignments: Sequence[Assignment],
    codes: Sequence[str],
) -> tuple[list[str], list[tuple[str, str, list[float | None]]]]:
    """Types as columns (plus all cases), profile means and code prevalence (% of cases) as rows."""
    by_case = {p.case: p for p in profiles}
    groups = [t.id for t in spec.types]
    extra = sorted({a.type for a in assignments} - set(groups))
    columns = groups + extra + ["ALL"]
    members = {
        c: [by_case[a.case] for a in assignments if (a.type == c or c == "ALL") and a.case in by_case]
        for c in columns
    }
    rows: list[tuple[str, str, list[float | None]]] = [
        ("n", "cases", [len(members[c]) for c in columns])  # counts stay integers in every output
    ]

    def mean(c: str, name: str) -> float | None:
        # true/false variables (park_carrier) give the share of cases where they hold
        values = [float(v) for p in members[c] if isinstance(v := p.env().get(name), (int, float))]
        return sum(values) / len(values) if values else None

    for name in spec.member_names + list(spec.derived):
        rows.append((name, "mean", [mean(c, name) for c in columns]))
    for code in codes:
        values: list[float | None] = []
        for c in columns:
            ps = members[c]
            values.append(100.0 * sum(code in p.measures.codes_present for p in ps) / len(ps) if ps else None)
        rows.append((code, "% of cases", values))
    return columns, rows


def _leading(group: dict[str, float | None], members: dict[str, str]) -> str:
    """The code whose member has the largest value; 'tie' or 'none' when there is no single one."""
    values = {code: group.get(member) for member, code in members.items()}
    known = {c: v for c, v in values.items() if v is not None}
    if not known or max(known.values()) <= 0:
        return "none"
    top = max(known.values())
    leaders = sorted(c for c, v in known.items() if v == top)
    return leaders[0] if len(leaders) == 1 else "tie"


def attribute_space(
    spec: TypologySpec, profiles: Sequence[CaseProfile]
) -> list[tuple[str, str, int, str, str]]:
    """Kelle & Kluge's attribute space: lead actor x dominant dimension, with cases and the type of each cell.

    The two axes are the groups holding the types' `lead_actor` and `dominant_dimension` codes.
    Rows: (lead actor, dominant dimension, number of cases, case names, type(s) the cell reduces to).
    Empty when the types name neither.
    """
    actors = {t.lead_actor for t in spec.types if t.lead_actor}
    dims = {
        t.dominant_dimension
        for t in spec.types
        if t.dominant_dimension and t.dominant_dimension != "balanced"
    }
    actor_group = next((g for g in spec.groups if actors & set(g.codes)), None)
    dim_group = next((g for g in spec.groups if dims & set(g.codes)), None)
    if actor_group is None or dim_group is None:
        return []
    cells: dict[tuple[str, str], list[str]] = {}
    for p in profiles:
        lead = _leading(p.groups[actor_group.name].values, actor_group.members)
        dominant = _leading(p.groups[dim_group.name].values, dim_group.members)
        cells.setdefault((lead, dominant), []).append(p.case)
    rows = []
    for lead in [*actor_group.codes, "tie", "none"]:
        for dominant in [*dim_group.codes, "tie", "none"]:
            cases = cells.get((lead, dominant), [])
            reduces = [t.id for t in spec.types if t.lead_actor == lead and t.dominant_dimension == dominant]
            reduces += [
                f"{t.id} if balanced"
                for t in spec.types
                if t.lead_actor == lead and t.dominant_dimension == "balanced"
            ]
            if cases or reduces:
                rows.append(
                    (
                        lead,
                        dominant,
                        len(cases),
                        ", ".join(sorted(cases)),
                        "+".join(reduces) or "(hybrid / none)",
                    )
                )
    return rows

"""Rule-based typing of cases: profile -> rules -> scores -> fallback, every step recorded.

The procedure (rules file `assignment.procedure`):
1. total coverage below `min_total_coverage`: INSUFFICIENT_DATA;
2. actor codes present: exactly one rule true -> that type (basis `rule`);
3. otherwise the best score, if >= min_score and ahead of the second by >= min_margin
   (basis `score`), else HYBRID:<best>+<second> (basis `score_tie`);
4. no actor codes: exactly one fallback rule true -> that type (basis `fallback`), else UNCLASSIFIED.
A rule that fired with a margin below min_margin is flagged `near_hybrid`, never reassigned.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qualcode.core.expr import Expression, is_insufficient
from qualcode.core.profiles import CaseMeasures, shares
from qualcode.core.typology_spec import TypeDef, TypologySpec

INSUFFICIENT = "INSUFFICIENT_DATA"
UNCLASSIFIED = "UNCLASSIFIED"


@dataclass
class CaseProfile:
    case: str
    measures: CaseMeasures
    raw: dict[str, float]  # raw.<dim> in the chosen measure
    coverage: dict[str, float]  # coverage of each dimension
    dim: dict[str, float] | None
    act: dict[str, float] | None
    intensity: float  # summed coverage of the dimensions
    derived: dict[str, float | bool | None]
    act_env: dict[str, float | None] = field(default_factory=dict)  # act.<key>, None without actor codes

    def env(self) -> dict[str, float | bool | None]:
        values: dict[str, float | bool | None] = {}
        values.update({f"raw.{k}": v for k, v in self.raw.items()})
        for k in self.raw:
            values[f"dim.{k}"] = None if self.dim is None else self.dim[k]
        values.update(self.act_env)
        values["intensity"] = self.intensity
        values.update(self.derived)
        return values

    def features(self, names: Sequence[str]) -> list[float]:
        env = self.env()
        return [float(env.get(n) or 0.0) for n in names]

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.measures.documents,
            "roles": self.measures.roles,
            "respondent_chars": self.measures.respondent_chars,
            **{f"raw.{k}": v for k, v in self.raw.items()},
            **{f"coverage.{k}": v for k, v in self.coverage.items()},
            **{f"dim.{k}": (None if self.dim is None else self.dim[k]) for k in self.raw},
            **self.act_env,
            "intensity": self.intensity,
            **self.derived,
        }


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "basis": self.basis,
            "scores": self.scores,
            "margin": self.margin,
            "rule_results": self.rules,
            "fallback_results": self.fallbacks,
            "flags": self.flags,
        }


def _value(expr: Expression | None, env: dict[str, float | bool | None], present: frozenset[str]) -> float | bool | None:
    if expr is None:
        return None
    result = expr.evaluate(env, present)
    return None if is_insufficient(result) else result  # type: ignore[return-value]


def build_profile(spec: TypologySpec, measures: CaseMeasures) -> CaseProfile:
    chosen = measures.coverage if spec.dim_measure == "coverage" else measures.frequency
    raw = {d: chosen.get(d, 0.0) for d in spec.dimensions}
    coverage = {d: measures.coverage.get(d, 0.0) for d in spec.dimensions}
    act = shares(measures.frequency, spec.actors)
    act_env = {spec.act_var(a): (None if act is None else act[a]) for a in spec.actors}
    profile = CaseProfile(
        case=measures.case,
        measures=measures,
        raw=raw,
        coverage=coverage,
        dim=shares(raw, spec.dimensions),
        act=act,
        intensity=sum(coverage.values()),
        derived={},
        act_env=act_env,
    )
    for name, expr in spec.derived.items():
        profile.derived[name] = _value(expr, profile.env(), measures.codes_present)
    return profile


def _bool(value: float | bool | None) -> bool | None:
    return None if value is None else bool(value)


def assign(spec: TypologySpec, profile: CaseProfile, expected_roles: bool = True) -> Assignment:
    env = profile.env()
    present = profile.measures.codes_present
    rules = {t.id: _bool(_value(t.rule, env, present)) for t in spec.types}
    fallbacks = {t.id: _bool(_value(t.fallback_rule, env, present)) for t in spec.types}
    scores: dict[str, float | None] = {}
    for t in spec.types:
        s = _value(t.score, env, present)
        scores[t.id] = None if s is None or isinstance(s, bool) else round(float(s), 9)
    ranked = sorted(((v, k) for k, v in scores.items() if v is not None), key=lambda p: (-p[0], p[1]))
    margin = None
    if ranked:
        # rounded so that a margin of exactly the threshold is not lost to floating point
        margin = round(ranked[0][0] - (ranked[1][0] if len(ranked) > 1 else 0.0), 9)
    flags: list[str] = []
    if profile.act is None:
        flags.append("no_actor_codes")
    if profile.measures.missing_roles and expected_roles:
        flags.append("role_imbalance:" + "+".join(profile.measures.missing_roles))

    fired = [k for k, v in rules.items() if v]
    if profile.dim is None or profile.intensity < spec.min_total_coverage:
        kind, basis = INSUFFICIENT, "insufficient_data"
        flags.append("insufficient_data")
    elif profile.act is not None:
        if len(fired) == 1:
            kind, basis = fired[0], "rule"
            if margin is not None and margin < spec.min_margin:
                flags.append("near_hybrid")
        else:
            flags.append("no_rule_fired" if not fired else "rules_tied:" + "+".join(fired))
            if ranked and ranked[0][0] >= spec.min_score and (margin or 0.0) >= spec.min_margin:
                kind, basis = ranked[0][1], "score"
            elif len(ranked) >= 2:
                kind, basis = f"HYBRID:{ranked[0][1]}+{ranked[1][1]}", "score_tie"
            else:
                kind, basis = UNCLASSIFIED, "none"
    else:
        fell = [k for k, v in fallbacks.items() if v]
        if len(fell) == 1:
            kind, basis = fell[0], "fallback"
        else:
            kind, basis = UNCLASSIFIED, "none"
            if fell:
                flags.append("fallbacks_tied:" + "+".join(fell))
    return Assignment(profile.case, kind, basis, scores, margin, rules, fallbacks, flags)


def defining_codes(t: TypeDef) -> list[str]:
    """The codes that make a type: its lead actor, codes its rules ask for, its dominant branch."""
    keys: list[str] = []
    if t.lead_actor:
        keys.append(t.lead_actor)
    for expr in (t.rule, t.fallback_rule):
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


@dataclass(frozen=True)
class Anchor:
    type: str
    defining: str
    rank: int
    quote: Quote


def anchor_segments(
    spec: TypologySpec, assignments: Sequence[Assignment], quotes: Sequence[Quote], per_code: int = 3
) -> list[Anchor]:
    """For each type and defining code, the longest quotes from cases of that type."""
    typed: dict[str, str] = {a.case: a.type for a in assignments}
    out: list[Anchor] = []
    for t in spec.types:
        pool = [q for q in quotes if typed.get(q.case) == t.id]
        for key in defining_codes(t):
            matching = [q for q in pool if q.code == key or q.dimension == key or q.code.startswith(key + ".")]
            matching.sort(key=lambda q: (-(q.end - q.start), q.document, q.start, q.code))
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
    spec: TypologySpec, profiles: Sequence[CaseProfile], assignments: Sequence[Assignment], codes: Sequence[str]
) -> tuple[list[str], list[tuple[str, str, list[float | None]]]]:
    """Types as columns (plus all cases), profile means and code prevalence (% of cases) as rows."""
    by_case = {p.case: p for p in profiles}
    groups = [t.id for t in spec.types]
    extra = sorted({a.type for a in assignments} - set(groups))
    columns = groups + extra + ["ALL"]
    members = {c: [by_case[a.case] for a in assignments if (a.type == c or c == "ALL") and a.case in by_case] for c in columns}
    rows: list[tuple[str, str, list[float | None]]] = [("n", "cases", [float(len(members[c])) for c in columns])]

    def mean(c: str, name: str) -> float | None:
        values = [v for p in members[c] if isinstance(v := p.env().get(name), (int, float)) and not isinstance(v, bool)]
        return sum(values) / len(values) if values else None

    for name in spec.feature_names + ["intensity"]:
        rows.append((name, "mean", [mean(c, name) for c in columns]))
    for code in codes:
        values: list[float | None] = []
        for c in columns:
            ps = members[c]
            values.append(100.0 * sum(code in p.measures.codes_present for p in ps) / len(ps) if ps else None)
        rows.append((code, "% of cases", values))
    return columns, rows

"""Typology definitions as checked plain data: variable groups, derived variables, types, parameters.

The stored form is the codebook's typology section as a dict (`Typology.to_dict()` of
core/codebook_typology.py: `groups`, `derived`, `types`, `assignment`). The research
note's layout (`features: {dim, act, derived}`, `fallback_rule`) is accepted too and
converted. Rules are parsed once with the safe rule language of core/expr.py; every
name a rule uses must be a group member, a derived variable or a group, and every
`present(...)` must name a code, so a typo fails before any case is typed.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from qualcode.core.errors import QualcodeError
from qualcode.core.expr import Expression, ExpressionError, parse_expression
from qualcode.core.profiles import AGGREGATIONS, MEASURES
from qualcode.i18n import _

STEPS = ("rule", "score", "fallback")


class TypeTexts(TypedDict):
    """A type's rule, score and fallback as written ("" where it has none), in STEPS order."""

    rule: str
    score: str
    fallback: str


@dataclass(frozen=True)
class GroupSpec:
    """A variable group: one member per code (with its descendants), e.g. dim.TAL for TAL."""

    name: str
    codes: tuple[str, ...]
    measure: str = "coverage"
    normalise: str = "share"  # share | none
    min_total: float | None = None  # below this total the case has insufficient data
    if_absent: str = "missing"  # no data at all in the group: members missing, or zero

    def member(self, code: str) -> str:
        return f"{self.name}.{code.rsplit('.', 1)[-1]}"

    @property
    def members(self) -> dict[str, str]:
        return {self.member(c): c for c in self.codes}


@dataclass(frozen=True)
class TypeDef:
    id: str
    name_en: str
    name_zh: str
    lead_actor: str | None
    dominant_dimension: str | None
    description: str
    rule: Expression | None
    score: Expression | None
    fallback: Expression | None

    def texts(self) -> TypeTexts:
        return {
            "rule": str(self.rule or ""),
            "score": str(self.score or ""),
            "fallback": str(self.fallback or ""),
        }


@dataclass
class TypologySpec:
    id: str
    version: str
    groups: list[GroupSpec]
    derived: dict[str, Expression]
    types: list[TypeDef]
    aggregation: str = "mean_of_role_means"
    case_attribute: str | None = None
    role_attribute: str | None = None
    order: list[str] = field(default_factory=lambda: list(STEPS))
    min_score: float = 0.40
    min_margin: float = 0.05
    k_candidates: list[int] = field(default_factory=lambda: [2, 3, 4, 5])
    min_cases: int = 8
    replicates: int = 200
    seed: int = 20250101
    stability_flag_below: float = 0.60
    source: dict[str, Any] = field(default_factory=dict)

    @property
    def member_names(self) -> list[str]:
        return [m for g in self.groups for m in g.members]

    @property
    def feature_names(self) -> list[str]:
        """Profile features for clustering: members of the share-normalised groups."""
        return [m for g in self.groups if g.normalise == "share" for m in g.members]

    def sha256(self) -> str:
        blob = json.dumps(self.source, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def parameters(self) -> dict[str, Any]:
        return {
            "typology": self.id,
            "typology_version": self.version,
            "typology_sha256": self.sha256(),
            "groups": {
                g.name: {
                    "of": list(g.codes),
                    "measure": g.measure,
                    "normalise": g.normalise,
                    "min_total": g.min_total,
                    "if_absent": g.if_absent,
                }
                for g in self.groups
            },
            "aggregation": self.aggregation,
            "order": self.order,
            "min_score": self.min_score,
            "min_margin": self.min_margin,
            "k_candidates": self.k_candidates,
            "min_cases": self.min_cases,
            "replicates": self.replicates,
            "seed": self.seed,
            "stability_flag_below": self.stability_flag_below,
        }


def _expr(text: object, where: str) -> Expression | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        return parse_expression(str(text))
    except ExpressionError as exc:
        raise QualcodeError(_("typology {where}: {exc}").format(where=where, exc=exc)) from None


def _number(value: object, where: str, default: float | None) -> float | None:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise QualcodeError(
            _("typology {where} must be a number, not {value!r}").format(where=where, value=value)
        )
    return float(value)


def _from_research_layout(data: Mapping[str, Any]) -> dict[str, Any]:
    """The research note's `features:` layout, rewritten as groups and derived variables."""
    features = data.get("features") or {}
    groups = []
    for name, key in (("dim", "source_branches"), ("act", "source_codes")):
        part = features.get(name)
        if part:
            groups.append(
                {
                    "name": name,
                    "of": list(part.get(key) or []),
                    "measure": part.get("measure", "coverage"),
                    "normalise": part.get("normalise", "share"),
                    "min_total": part.get("min_total_coverage"),
                    "if_absent": "missing",
                }
            )
    converted = {k: v for k, v in data.items() if k not in ("features", "types", "role_balance")}
    converted["aggregation"] = data.get("role_balance", data.get("aggregation", "mean_of_role_means"))
    converted["groups"] = groups
    converted["derived"] = [{"name": k, "expression": v} for k, v in (features.get("derived") or {}).items()]
    converted["types"] = [
        {
            **{k: v for k, v in t.items() if k != "fallback_rule"},
            "fallback": t.get("fallback_rule", t.get("fallback")),
        }
        for t in data.get("types") or []
    ]
    return converted


def spec_from_dict(data: Mapping[str, Any], known_codes: Iterable[str] | None = None) -> TypologySpec:
    """Check a typology definition and parse its rules; QualcodeError names the first problem."""
    if "typology" in data and isinstance(data["typology"], Mapping):
        data = data["typology"]
    if not isinstance(data, Mapping):
        raise QualcodeError(_("the typology definition must be a mapping"))
    source = json.loads(json.dumps(dict(data), default=str))
    if "features" in data:
        data = _from_research_layout(data)
    groups: list[GroupSpec] = []
    for g in data.get("groups") or []:
        name = str(g.get("name") or "")
        measure = str(g.get("measure") or "coverage")
        if measure not in MEASURES:
            raise QualcodeError(
                _("typology variable group {name}: measure {measure!r} is not one of {MEASURES}").format(
                    name=name, measure=measure, MEASURES=', '.join(MEASURES)
                )
            )
        normalise = str(g.get("normalise") or "share")
        if normalise not in ("share", "none"):
            raise QualcodeError(
                _("typology variable group {name}: normalise {normalise!r} is not one of share, none").format(
                    name=name, normalise=normalise
                )
            )
        if_absent = str(g.get("if_absent") or "missing")
        if if_absent not in ("missing", "zero"):
            raise QualcodeError(
                _(
                    "typology variable group {name}: if_absent {if_absent!r} is not one of missing, zero"
                ).format(name=name, if_absent=if_absent)
            )
        codes = tuple(str(c) for c in g.get("of") or [])
        if not name or not codes:
            raise QualcodeError(
                _("typology variable group {value} needs a name and at least one code").format(
                    value=name or '(no name)'
                )
            )
        groups.append(
            GroupSpec(
                name,
                codes,
                measure,
                normalise,
                _number(g.get("min_total"), f"group {name} min_total", None),
                if_absent,
            )
        )
    if not groups:
        raise QualcodeError(_("the typology defines no variable groups (such as dim or act)"))
    aggregation = str(data.get("aggregation") or "mean_of_role_means")
    if aggregation not in AGGREGATIONS:
        raise QualcodeError(
            _("typology aggregation {aggregation!r} is not one of {AGGREGATIONS}").format(
                aggregation=aggregation, AGGREGATIONS=', '.join(AGGREGATIONS)
            )
        )
    derived: dict[str, Expression] = {}
    for d in data.get("derived") or []:
        expr = _expr(d.get("expression"), f"derived variable {d.get('name')}")
        if expr is not None:
            derived[str(d.get("name"))] = expr
    types: list[TypeDef] = []
    for item in data.get("types") or []:
        type_id = str(item.get("id") or "").strip()
        if not type_id:
            raise QualcodeError(_("a typology type has no id"))
        if any(t.id == type_id for t in types):
            raise QualcodeError(_("the typology defines type {type_id} twice").format(type_id=type_id))
        dominant = item.get("dominant_dimension")
        types.append(
            TypeDef(
                id=type_id,
                name_en=str(item.get("name_en") or ""),
                name_zh=str(item.get("name_zh") or ""),
                lead_actor=item.get("lead_actor"),
                dominant_dimension=None if dominant is None else str(dominant),
                description=str(item.get("description_en") or item.get("description") or ""),
                rule=_expr(item.get("rule"), f"type {type_id} rule"),
                score=_expr(item.get("score"), f"type {type_id} score"),
                fallback=_expr(item.get("fallback"), f"type {type_id} fallback"),
            )
        )
    if not types:
        raise QualcodeError(_("the typology defines no types"))
    assignment = data.get("assignment") or {}
    order = [str(s) for s in assignment.get("order") or STEPS]
    if any(s not in STEPS for s in order):
        raise QualcodeError(
            _("typology assignment order {order} may only list {STEPS}").format(
                order=order, STEPS=', '.join(STEPS)
            )
        )
    check = data.get("clustering_check") or {}
    stability = check.get("stability") or {}
    spec = TypologySpec(
        id=str(data.get("id") or "typology"),
        version=str(data.get("version") or ""),
        groups=groups,
        derived=derived,
        types=types,
        aggregation=aggregation,
        case_attribute=data.get("case_attribute"),
        role_attribute=data.get("role_attribute"),
        order=order,
        min_score=float(_number(assignment.get("min_score"), "assignment min_score", 0.40) or 0.0),
        min_margin=float(_number(assignment.get("min_margin"), "assignment min_margin", 0.05) or 0.0),
        k_candidates=[int(k) for k in check.get("k_candidates", [2, 3, 4, 5])],
        min_cases=int(check.get("min_cases", 8)),
        replicates=int(stability.get("replicates", 200)),
        seed=int(stability.get("seed", 20250101)),
        stability_flag_below=float(_number(stability.get("flag_below"), "stability flag_below", 0.60) or 0.0),
        source=source,
    )
    check_names(spec, known_codes)
    return spec


def check_names(spec: TypologySpec, known_codes: Iterable[str] | None) -> None:
    """Every rule may use only group members, earlier derived variables, groups and known codes."""
    known = set(spec.member_names)
    groups = {g.name for g in spec.groups}
    codes = set(known_codes) if known_codes is not None else None
    if codes is not None:
        for g in spec.groups:
            for code in g.codes:
                if code not in codes:
                    raise QualcodeError(
                        _(
                            "typology variable group {g} measures {code}, which is not a code of this project"
                        ).format(g=g.name, code=code)
                    )

    def check(expr: Expression | None, where: str) -> None:
        if expr is None:
            return
        for name in sorted(expr.names - known):
            raise QualcodeError(
                _("typology {where} uses the unknown variable {name!r} (known: {known})").format(
                    where=where, name=name, known=', '.join(sorted(known))
                )
            )
        for group in sorted(expr.groups - groups):
            raise QualcodeError(
                _("typology {where} uses the unknown group {group!r} (known: {groups})").format(
                    where=where, group=group, groups=', '.join(sorted(groups))
                )
            )
        if codes is not None:
            for code in sorted(expr.codes - codes):
                raise QualcodeError(
                    _("typology {where} asks for present({code}) but the project has no code {code}").format(
                        where=where, code=code
                    )
                )

    for name, expr in spec.derived.items():
        check(expr, f"derived variable {name}")
        known.add(name)
    for t in spec.types:
        check(t.rule, f"type {t.id} rule")
        check(t.score, f"type {t.id} score")
        check(t.fallback, f"type {t.id} fallback")

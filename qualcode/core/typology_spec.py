"""Typology definitions as checked plain data: features, types and their rules, and parameters.

Read from the `typology:` section of a codebook (a dict, as stored in the project
settings). Rules are parsed once with the safe rule language of `core/expr.py`;
every name a rule uses must be a profile variable, a derived variable or a group,
and every `present(...)` must name a code, so a typo fails before any case is typed.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qualcode.core.errors import QualcodeError
from qualcode.core.expr import Expression, ExpressionError, parse_expression
from qualcode.core.profiles import AGGREGATIONS, MEASURES

DEFAULT_DIMENSIONS = ("TAL", "TEC", "ADM")
DEFAULT_ACTORS = ("ACT.GOV", "ACT.PARK", "ACT.ENT", "ACT.SCH")


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
    fallback_rule: Expression | None

    def texts(self) -> dict[str, str]:
        return {k: str(getattr(self, k) or "") for k in ("rule", "score", "fallback_rule")}


@dataclass
class TypologySpec:
    id: str
    version: str
    codebook: str
    dimensions: list[str]  # branch keys: dim.<key>
    actors: list[str]  # code keys: act.<key without its first part>
    dim_measure: str
    min_total_coverage: float
    derived: dict[str, Expression]
    types: list[TypeDef]
    aggregation: str
    min_score: float = 0.40
    min_margin: float = 0.05
    k_candidates: list[int] = field(default_factory=lambda: [2, 3, 4, 5])
    min_cases: int = 8
    replicates: int = 200
    seed: int = 20250101
    stability_flag_below: float = 0.60
    source: dict[str, Any] = field(default_factory=dict)

    def dim_var(self, key: str) -> str:
        return f"dim.{key}"

    def act_var(self, code: str) -> str:
        return f"act.{code.split('.', 1)[-1]}"

    @property
    def base_variables(self) -> list[str]:
        names = [f"dim.{d}" for d in self.dimensions] + [f"raw.{d}" for d in self.dimensions]
        names += [self.act_var(a) for a in self.actors]
        return names + ["intensity"]

    @property
    def feature_names(self) -> list[str]:
        return [f"dim.{d}" for d in self.dimensions] + [self.act_var(a) for a in self.actors]

    def sha256(self) -> str:
        blob = json.dumps(self.source, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def parameters(self) -> dict[str, Any]:
        return {
            "typology": self.id,
            "typology_version": self.version,
            "typology_sha256": self.sha256(),
            "measure": self.dim_measure,
            "aggregation": self.aggregation,
            "min_total_coverage": self.min_total_coverage,
            "min_score": self.min_score,
            "min_margin": self.min_margin,
            "k_candidates": self.k_candidates,
            "min_cases": self.min_cases,
            "replicates": self.replicates,
            "seed": self.seed,
            "stability_flag_below": self.stability_flag_below,
        }


def _expr(text: object, where: str) -> Expression | None:
    if text is None or text == "":
        return None
    try:
        return parse_expression(str(text))
    except ExpressionError as exc:
        raise QualcodeError(f"typology {where}: {exc}") from None


def _number(value: object, where: str, default: float) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise QualcodeError(f"typology {where} must be a number, not {value!r}")
    return float(value)


def spec_from_dict(data: Mapping[str, Any], known_codes: Iterable[str] | None = None) -> TypologySpec:
    """Check a `typology:` section and parse its rules; QualcodeError names the first problem."""
    if "typology" in data and isinstance(data["typology"], Mapping):
        data = data["typology"]
    if not isinstance(data, Mapping):
        raise QualcodeError("the typology definition must be a mapping")
    features = data.get("features") or {}
    dim = features.get("dim") or {}
    act = features.get("act") or {}
    measure = str(dim.get("measure", "coverage"))
    if measure not in MEASURES:
        raise QualcodeError(f"typology features.dim.measure {measure!r} is not one of {', '.join(MEASURES)}")
    aggregation = str(data.get("role_balance", "mean_of_role_means"))
    if aggregation not in AGGREGATIONS:
        raise QualcodeError(f"typology role_balance {aggregation!r} is not one of {', '.join(AGGREGATIONS)}")
    derived = {str(name): _expr(text, f"derived variable {name}") for name, text in (features.get("derived") or {}).items()}
    raw_types = data.get("types")
    if not raw_types:
        raise QualcodeError("the typology defines no types")
    types: list[TypeDef] = []
    for item in raw_types:
        type_id = str(item.get("id") or "").strip()
        if not type_id:
            raise QualcodeError("a typology type has no id")
        if any(t.id == type_id for t in types):
            raise QualcodeError(f"the typology defines type {type_id} twice")
        dominant = item.get("dominant_dimension")
        types.append(
            TypeDef(
                id=type_id,
                name_en=str(item.get("name_en") or ""),
                name_zh=str(item.get("name_zh") or ""),
                lead_actor=item.get("lead_actor"),
                dominant_dimension=None if dominant is None else str(dominant),
                description=str(item.get("description") or ""),
                rule=_expr(item.get("rule"), f"type {type_id} rule"),
                score=_expr(item.get("score"), f"type {type_id} score"),
                fallback_rule=_expr(item.get("fallback_rule"), f"type {type_id} fallback_rule"),
            )
        )
    assignment = data.get("assignment") or {}
    check = data.get("clustering_check") or {}
    stability = check.get("stability") or {}
    spec = TypologySpec(
        id=str(data.get("id") or "typology"),
        version=str(data.get("version") or ""),
        codebook=str(data.get("codebook") or ""),
        dimensions=[str(x) for x in dim.get("source_branches", DEFAULT_DIMENSIONS)],
        actors=[str(x) for x in act.get("source_codes", DEFAULT_ACTORS)],
        dim_measure=measure,
        min_total_coverage=_number(dim.get("min_total_coverage"), "min_total_coverage", 0.05),
        derived={k: v for k, v in derived.items() if v is not None},
        types=types,
        aggregation=aggregation,
        min_score=_number(assignment.get("min_score"), "assignment.min_score", 0.40),
        min_margin=_number(assignment.get("min_margin"), "assignment.min_margin", 0.05),
        k_candidates=[int(k) for k in check.get("k_candidates", [2, 3, 4, 5])],
        min_cases=int(check.get("min_cases", 8)),
        replicates=int(stability.get("replicates", 200)),
        seed=int(stability.get("seed", 20250101)),
        stability_flag_below=_number(stability.get("flag_below"), "stability.flag_below", 0.60),
        source=json.loads(json.dumps(dict(data), default=str)),
    )
    check_names(spec, known_codes)
    return spec


def check_names(spec: TypologySpec, known_codes: Iterable[str] | None) -> None:
    """Every rule may use only profile variables, earlier derived variables, groups and known codes."""
    known = set(spec.base_variables)
    groups = {"dim", "act", "raw"}
    codes = set(known_codes) if known_codes is not None else None

    def check(expr: Expression | None, where: str) -> None:
        if expr is None:
            return
        for name in sorted(expr.names - known):
            raise QualcodeError(
                f"typology {where} uses the unknown variable {name!r} "
                f"(known: {', '.join(sorted(known))})"
            )
        for group in sorted(expr.groups - groups):
            raise QualcodeError(f"typology {where} uses the unknown group {group!r} (known: dim, act, raw)")
        if codes is not None:
            for code in sorted(expr.codes - codes):
                raise QualcodeError(f"typology {where} asks for present({code}) but the codebook has no code {code}")

    for name, expr in spec.derived.items():
        check(expr, f"derived variable {name}")
        known.add(name)
    for t in spec.types:
        check(t.rule, f"type {t.id} rule")
        check(t.score, f"type {t.id} score")
        check(t.fallback_rule, f"type {t.id} fallback_rule")

"""The typology section of a codebook: how cases are profiled and sorted into types.

Profile variables come in two kinds:
  - a *group* (``dim``, ``act``) measures a list of codes, each with its descendants;
    member ``dim.TAL`` is named by the last part of the code key (``TAL``, ``ACT.GOV`` -> ``GOV``);
  - a *derived* variable (``dim_range``) is a rule expression over groups, members,
    ``present(CODE)`` and earlier derived variables.
Types carry a rule (true/false), a score (a number) and a fallback rule used when
the case has no data for some variables. Expressions are parsed by core/expr.py.
"""

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from qualcode.core.expr import Expression, ExpressionError, parse_expression
from qualcode.core.problems import Problem
from qualcode.i18n import _

AGGREGATIONS = ("mean_of_role_means", "mean_of_documents", "pooled")
MEASURES = ("coverage", "frequency")
NORMALISE = ("share", "none")
IF_ABSENT = ("missing", "zero")
STEPS = ("rule", "score", "fallback")
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass
class VariableGroup:
    name: str
    of: list[str]  # code keys measured (each with its descendants)
    measure: str = "coverage"
    normalise: str = "share"
    min_total: float | None = None  # below this total the case has insufficient data
    if_absent: str = "missing"  # no coded data at all in the group: members are missing, or zero
    description: str = ""

    def members(self) -> dict[str, str]:
        """Variable name -> code key, e.g. {'act.GOV': 'ACT.GOV'}."""
        return {f"{self.name}.{key.rsplit('.', 1)[-1]}": key for key in self.of}


@dataclass
class DerivedVariable:
    name: str
    expression: str
    description: str = ""


@dataclass
class TypeDefinition:
    id: str
    name_en: str = ""
    name_zh: str = ""
    description_en: str = ""
    description_zh: str = ""
    lead_actor: str | None = None  # a code key, for documentation and tables
    dominant_dimension: str | None = None  # a code key or 'balanced'
    rule: str = ""
    score: str | None = None
    fallback: str | None = None


@dataclass
class Assignment:
    order: list[str] = field(default_factory=lambda: list(STEPS))
    min_score: float = 0.40  # a score below this never assigns a type
    min_margin: float = 0.05  # best minus second-best score needed to assign by score


@dataclass
class Typology:
    id: str
    version: str = "1"
    note: str = ""
    case_unit: str = "case"  # what a case is, e.g. 'consortium'
    case_attribute: str | None = None  # document attribute naming the case; None = project cases
    role_attribute: str | None = None  # document attribute naming the respondent role
    aggregation: str = "mean_of_role_means"
    groups: list[VariableGroup] = field(default_factory=list)
    derived: list[DerivedVariable] = field(default_factory=list)
    types: list[TypeDefinition] = field(default_factory=list)
    assignment: Assignment = field(default_factory=Assignment)

    # ------------------------------------------------------------ variables

    def variable_names(self) -> set[str]:
        names = {d.name for d in self.derived}
        for group in self.groups:
            names.update(group.members())
        return names

    def group_names(self) -> set[str]:
        return {g.name for g in self.groups}

    def expressions(self) -> dict[tuple[str, str], Expression]:
        """Every parsed expression keyed by (owner, field): ('dim_range', 'expression'), ('GOV_LED', 'rule')."""
        parsed: dict[tuple[str, str], Expression] = {}
        for variable in self.derived:
            parsed[(variable.name, "expression")] = parse_expression(variable.expression)
        for type_ in self.types:
            for name in ("rule", "score", "fallback"):
                text = getattr(type_, name)
                if text:
                    parsed[(type_.id, name)] = parse_expression(text)
        return parsed

    # ------------------------------------------------------------ (de)serialisation

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Typology":
        data = dict(data)
        data["groups"] = [VariableGroup(**g) for g in data.get("groups", [])]
        data["derived"] = [DerivedVariable(**d) for d in data.get("derived", [])]
        data["types"] = [TypeDefinition(**t) for t in data.get("types", [])]
        data["assignment"] = Assignment(**data.get("assignment", {}))
        return cls(**data)

    # ------------------------------------------------------------ validation

    def problems(self, code_keys: set[str]) -> list[Problem]:
        out: list[Problem] = []
        if not str(self.id or "").strip():
            out.append(Problem(_("the typology needs an id"), ("typology", "id")))
        if self.aggregation not in AGGREGATIONS:
            out.append(
                Problem(
                    _("aggregation {value!r} is not one of {allowed}").format(
                        value=self.aggregation, allowed=", ".join(AGGREGATIONS)
                    ),
                    ("typology", "aggregation"),
                )
            )
        out.extend(self._group_problems(code_keys))
        known = {g.name for g in self.groups} | {m for g in self.groups for m in g.members()}
        groups = self.group_names()
        for variable in self.derived:
            where = ("variable", variable.name)
            if not NAME_RE.match(variable.name or ""):
                out.append(
                    Problem(
                        _("{name!r} is not a valid variable name (letters, digits, '_')").format(
                            name=variable.name
                        ),
                        (*where, "name"),
                    )
                )
            if variable.name in known:
                out.append(
                    Problem(
                        _("the variable name {name!r} is defined twice").format(name=variable.name),
                        (*where, "name"),
                    )
                )
            out.extend(
                _expression_problems(
                    variable.expression, "expression", where, known - groups, groups, code_keys, None
                )
            )
            known.add(variable.name)
        names = known - groups
        seen: set[str] = set()
        for type_ in self.types:
            where = ("type", type_.id)
            if not NAME_RE.match(type_.id or ""):
                out.append(
                    Problem(
                        _("{id!r} is not a valid type id (letters, digits, '_', e.g. GOV_LED)").format(
                            id=type_.id
                        ),
                        (*where, "id"),
                    )
                )
            if type_.id in seen:
                out.append(Problem(_("the type id {id!r} is used twice").format(id=type_.id), (*where, "id")))
            seen.add(type_.id)
            if not (type_.name_en.strip() or type_.name_zh.strip()):
                out.append(
                    Problem(
                        _("type {id}: needs a name (name_en and/or name_zh)").format(id=type_.id),
                        (*where, "name_en"),
                    )
                )
            if not (type_.rule or "").strip():
                out.append(Problem(_("type {id}: needs a rule").format(id=type_.id), (*where, "rule")))
            else:
                out.extend(_expression_problems(type_.rule, "rule", where, names, groups, code_keys, "bool"))
            if type_.score:
                out.extend(_expression_problems(type_.score, "score", where, names, groups, code_keys, "num"))
            if type_.fallback:
                out.extend(
                    _expression_problems(type_.fallback, "fallback", where, names, groups, code_keys, "bool")
                )
            if type_.lead_actor is not None and type_.lead_actor not in code_keys:
                out.append(
                    Problem(
                        _("type {id}: lead_actor {key!r} is not a code in this codebook").format(
                            id=type_.id, key=type_.lead_actor
                        ),
                        (*where, "lead_actor"),
                    )
                )
            dominant = type_.dominant_dimension
            if dominant not in (None, "balanced") and dominant not in code_keys:
                out.append(
                    Problem(
                        _("type {id}: dominant_dimension {key!r} is not a code key or 'balanced'").format(
                            id=type_.id, key=dominant
                        ),
                        (*where, "dominant_dimension"),
                    )
                )
        out.extend(self._assignment_problems())
        return out

    def _group_problems(self, code_keys: set[str]) -> list[Problem]:
        out: list[Problem] = []
        seen: set[str] = set()
        for group in self.groups:
            where = ("variable", group.name)
            if not NAME_RE.match(group.name or ""):
                out.append(
                    Problem(
                        _("{name!r} is not a valid variable name (letters, digits, '_')").format(
                            name=group.name
                        ),
                        (*where, "name"),
                    )
                )
            if group.name in seen:
                out.append(
                    Problem(
                        _("the variable name {name!r} is defined twice").format(name=group.name),
                        (*where, "name"),
                    )
                )
            seen.add(group.name)
            if not group.of:
                out.append(
                    Problem(
                        _("variable group {name}: 'of' must list at least one code key").format(
                            name=group.name
                        ),
                        (*where, "of"),
                    )
                )
            for key in group.of:
                if key not in code_keys:
                    out.append(
                        Problem(
                            _("variable group {name}: {key!r} is not a code in this codebook").format(
                                name=group.name, key=key
                            ),
                            (*where, "of"),
                        )
                    )
            members = [m for m in (f"{group.name}.{k.rsplit('.', 1)[-1]}" for k in group.of)]
            for member in sorted({m for m in members if members.count(m) > 1}):
                out.append(
                    Problem(
                        _("variable group {name}: two codes would both be called {member!r}").format(
                            name=group.name, member=member
                        ),
                        (*where, "of"),
                    )
                )
            for attr, allowed in (("measure", MEASURES), ("normalise", NORMALISE), ("if_absent", IF_ABSENT)):
                if getattr(group, attr) not in allowed:
                    out.append(
                        Problem(
                            _("variable group {name}: {field} {value!r} is not one of {allowed}").format(
                                name=group.name,
                                field=attr,
                                value=getattr(group, attr),
                                allowed=", ".join(allowed),
                            ),
                            (*where, attr),
                        )
                    )
            if group.min_total is not None and not (
                isinstance(group.min_total, (int, float)) and group.min_total >= 0
            ):
                out.append(
                    Problem(
                        _("variable group {name}: min_total must be a number >= 0").format(name=group.name),
                        (*where, "min_total"),
                    )
                )
        return out

    def _assignment_problems(self) -> list[Problem]:
        out: list[Problem] = []
        where = ("typology", "assignment")
        order = self.assignment.order
        if not order or any(step not in STEPS for step in order) or len(set(order)) != len(order):
            out.append(
                Problem(
                    _("assignment order must list steps from {allowed}, each at most once").format(
                        allowed=", ".join(STEPS)
                    ),
                    (*where, "order"),
                )
            )
        for attr in ("min_score", "min_margin"):
            value = getattr(self.assignment, attr)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                out.append(
                    Problem(_("assignment {field} must be a number").format(field=attr), (*where, attr))
                )
        return out


def _expression_problems(
    text: object,
    field_name: str,
    where: tuple[str, ...],
    names: set[str],
    groups: set[str],
    code_keys: set[str],
    expect: str | None,
) -> list[Problem]:
    owner = where[1]
    if where[0] == "type":
        label = _("type {id}, {field}").format(id=owner, field=field_name)
    else:
        label = _("variable {name}, {field}").format(name=owner, field=field_name)
    try:
        expr = parse_expression(text)  # type: ignore[arg-type]
    except ExpressionError as exc:
        return [
            Problem(
                _("{label}: {explanation}").format(label=label, explanation=exc.explanation),
                (*where, field_name),
                exc.column,
                exc.line,
            )
        ]
    out: list[Problem] = []
    for name in sorted(expr.names - names):
        if name in groups:
            message = _("{label}: unknown variable {name!r} (a group: use it as max(...) or min(...))")
        else:
            message = _("{label}: unknown variable {name!r}")
        out.append(Problem(message.format(label=label, name=name), (*where, field_name), *_find(text, name)))
    for group in sorted(expr.groups - groups):
        out.append(
            Problem(
                _("{label}: {group!r} is not a variable group").format(label=label, group=group),
                (*where, field_name),
                *_find(text, group),
            )
        )
    for code in sorted(expr.codes - code_keys):
        out.append(
            Problem(
                _("{label}: present({code}) names a code that is not in this codebook").format(
                    label=label, code=code
                ),
                (*where, field_name),
                *_find(text, code),
            )
        )
    if expect == "bool" and expr.kind == "num":
        out.append(
            Problem(
                _("{label}: must be true/false (a comparison), but it is a number").format(label=label),
                (*where, field_name),
            )
        )
    if expect == "num" and expr.kind == "bool":
        out.append(
            Problem(
                _("{label}: must be a number, but it is true/false").format(label=label), (*where, field_name)
            )
        )
    return out


def _find(text: object, name: str) -> tuple[int | None, int | None]:
    """(column, line), 1-based, of `name` as a whole token in `text`, for error positions."""
    if not isinstance(text, str):
        return None, None
    match = re.search(rf"(?<![\w.]){re.escape(name)}(?![\w.])", text)
    if match is None:
        return None, None
    return match.start() - text.rfind("\n", 0, match.start()), text.count("\n", 0, match.start()) + 1

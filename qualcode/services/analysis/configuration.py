"""The configuration table (MAXQDA's "configuration table", and the data of a QCA): per case,
membership in each condition — the typology's dimensions and any codes the lead adds — with its
type, and for a chosen outcome the consistency and coverage of each configuration.

Cases, their coverage and their types are the typology's (services/analysis/typology.py), so
the table never disagrees with `qualcode typology`. The rules are in core/configuration.py.
"""

from collections.abc import Sequence
from typing import Any, TypedDict

from qualcode.core.configuration import CRISP, FUZZY, KINDS, crisp, formula, fuzzy, r_name, truth_table
from qualcode.core.errors import ValidationError
from qualcode.i18n import _, join_list, translate_in
from qualcode.services.analysis.data import AnalysisData, load_analysis_data
from qualcode.services.analysis.evidence import Names, name_in
from qualcode.services.analysis.typology import TypologyResult, compute_typology
from qualcode.store.db import Project

DEFAULT_THRESHOLD = 0.05  # a dimension present when 5 % of the case's respondent text carries it


class CaseRow(TypedDict):
    case: str
    type: str | None
    coverage: dict[str, float]
    membership: dict[str, float]
    outcome: float | None


class ConfigurationRow(TypedDict):
    configuration: str
    present: dict[str, bool]
    cases: list[str]
    n_cases: int
    consistency: float | None
    coverage: float | None


class ConfigurationTable(TypedDict):
    """The configuration table and truth table (`qualcode configuration`)."""

    kind: str  # crisp | fuzzy
    threshold: float
    full_membership: dict[str, float] | None  # condition -> coverage of full membership (fuzzy)
    conditions: list[str]
    r_names: dict[str, str]  # condition or outcome -> its column name in R
    outcome: str | None
    outcome_kind: str | None  # type | code
    coding_source: str
    case_unit: str
    cases_left_out: list[str]
    names: dict[str, Names]
    types: dict[str, Names]
    cases: list[CaseRow]
    configurations: list[ConfigurationRow]


def configuration_table(
    project: Project,
    *,
    conditions: Sequence[str] | None = None,
    kind: str = CRISP,
    threshold: float = DEFAULT_THRESHOLD,
    full: float | None = None,
    outcome: str | None = None,
    case_attribute: str | None = None,
    viewer: str | None = None,
    data: AnalysisData | None = None,
    typology: TypologyResult | None = None,
) -> ConfigurationTable:
    """Each case's membership in the conditions (default: the typology's dimensions), its type,
    and the truth table; with `outcome` (a type id, or a code key) consistency and coverage.
    `typology` is the project's typology when the caller has computed it already (the report
    does) with the same `case_attribute`, `viewer` and `data`."""
    if kind not in KINDS:
        raise ValidationError(
            _("unknown kind of set {kind!r}: use one of {choices}").format(
                kind=kind, choices=join_list(KINDS)
            )
        )
    if not 0.0 < threshold < 1.0:
        raise ValidationError(
            _("the threshold is a share of coverage between 0 and 1, not {value}").format(value=threshold)
        )
    if full is not None and not threshold < full <= 1.0:
        raise ValidationError(
            _("full membership must be above the threshold and at most 1, not {value}").format(value=full)
        )
    data = data or load_analysis_data(project, viewer)
    if typology is None:
        typology = compute_typology(project, case_attribute=case_attribute, viewer=viewer, data=data)
    keys = {info.key for info in data.codes.values()}
    chosen = list(conditions) if conditions else _dimensions(typology)
    unknown = [c for c in chosen if c not in keys]
    if unknown:
        raise ValidationError(
            _("unknown condition {names}: use code keys of the codebook").format(names=join_list(unknown))
        )
    if len(set(chosen)) != len(chosen):
        raise ValidationError(_("a condition is named twice"))
    type_ids = [t.id for t in typology.spec.types]
    if outcome is not None and outcome not in keys and outcome not in type_ids:
        raise ValidationError(
            _("unknown outcome {name!r}: use a type ({types}) or a code key").format(
                name=outcome, types=join_list(type_ids)
            )
        )
    if outcome is not None and outcome in chosen:
        raise ValidationError(_("the outcome {name!r} is also a condition").format(name=outcome))

    not_coded = set(typology.parameters["cases_not_coded"])
    coded = [a.case for a in typology.assignments if a.case not in not_coded]
    type_of = {a.case: (a.type or None) for a in typology.assignments}
    coverage = {
        p.case: {
            c: float(p.measures.coverage.get(c, 0.0))
            for c in [*chosen, *([outcome] if outcome in keys else [])]
        }
        for p in typology.profiles
        if p.case in coded
    }
    anchors = {
        c: (full if full is not None else max((cov[c] for cov in coverage.values()), default=0.0))
        for c in chosen
    }
    if outcome in keys:
        anchors[outcome] = (
            full if full is not None else max((cov[outcome] for cov in coverage.values()), default=0.0)
        )

    def member(value: float, key: str) -> float:
        if kind == CRISP:
            return crisp(value, threshold)
        return fuzzy(value, threshold, max(anchors[key], threshold * 2))

    memberships = {case: [member(cov[c], c) for c in chosen] for case, cov in coverage.items()}
    outcomes: dict[str, float] | None = None
    if outcome in keys:
        outcomes = {case: member(cov[outcome], outcome) for case, cov in coverage.items()}
    elif outcome is not None:
        outcomes = {case: 1.0 if type_of.get(case) == outcome else 0.0 for case in coverage}
    rows = [
        CaseRow(
            case=case,
            type=type_of.get(case),
            coverage={c: round(cov[c], 6) for c in chosen},
            membership=dict(zip(chosen, memberships[case], strict=True)),
            outcome=None if outcomes is None else outcomes[case],
        )
        for case, cov in coverage.items()
    ]
    configurations = [
        ConfigurationRow(
            configuration=formula(chosen, c.present),
            present=dict(zip(chosen, c.present, strict=True)),
            cases=list(c.cases),
            n_cases=len(c.cases),
            consistency=c.consistency,
            coverage=c.coverage,
        )
        for c in truth_table(memberships, outcomes)
    ]
    taken: set[str] = set()
    return {
        "kind": kind,
        "threshold": threshold,
        "full_membership": {c: anchors[c] for c in anchors} if kind == FUZZY else None,
        "conditions": chosen,
        "r_names": {c: r_name(c, taken) for c in [*chosen, *([outcome] if outcome else [])]},
        "outcome": outcome,
        "outcome_kind": None if outcome is None else ("type" if outcome in type_ids else "code"),
        "coding_source": typology.parameters["coding_source"],
        "case_unit": typology.parameters["case_unit"],
        "cases_left_out": sorted(p.case for p in typology.profiles if p.case not in coded),
        "names": {info.key: {"en": info.name_en, "zh": info.name_zh} for info in data.codes.values()},
        "types": {t.id: {"en": t.name_en, "zh": t.name_zh} for t in typology.spec.types},
        "cases": rows,
        "configurations": configurations,
    }


def _dimensions(typology: Any) -> list[str]:
    """The typology's dimension group (`dim`, else its first group): the usual QCA conditions."""
    groups = typology.spec.groups
    group = next((g for g in groups if g.name == "dim"), groups[0] if groups else None)
    return list(group.codes) if group is not None else []


def qca_grid(report: ConfigurationTable) -> tuple[list[str], list[list[Any]]]:
    """The cases as R's QCA package reads them (`read.csv(file, row.names = 1)`): the case in the
    first column, then one column per condition and the outcome, named by `r_names`."""
    names = report["r_names"]
    header = ["case", *(names[c] for c in report["conditions"])]
    if report["outcome"]:
        header.append(names[report["outcome"]])
    rows = []
    for row in report["cases"]:
        values: list[Any] = [row["case"]]
        values += [_number(row["membership"][c], report["kind"]) for c in report["conditions"]]
        if report["outcome"]:
            values.append(
                _number(row["outcome"], report["kind"] if report["outcome_kind"] == "code" else CRISP)
            )
        rows.append(values)
    return header, rows


def _number(value: float | None, kind: str) -> float | int | None:
    if value is None:
        return None
    return int(value) if kind == CRISP else value


def configuration_grids(
    report: ConfigurationTable, language: str
) -> tuple[tuple[list[str], list[list[Any]]], tuple[list[str], list[list[Any]]]]:
    """The two tables a paper prints, in `language`: cases (membership per condition, type,
    outcome) and configurations (cases, consistency, coverage)."""
    names, conditions = report["names"], report["conditions"]
    types = report["types"]
    case_header = [
        translate_in(language, "Case"),
        *(name_in(names, c, language) for c in conditions),
        translate_in(language, "Type"),
    ]
    if report["outcome"]:
        case_header.append(
            translate_in(language, "Outcome: {name}").format(name=_outcome_label(report, language))
        )
    case_rows = []
    for row in report["cases"]:
        line: list[Any] = [row["case"], *(_number(row["membership"][c], report["kind"]) for c in conditions)]
        line.append(name_in(types, row["type"], language) if row["type"] else "")
        if report["outcome"]:
            line.append(
                _number(row["outcome"], report["kind"] if report["outcome_kind"] == "code" else CRISP)
            )
        case_rows.append(line)
    config_header = [
        translate_in(language, "Configuration"),
        translate_in(language, "Cases"),
        translate_in(language, "Number of cases"),
    ]
    if report["outcome"]:
        config_header += [translate_in(language, "Consistency"), translate_in(language, "Coverage")]
    config_rows = []
    for c in report["configurations"]:
        line = [c["configuration"], join_list(c["cases"], language), c["n_cases"]]
        if report["outcome"]:
            line += [c["consistency"], c["coverage"]]
        config_rows.append(line)
    return (case_header, case_rows), (config_header, config_rows)


def _outcome_label(report: ConfigurationTable, language: str) -> str:
    outcome = report["outcome"]
    if report["outcome_kind"] == "type":
        return name_in(report["types"], outcome, language)
    return name_in(report["names"], outcome, language)

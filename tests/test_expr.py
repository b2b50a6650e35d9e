"""The typology rule language: what it accepts, what it refuses, and how it evaluates."""

import builtins

import pytest

from qualcode.core.errors import QualcodeError
from qualcode.core.expr import ExpressionError, Insufficient, is_insufficient, parse_expression

CASE = {
    "dim.TAL": 1 / 3,
    "dim.TEC": 1 / 6,
    "dim.ADM": 0.5,
    "act.GOV": 0.6,
    "act.PARK": 0.4,
    "act.ENT": 0.0,
    "act.SCH": 0.0,
    "dim_range": 0.5 - 1 / 6,
    "park_carrier": True,
}


def ev(text: str, env: dict | None = None, present: object = frozenset()):
    return parse_expression(text).evaluate(CASE if env is None else env, present)  # type: ignore[arg-type]


def test_research_rules_on_worked_example() -> None:
    # domain-typology.md §5 worked example: GOV_LED fires, PARK_HUB does not.
    assert ev("act.GOV >= 0.35 and act.GOV == max(act) and dim.ADM >= 0.40") is True
    assert ev("act.PARK >= 0.35 and act.PARK == max(act) and park_carrier") is False
    assert ev("0.5 * act.GOV + 0.5 * dim.ADM") == pytest.approx(0.55)
    assert ev("0.5 * act.PARK + 0.5 * (1 - dim_range)") == pytest.approx(0.5 * 0.4 + 0.5 * (1 - 1 / 3))
    assert ev("max(dim.TAL, dim.TEC, dim.ADM) - min(dim.TAL, dim.TEC, dim.ADM)") == pytest.approx(1 / 3)


def test_arithmetic_precedence_and_unary() -> None:
    assert ev("1 + 2 * 3", {}) == 7
    assert ev("(1 + 2) * 3", {}) == 9
    assert ev("-2 + 5", {}) == 3
    assert ev("10 / 4", {}) == 2.5
    assert ev("+1 - -1", {}) == 2


def test_comparison_chains() -> None:
    assert ev("0.3 < dim.TAL <= 0.4") is True
    assert ev("0.4 < dim.TAL <= 0.5") is False
    assert ev("1 < 2 < 3 > 2 != 5", {}) is True
    assert ev("1 < 2 > 3", {}) is False


def test_groups_min_max() -> None:
    assert ev("max(dim)") == 0.5
    assert ev("min(dim)") == pytest.approx(1 / 6)
    assert ev("max(act)") == 0.6
    # a nested name such as dim.sub.X is not a member of the group dim
    assert ev("max(dim)", {"dim.A": 0.2, "dim.sub.B": 0.9}) == 0.2


def test_present_with_set_and_callable() -> None:
    expr = parse_expression("present(TEC.CTP) or present(ADM.SPACE)")
    assert expr.codes == {"TEC.CTP", "ADM.SPACE"}
    assert expr.evaluate({}, {"ADM.SPACE"}) is True
    assert expr.evaluate({}, set()) is False
    assert expr.evaluate({}, lambda key: key == "TEC.CTP") is True


def test_logic_and_constants() -> None:
    assert ev("not False and True", {}) is True
    assert ev("not (1 > 2) or False", {}) is True
    assert ev("park_carrier and dim.TAL > 0.2") is True


def test_variables_lists_names_groups_and_codes() -> None:
    expr = parse_expression("act.GOV == max(act) and present(TEC.CTP) and dim_range < 0.2")
    assert expr.names == {"act.GOV", "dim_range"}
    assert expr.groups == {"act"}
    assert expr.codes == {"TEC.CTP"}
    assert expr.variables == {"act.GOV", "dim_range", "act", "TEC.CTP"}
    assert expr.kind == "bool"
    assert parse_expression("0.5 * act.GOV").kind == "num"
    assert parse_expression("dim_range").kind == "any"


# ---------------------------------------------------------------- missing data


def test_missing_value_propagates_to_insufficient() -> None:
    env = dict(CASE, **{"act.GOV": None, "act.PARK": None, "act.ENT": None, "act.SCH": None})
    result = ev("act.GOV >= 0.35 and act.GOV == max(act)", env)
    assert is_insufficient(result)
    assert isinstance(result, Insufficient)
    assert "act.GOV" in result.variables and "act.SCH" in result.variables
    assert "insufficient data" in str(result)
    assert is_insufficient(ev("0.5 * act.GOV + 0.5 * dim.ADM", env))
    assert is_insufficient(ev("max(act.GOV, 0.1)", env))
    assert is_insufficient(ev("not (act.GOV > 0.1)", env))


def test_kleene_logic_decides_despite_missing() -> None:
    env = {"x": None, "y": 0.9}
    assert ev("x > 0.5 and y < 0.1", env) is False
    assert ev("x > 0.5 or y > 0.1", env) is True
    assert is_insufficient(ev("x > 0.5 and y > 0.1", env))
    assert is_insufficient(ev("x > 0.5 or y < 0.1", env))
    assert ev("x < 1 < 0", env) is False  # a false link decides a chain


def test_insufficient_refuses_truth_value() -> None:
    result = ev("x > 1", {"x": None})
    with pytest.raises(TypeError, match="is_insufficient"):
        bool(result)


def test_division_by_zero_is_insufficient() -> None:
    result = ev("a / b", {"a": 1, "b": 0})
    assert is_insufficient(result) and "division by zero" in str(result)


def test_absent_variable_is_configuration_error() -> None:
    with pytest.raises(ExpressionError, match="'dim.XYZ' has no value"):
        ev("dim.XYZ > 1")
    with pytest.raises(ExpressionError, match="group 'foo' has no variables"):
        ev("max(foo) > 1")


def test_runtime_type_errors() -> None:
    with pytest.raises(ExpressionError, match="needs true/false"):
        ev("x and True", {"x": 0.5})
    with pytest.raises(ExpressionError, match="needs numbers"):
        ev("x + 1", {"x": True})
    with pytest.raises(ExpressionError, match="not a number"):
        ev("x > 1", {"x": "high"})


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("__import__('os')", 1, "unknown function '__import__'"),
        ("().__class__", 1, "can only follow a variable name"),
        ("a.b.c()", 1, "only min(...), max(...) and present(...) can be called"),
        ("x.__class__", 3, "names starting with '_'"),
        ("dim.TAL > 0.3 and __builtins__", 19, "names starting with '_'"),
        ("x[0]", 1, "indexing"),
        ("lambda: 1", 1, "lambda"),
        ("'TAL'", 1, "text in quotes"),
        ("dim.TAL > 0.3 and open('f')", 19, "unknown function 'open'"),
        ("x if y else z", 1, "if/else"),
        ("(y := 1)", 2, "assignment"),
        ("[x for x in y]", 1, "comprehension"),
        ("a in b", 1, "not 'in' or 'is'"),
        ("a is b", 1, "not 'in' or 'is'"),
        ("2 ** 8", 1, "only + - * /"),
        ("7 // 2", 1, "only + - * /"),
        ("~x", 1, "'~'"),
        ("max(x, key=y)", 1, "no named arguments"),
        ("max(*x)", 1, "*arguments"),
        ("max()", 1, "at least one value"),
        ("max(1)", 1, "must name a variable group"),
        ("present('TEC.CTP')", 1, "exactly one code key"),
        ("present(A, B)", 1, "exactly one code key"),
        ("max", 1, "is a function"),
        ("None", 1, "None is not allowed"),
        ("1j", 1, "not allowed"),
        ("f'{x}'", 1, "formatted string"),
        ("1 +", 4, "not a valid rule"),
        ("a b", 1, "not a valid rule"),
        ("(x.__class__.__subclasses__())", 2, "only min(...)"),
        ("getattr(x, 'y')", 1, "unknown function 'getattr'"),
        ("x.y.__globals__", 5, "names starting with '_'"),
    ],
)
def test_refused_with_column(text: str, column: int, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert fragment in str(info.value)
    assert info.value.column == column
    assert isinstance(info.value, QualcodeError)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("not 0.5", "'not' needs true/false"),
        ("1 and x", "'and' needs true/false"),
        ("present(A) + 1", "needs numbers"),
        ("(x > 1) * 2", "needs numbers"),
        ("present(A) > 0.5", "compares numbers"),
        ("max(1, x > 2)", "needs numbers"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_static_type_errors(text: str, fragment: str) -> None:
    with pytest.raises(ExpressionError, match=fragment.replace("(", r"\(")):
        parse_expression(text)


def test_non_string_and_huge_inputs() -> None:
    with pytest.raises(ExpressionError, match="must be text"):
        parse_expression(42)  # type: ignore[arg-type]
    with pytest.raises(ExpressionError, match="longer than"):
        parse_expression("x + " * 1000 + "1")
    with pytest.raises(ExpressionError):
        parse_expression("(" * 300 + "1" + ")" * 300)
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression("-" * 100 + "1")


def test_multiline_rule_reports_line_and_column() -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression("dim.TAL > 0.3\nand x[1]")
    assert (info.value.line, info.value.column) == (2, 5)
    assert str(info.value).startswith("line 2, column 5:")


def test_column_counts_characters_not_bytes() -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression("表 > 1 and x[0]")
    assert info.value.column == 11


def test_parsing_never_runs_code(monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[str] = []

    def spy(*args: object, **kwargs: object) -> None:
        called.append("called")

    monkeypatch.setattr(builtins, "eval", spy)
    monkeypatch.setattr(builtins, "exec", spy)
    expr = parse_expression("max(dim) > 0.2 and present(X)")
    assert expr.evaluate({"dim.A": 0.5}, {"X"}) is True
    assert called == []

"""A small, whitelisted expression language for typology rules.

Rules such as ``act.GOV >= 0.35 and act.GOV == max(act) and dim.ADM >= 0.40``
come from codebook files that anyone may hand us, so they are parsed with
Python's ``ast`` module (which only builds a tree, it runs nothing) and every
node is checked against a whitelist. The tree is then compiled into the small
node classes below and interpreted; ``eval``/``exec`` are never used.

Grammar (Python syntax, a tiny subset):
  - numbers (``0.35``, ``1``), ``True``, ``False``
  - variable names, optionally dotted: ``dim.TAL``, ``act.GOV``, ``dim_range``
  - comparisons ``< <= > >= == !=`` (chains such as ``0.2 < dim.TAL <= 0.5`` allowed)
  - ``and``, ``or``, ``not``; ``+ - * /``, unary ``-``/``+``; parentheses
  - ``min(a, b, ...)`` / ``max(a, b, ...)``; with a single bare name, ``max(dim)``
    is the maximum over the *group* ``dim``, i.e. every variable named ``dim.*``
  - ``present(CODE.KEY)``: whether the code was applied in the case

Missing data: a variable whose value is ``None`` is missing. Missing values
propagate: arithmetic, comparisons and min/max with a missing operand give an
:class:`Insufficient` result (listing the missing variables), and ``and``/``or``
follow three-valued (Kleene) logic, so ``False and <missing>`` is ``False`` and
``True or <missing>`` is ``True``. Division by zero is also ``Insufficient``.
An ``Insufficient`` result refuses to be used as a truth value, so a caller
cannot silently treat "no data" as "rule not met": test ``is_insufficient(x)``.
A variable absent from the environment (not even ``None``) is a configuration
error and raises :class:`ExpressionError`.
"""

import ast
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Union

from qualcode.core.errors import ValidationError
from qualcode.i18n import N_, _

FUNCTIONS = ("min", "max", "present")
MAX_LENGTH = 2000
MAX_DEPTH = 60

Value = Union[float, bool, "Insufficient"]


class ExpressionError(ValidationError):
    """An expression that is not in the rule language, or cannot be evaluated.

    ``column`` and ``line`` are 1-based positions inside the expression text
    (``None`` when the problem is not tied to one token).
    """

    def __init__(self, explanation: str, column: int | None = None, line: int | None = None) -> None:
        self.explanation = explanation
        self.column = column
        self.line = line
        where = (
            ""
            if column is None
            else (f"column {column}: " if not line or line == 1 else f"line {line}, column {column}: ")
        )
        super().__init__(f"{where}{explanation}")


@dataclass(frozen=True)
class Insufficient:
    """The result of an expression that needed data the case does not have."""

    variables: frozenset[str] = frozenset()
    reason: str = "missing data"

    def __bool__(self) -> bool:
        raise TypeError("insufficient data has no truth value; check is_insufficient(result) first")

    def __str__(self) -> str:
        if self.variables:
            return f"insufficient data ({self.reason}: {', '.join(sorted(self.variables))})"
        return f"insufficient data ({self.reason})"


def is_insufficient(value: object) -> bool:
    return isinstance(value, Insufficient)


def _merge(*parts: Insufficient) -> Insufficient:
    variables = frozenset().union(*(p.variables for p in parts))
    reasons = sorted({p.reason for p in parts})
    return Insufficient(variables, "; ".join(reasons))


# ---------------------------------------------------------------- compiled nodes


@dataclass
class _Ctx:
    env: Mapping[str, float | bool | None]
    present: Callable[[str], bool]


class _Node:
    kind = "any"  # "num", "bool" or "any" (a variable: known only at run time)

    def eval(self, ctx: _Ctx) -> Value:
        raise NotImplementedError


@dataclass
class _Const(_Node):
    value: float | bool

    def __post_init__(self) -> None:
        self.kind = "bool" if isinstance(self.value, bool) else "num"

    def eval(self, ctx: _Ctx) -> Value:
        return self.value


@dataclass
class _Var(_Node):
    name: str
    column: int

    def eval(self, ctx: _Ctx) -> Value:
        if self.name not in ctx.env:
            raise ExpressionError(
                _("the variable {name!r} has no value (not computed for this case)").format(name=self.name),
                self.column,
            )
        value = ctx.env[self.name]
        if value is None:
            return Insufficient(frozenset({self.name}))
        if not isinstance(value, (bool, int, float)):
            raise ExpressionError(
                _("the variable {name!r} holds {value!r}, not a number or true/false").format(
                    name=self.name, value=value
                ),
                self.column,
            )
        return value if isinstance(value, bool) else float(value)


@dataclass
class _Present(_Node):
    code: str

    kind = "bool"

    def eval(self, ctx: _Ctx) -> Value:
        return bool(ctx.present(self.code))


@dataclass
class _Not(_Node):
    operand: _Node
    column: int

    kind = "bool"

    def eval(self, ctx: _Ctx) -> Value:
        value = _need_bool(self.operand.eval(ctx), "not", self.column)
        return value if is_insufficient(value) else not value


@dataclass
class _Neg(_Node):
    operand: _Node
    sign: float
    column: int

    kind = "num"

    def eval(self, ctx: _Ctx) -> Value:
        value = _need_num(self.operand.eval(ctx), "-", self.column)
        return value if is_insufficient(value) else self.sign * value  # type: ignore[operator]


@dataclass
class _Bool(_Node):
    op: str  # "and" | "or"
    operands: list[_Node]
    column: int

    kind = "bool"

    def eval(self, ctx: _Ctx) -> Value:
        # Kleene logic: a decisive operand wins even if another one is missing.
        decisive = self.op == "or"
        missing: list[Insufficient] = []
        for operand in self.operands:
            value = _need_bool(operand.eval(ctx), self.op, self.column)
            if isinstance(value, Insufficient):
                missing.append(value)
            elif value is decisive:
                return decisive
        return _merge(*missing) if missing else not decisive


_ARITH: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


@dataclass
class _Arith(_Node):
    op: str
    left: _Node
    right: _Node
    column: int

    kind = "num"

    def eval(self, ctx: _Ctx) -> Value:
        a = _need_num(self.left.eval(ctx), self.op, self.column)
        b = _need_num(self.right.eval(ctx), self.op, self.column)
        if isinstance(a, Insufficient) or isinstance(b, Insufficient):
            return _merge(*(v for v in (a, b) if isinstance(v, Insufficient)))
        if self.op == "+":
            return a + b
        if self.op == "-":
            return a - b
        if self.op == "*":
            return a * b
        if b == 0:
            return Insufficient(frozenset(), "division by zero")
        return a / b


_CMP: dict[type, str] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}


@dataclass
class _Compare(_Node):
    operands: list[_Node]
    ops: list[str]
    column: int

    kind = "bool"

    def eval(self, ctx: _Ctx) -> Value:
        values = [operand.eval(ctx) for operand in self.operands]
        missing: list[Insufficient] = []
        for op, (a, b) in zip(self.ops, pairwise(values), strict=True):
            if isinstance(a, Insufficient) or isinstance(b, Insufficient):
                missing.extend(v for v in (a, b) if isinstance(v, Insufficient))
                continue
            if op not in ("==", "!=") and (isinstance(a, bool) or isinstance(b, bool)):
                raise ExpressionError(
                    _("'{op}' compares numbers, but got true/false").format(op=op), self.column
                )
            if not _compare(op, a, b):
                return False  # a chain is a conjunction: one false link decides
        return _merge(*missing) if missing else True


def _compare(op: str, a: float | bool, b: float | bool) -> bool:
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    if op == ">=":
        return a >= b
    if op == "==":
        return a == b
    return a != b


@dataclass
class _MinMax(_Node):
    func: str
    args: list[_Node]
    group: str | None
    column: int

    kind = "num"

    def eval(self, ctx: _Ctx) -> Value:
        if self.group is not None:
            prefix = self.group + "."
            names = sorted(k for k in ctx.env if k.startswith(prefix) and "." not in k[len(prefix) :])
            if not names:
                raise ExpressionError(
                    _("the group {group!r} has no variables {prefix}* in this case").format(
                        group=self.group, prefix=prefix
                    ),
                    self.column,
                )
            values: list[Value] = [_Var(n, self.column).eval(ctx) for n in names]
        else:
            values = [a.eval(ctx) for a in self.args]
        missing = [v for v in values if isinstance(v, Insufficient)]
        if missing:
            return _merge(*missing)
        numbers = [_need_num(v, self.func, self.column) for v in values]
        return min(numbers) if self.func == "min" else max(numbers)  # type: ignore[type-var]


def _need_bool(value: Value, op: str, column: int) -> Value:
    if isinstance(value, (bool, Insufficient)):
        return value
    raise ExpressionError(
        _("'{op}' needs true/false values, but got the number {value:g}").format(op=op, value=value), column
    )


def _need_num(value: Value, op: str, column: int) -> Value:
    if isinstance(value, bool):
        raise ExpressionError(_("'{op}' needs numbers, but got true/false").format(op=op), column)
    return value


# ---------------------------------------------------------------- public API


@dataclass
class Expression:
    """A parsed, checked rule expression; safe to evaluate on untrusted input."""

    text: str
    names: frozenset[str]  # plain and dotted variable names, e.g. "dim.TAL", "dim_range"
    groups: frozenset[str]  # group names used as max(dim) / min(act)
    codes: frozenset[str]  # code keys used in present(...)
    kind: str  # "bool", "num" or "any": what the expression yields
    _root: _Node = field(repr=False)

    @property
    def variables(self) -> frozenset[str]:
        """Every name the expression refers to: variables, groups and present() codes."""
        return self.names | self.groups | self.codes

    def evaluate(
        self,
        env: Mapping[str, float | bool | None],
        present: Callable[[str], bool] | Iterable[str] = frozenset(),
    ) -> Value:
        """Evaluate on one case: a number, True/False, or an :class:`Insufficient` result."""
        if not callable(present):
            applied = frozenset(present)
            check: Callable[[str], bool] = applied.__contains__
        else:
            check = present
        return self._root.eval(_Ctx(env, check))

    def __str__(self) -> str:
        return self.text


def parse_expression(text: str) -> Expression:
    """Parse and check ``text``; raise :class:`ExpressionError` with the column of the problem."""
    if not isinstance(text, str):
        raise ExpressionError(_("a rule must be text, not {name__}").format(name__=type(text).__name__))
    if not text.strip():
        raise ExpressionError(_("the rule is empty"))
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            _("the rule is longer than {MAX_LENGTH} characters").format(MAX_LENGTH=MAX_LENGTH)
        )
    try:
        # Wrapped in parentheses on lines of their own: leading spaces and line
        # breaks (YAML block scalars) are then fine, and columns stay unchanged.
        tree = ast.parse("(\n" + text + "\n)", mode="eval")
    except SyntaxError as exc:
        lines = text.split("\n")
        line, column = (exc.lineno or 2) - 1, exc.offset
        if line < 1 or line > len(lines):  # the error is at the very end (e.g. "1 +")
            line, column = len(lines), len(lines[-1]) + 1
        reason = exc.msg.split(". ")[0]
        raise ExpressionError(_("not a valid rule ({reason})").format(reason=reason), column, line) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise ExpressionError(
            _("the rule cannot be read ({name__})").format(name__=type(exc).__name__)
        ) from None
    builder = _Builder(text)
    root = builder.build(tree.body, 0)
    return Expression(
        text=text,
        names=frozenset(builder.names),
        groups=frozenset(builder.groups),
        codes=frozenset(builder.codes),
        kind=root.kind,
        _root=root,
    )


class _Builder:
    """Walks a Python AST, allowing only the rule language, and builds _Node trees."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.names: set[str] = set()
        self.groups: set[str] = set()
        self.codes: set[str] = set()

    def where(self, node: ast.AST) -> tuple[int, int]:
        """1-based (column, line) in characters; ast offsets are UTF-8 bytes."""
        line = getattr(node, "lineno", 2) - 1  # minus the opening "(" line
        offset = getattr(node, "col_offset", 0)
        source = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(source.encode("utf-8")[:offset].decode("utf-8", errors="ignore")) + 1, line

    def fail(self, node: ast.AST, explanation: str) -> ExpressionError:
        column, line = self.where(node)
        return ExpressionError(explanation, column, line)

    def col(self, node: ast.AST) -> int:
        return self.where(node)[0]

    def build(self, node: ast.AST, depth: int) -> _Node:
        if depth > MAX_DEPTH:
            raise self.fail(node, _("the rule is nested too deeply"))
        depth += 1
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or (
                isinstance(value, (int, float)) and not isinstance(value, complex)
            ):
                return _Const(value if isinstance(value, bool) else float(value))
            if isinstance(value, str):
                raise self.fail(
                    node,
                    _(
                        "text in quotes is not allowed in a rule; write variable names and codes without quotes"
                    ),
                )
            raise self.fail(
                node,
                _("{value!r} is not allowed in a rule (only numbers, True and False)").format(value=value),
            )
        if isinstance(node, (ast.Name, ast.Attribute)):
            name = self.dotted(node)
            self.names.add(name)
            return _Var(name, self.col(node))
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            operands = [self.logical(v, op, depth) for v in node.values]
            return _Bool(op, operands, self.col(node))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return _Not(self.logical(node.operand, "not", depth), self.col(node))
            if isinstance(node.op, (ast.USub, ast.UAdd)):
                operand = self.numeric(node.operand, "-", depth)
                return _Neg(operand, -1.0 if isinstance(node.op, ast.USub) else 1.0, self.col(node))
            raise self.fail(node, _("the operator '~' is not allowed in a rule"))
        if isinstance(node, ast.BinOp):
            arith = _ARITH.get(type(node.op))
            if arith is None:
                raise self.fail(node, _("only + - * / are allowed for arithmetic in a rule"))
            return _Arith(
                arith,
                self.numeric(node.left, arith, depth),
                self.numeric(node.right, arith, depth),
                self.col(node),
            )
        if isinstance(node, ast.Compare):
            ops = []
            for cmp in node.ops:
                symbol = _CMP.get(type(cmp))
                if symbol is None:
                    raise self.fail(
                        node, _("only < <= > >= == != comparisons are allowed in a rule (not 'in' or 'is')")
                    )
                ops.append(symbol)
            operands = [self.build(v, depth) for v in [node.left, *node.comparators]]
            for symbol, (a, b) in zip(ops, pairwise(operands), strict=True):
                if symbol not in ("==", "!=") and "bool" in (a.kind, b.kind):
                    raise self.fail(
                        node,
                        _("'{symbol}' compares numbers, but one side is true/false").format(symbol=symbol),
                    )
            return _Compare(operands, ops, self.col(node))
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        raise self.fail(node, _("{what} is not allowed in a rule").format(what=_describe(node)))

    def logical(self, node: ast.AST, op: str, depth: int) -> _Node:
        built = self.build(node, depth)
        if built.kind == "num":
            raise self.fail(
                node,
                _(
                    "'{op}' needs true/false values, but this part is a number (add a comparison such as '>= 0.4')"
                ).format(op=op),
            )
        return built

    def numeric(self, node: ast.AST, op: str, depth: int) -> _Node:
        built = self.build(node, depth)
        if built.kind == "bool":
            raise self.fail(node, _("'{op}' needs numbers, but this part is true/false").format(op=op))
        return built

    def dotted(self, node: ast.AST) -> str:
        parts: list[tuple[str, ast.AST]] = []
        current = node
        while isinstance(current, ast.Attribute):
            parts.append((current.attr, current))
            current = current.value
        if not isinstance(current, ast.Name):
            raise self.fail(
                node,
                _("'.{name}' can only follow a variable name, not {what}").format(
                    name=parts[-1][0], what=_describe(current)
                ),
            )
        parts.append((current.id, current))
        parts.reverse()
        for part, owner in parts:
            if part.startswith("_"):
                column, line = self.where(owner)
                if isinstance(owner, ast.Attribute):  # point at the attribute itself, not its owner
                    column = self.col_end(owner) - len(part)
                raise ExpressionError(
                    _("names starting with '_' (such as {part!r}) are not allowed in a rule").format(
                        part=part
                    ),
                    column,
                    line,
                )
        if len(parts) == 1 and parts[0][0] in FUNCTIONS:
            raise self.fail(
                node,
                _("{name!r} is a function; call it with parentheses, e.g. {func}(...)").format(
                    name=parts[0][0], func=parts[0][0]
                ),
            )
        return ".".join(p for p, _unused in parts)

    def col_end(self, node: ast.AST) -> int:
        line = getattr(node, "end_lineno", 2) - 1
        offset = getattr(node, "end_col_offset", 0)
        source = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(source.encode("utf-8")[:offset].decode("utf-8", errors="ignore")) + 1

    def call(self, node: ast.Call, depth: int) -> _Node:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node.func, _("only min(...), max(...) and present(...) can be called in a rule"))
        func = node.func.id
        if func not in FUNCTIONS:
            raise self.fail(
                node,
                _("unknown function {name!r}: only min, max and present can be used in a rule").format(
                    name=func
                ),
            )
        if node.keywords:
            raise self.fail(node, _("{func}() takes no named arguments").format(func=func))
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(node, _("{func}() does not accept *arguments").format(func=func))
        if func == "present":
            if len(node.args) != 1 or not isinstance(node.args[0], (ast.Name, ast.Attribute)):
                raise self.fail(node, _("present() takes exactly one code key, e.g. present(TEC.CTP)"))
            key = self.dotted(node.args[0])
            self.codes.add(key)
            return _Present(key)
        if not node.args:
            raise self.fail(
                node,
                _("{func}() needs at least one value or a variable group such as {func}(dim)").format(
                    func=func
                ),
            )
        if len(node.args) == 1:
            if not isinstance(node.args[0], (ast.Name, ast.Attribute)):
                raise self.fail(
                    node,
                    _("{func}() with one value must name a variable group, e.g. {func}(dim)").format(
                        func=func
                    ),
                )
            group = self.dotted(node.args[0])
            self.groups.add(group)
            return _MinMax(func, [], group, self.col(node))
        args = [self.numeric(a, func, depth) for a in node.args]
        return _MinMax(func, args, None, self.col(node))


def _describe(node: ast.AST) -> str:
    names = {
        ast.Subscript: N_("indexing with [...]"),
        ast.Lambda: N_("a lambda"),
        ast.Tuple: N_("a tuple"),
        ast.List: N_("a list"),
        ast.Dict: N_("a dictionary"),
        ast.Set: N_("a set"),
        ast.IfExp: N_("an if/else expression"),
        ast.NamedExpr: N_("an assignment (:=)"),
        ast.JoinedStr: N_("a formatted string"),
        ast.ListComp: N_("a comprehension"),
        ast.GeneratorExp: N_("a generator"),
        ast.SetComp: N_("a comprehension"),
        ast.DictComp: N_("a comprehension"),
        ast.Await: "await",  # Python keywords, shown as written
        ast.Yield: "yield",
        ast.Starred: "*arguments",
    }
    name = names.get(type(node))
    if name is None:
        return _("a {name} expression").format(name=type(node).__name__)
    return name if name in ("await", "yield", "*arguments") else _(name)

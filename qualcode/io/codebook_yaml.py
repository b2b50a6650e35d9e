"""Reading codebook YAML files, with every problem reported as file:line:column.

PyYAML's composer gives a node tree that remembers where each value starts; the
reader walks that tree itself (instead of yaml.safe_load) so that a missing name,
a bad colour or an unknown variable in a rule points at its line and column.
The format is documented in docs/codebook.md; writing lives in codebook_yaml_writer.py.
"""

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qualcode.core.codebook import BILINGUAL_FIELDS, MAX_DEPTH, Codebook, CodeNode, depth_problem
from qualcode.core.codebook_typology import (
    Assignment,
    DerivedVariable,
    TypeDefinition,
    Typology,
    VariableGroup,
)
from qualcode.core.errors import ValidationError
from qualcode.core.problems import Problem, Where
from qualcode.i18n import _, pgettext
from qualcode.io.input_files import refuse_special_file
from qualcode.io.yaml_errors import describe_yaml_error, tag_message, unsafe_tag

TOP_FIELDS = ("codebook", "codes", "typology")
META_FIELDS = ("id", "version", "title_en", "title_zh", "description", "languages")
NODE_FIELDS = (
    "key",
    "level",
    "name_en",
    "name_zh",
    "short_definition",
    "short_definition_zh",
    "definition",
    "definition_zh",
    "inclusion",
    "inclusion_zh",
    "exclusion",
    "exclusion_zh",
    "examples",
    "color",
    "codable",
    "retired",
    "guid",
    "parent",
    "children",
)
TYPOLOGY_FIELDS = ("id", "version", "note", "case", "variables", "types", "assignment")
CASE_FIELDS = ("unit", "attribute", "role_attribute", "aggregation")
GROUP_FIELDS = ("of", "measure", "normalise", "min_total", "if_absent", "description")
DERIVED_FIELDS = ("expression", "description")
TYPE_FIELDS = (
    "id",
    "name_en",
    "name_zh",
    "description_en",
    "description_zh",
    "lead_actor",
    "dominant_dimension",
    "rule",
    "score",
    "fallback",
)
ASSIGNMENT_FIELDS = ("order", "min_score", "min_margin")
MAX_BYTES = 20_000_000


class CodebookFileError(ValidationError):
    """A codebook file with problems; `problems` holds every 'file:line:column: explanation'."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        first = problems[0]
        if len(problems) > 1:
            first = _("{problem} (and {count} more; see `qualcode codebook validate`)").format(
                problem=first, count=len(problems) - 1
            )
        super().__init__(first)


@dataclass
class _Reader:
    name: str
    lines: list[str]
    problems: list[tuple[int, int, str]] = field(default_factory=list)  # (line, column, message), 1-based
    marks: dict[Where, yaml.Node] = field(default_factory=dict)
    seen: set[int] = field(default_factory=set)

    # ------------------------------------------------------------ reporting

    def error(self, node: yaml.Node | None, message: str) -> None:
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
        self.problems.append((line, column, message))

    def at_value(self, node: yaml.Node, column: int | None, line: int | None) -> tuple[int, int]:
        """File position of (line, column) inside a scalar's text."""
        base_line, base_col = node.start_mark.line + 1, node.start_mark.column + 1
        if column is None:
            return base_line, base_col
        style = getattr(node, "style", None)
        if style in ("|", ">"):  # block scalar: text starts on the next line, indented
            target = base_line + (line or 1)
            source = self.lines[target - 1] if target - 1 < len(self.lines) else ""
            return target, len(source) - len(source.lstrip(" ")) + column
        if (line or 1) > 1:
            return base_line, base_col
        return base_line, base_col + column - 1 + (1 if style in ("'", '"') else 0)

    # ------------------------------------------------------------ node access

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.error(
                node,
                _("{what} must be a mapping of 'field: value' lines, not {kind}").format(
                    what=what, kind=_kind(node)
                ),
            )
            return {}
        self.guard(node)
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, _("{what}: field names must be plain words").format(what=what))
                continue
            self.refuse_tag(key_node)
            key = key_node.value
            if key in out:
                self.error(key_node, _("{what}: the field {key!r} appears twice").format(what=what, key=key))
                continue
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                if close:
                    message = _("{what}: unknown field {key!r}; did you mean {close!r}?")
                else:
                    message = _("{what}: unknown field {key!r}; allowed: {allowed}")
                self.error(
                    key_node,
                    message.format(
                        what=what, key=key, close=close[0] if close else "", allowed=", ".join(allowed)
                    ),
                )
                continue
            out[key] = value_node
        return out

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(
                node,
                _("{what} must be a list (lines starting with '- '), not {kind}").format(
                    what=what, kind=_kind(node)
                ),
            )
            return []
        self.guard(node)
        return list(node.value)

    def refuse_tag(self, node: yaml.Node) -> None:
        tag = unsafe_tag(node)
        if tag is not None:
            self.error(node, tag_message(tag))
            raise _Stop

    def guard(self, node: yaml.Node) -> None:
        self.refuse_tag(node)
        # An alias (*name) makes PyYAML reuse a node; refusing reuse also stops "billion laughs" blow-ups.
        if id(node) in self.seen:
            self.error(
                node,
                _("anchors and aliases (& and *) are not supported in codebook files; write the value out"),
            )
            raise _Stop
        self.seen.add(id(node))

    def scalar(self, node: yaml.Node, what: str) -> Any:
        self.refuse_tag(node)
        if not isinstance(node, yaml.ScalarNode):
            self.error(
                node, _("{what} must be a single value, not {kind}").format(what=what, kind=_kind(node))
            )
            return None
        return _CONSTRUCTOR.construct_object(node)

    def text(self, node: yaml.Node | None, what: str, required: bool = False) -> str | None:
        if node is None:
            return None
        value = self.scalar(node, what)
        if isinstance(value, bool):
            self.error(
                node,
                _("{what}: {value!r} is read as true/false; put it in quotes to keep it as text").format(
                    what=what, value=node.value
                ),
            )
            return None
        if value is None:
            if required:
                self.error(node, _("{what} is empty").format(what=what))
            return None
        if not isinstance(value, str):  # a number or date written bare: keep the text as written
            return str(node.value)
        return value

    def flag(self, node: yaml.Node | None, what: str, default: bool) -> bool:
        if node is None:
            return default
        value = self.scalar(node, what)
        if not isinstance(value, bool):
            self.error(
                node, _("{what} must be true or false, not {value!r}").format(what=what, value=node.value)
            )
            return default
        return value

    def number(self, node: yaml.Node | None, what: str, default: float | None) -> float | None:
        if node is None:
            return default
        value = self.scalar(node, what)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(node, _("{what} must be a number, not {value!r}").format(what=what, value=node.value))
            return default
        return float(value)

    def words(self, node: yaml.Node | None, what: str) -> list[str]:
        if node is None:
            return []
        out = []
        for item in self.sequence(node, what):
            value = self.text(item, what, required=True)
            if value is not None:
                out.append(value)
        return out


class _Stop(Exception):
    """Abandon reading after a structural problem that makes the rest meaningless."""


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return _("a mapping")
    if isinstance(node, yaml.SequenceNode):
        return _("a list")
    return _("the value {value!r}").format(value=node.value) if node.value != "" else _("an empty value")


def _field(label: str, name: str) -> str:
    """What a message says about one field of a code, variable or type ("code TAL.CURR: color")."""
    return _("{label}: {field}").format(label=label, field=name)


# ---------------------------------------------------------------- public API


def read_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook file; raise CodebookFileError listing every problem."""
    path = Path(path)
    return parse_codebook(_file_text(path), str(path))


def _file_text(path: Path) -> str:
    refuse_special_file(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(_("{path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        raise ValidationError(_("{path} is a folder, not a codebook file").format(path=path)) from None
    except OSError as exc:
        raise ValidationError(
            _("{path}: cannot read the file ({strerror})").format(path=path, strerror=exc.strerror)
        ) from None
    if len(raw) > MAX_BYTES:
        raise ValidationError(
            _("{path}: the file is larger than {value} MB; is it really a codebook?").format(
                path=path, value=MAX_BYTES // 1_000_000
            )
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CodebookFileError(
            [f"{path}:{line}:1: " + _("the file is not UTF-8 text; save it as UTF-8")]
        ) from None
    return text


def read_codebook_warnings(path: str | Path) -> tuple[Codebook, list[str]]:
    """Read and validate a codebook file as `read_codebook` does, and also return its warnings
    (what is allowed but worth fixing, such as a definition in one language only), each as
    'file:line:column: warning: explanation'."""
    path = Path(path)
    book, reader = _parse(_file_text(path), str(path))
    found = [(*_locate(reader, problem), problem.message) for problem in book.warnings()]
    return book, [
        _("{place}: warning: {message}").format(place=f"{path}:{line}:{col}", message=message)
        for line, col, message in sorted(found)
    ]


def parse_codebook(text: str, name: str = "<codebook>") -> Codebook:
    return _parse(text, name)[0]


def _parse(text: str, name: str) -> tuple[Codebook, "_Reader"]:
    """The codebook and the reader that knows where each of its values is in the text."""
    reader = _Reader(name, text.split("\n"))
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        line, column, explanation = describe_yaml_error(exc, text, name)
        if "\t" in text and "tab" in explanation.lower():
            explanation = _("{explanation} (YAML indentation must use spaces, not tabs)").format(
                explanation=explanation
            )
        raise CodebookFileError([f"{name}:{line}:{column}: {explanation}"]) from None
    except RecursionError:
        raise CodebookFileError(
            [f"{name}:1:1: " + _("the file is nested too deeply to be a codebook")]
        ) from None
    if root is None:
        raise CodebookFileError(
            [f"{name}:1:1: " + _("the file is empty; a codebook needs 'codebook:' and 'codes:' sections")]
        )
    book: Codebook | None = None
    try:
        book = _read_root(reader, root)
    except _Stop:
        pass
    except RecursionError:
        raise CodebookFileError(
            [f"{name}:1:1: " + _("the codes are nested too deeply (more than a few hundred levels)")]
        ) from None
    if book is not None and not reader.problems:
        for problem in book.validate():
            reader.problems.append((*_locate(reader, problem), problem.message))
    if reader.problems:
        ordered = sorted(set(reader.problems))
        raise CodebookFileError([f"{name}:{line}:{col}: {message}" for line, col, message in ordered])
    assert book is not None
    return book, reader


def _locate(reader: _Reader, problem: Problem) -> tuple[int, int]:
    where = problem.where
    while where and where not in reader.marks:
        where = where[:-1]
    node = reader.marks.get(where)
    if node is None:
        return 1, 1
    if problem.column_in_value is not None and len(where) == len(problem.where):
        return reader.at_value(node, problem.column_in_value, problem.line_in_value)
    return node.start_mark.line + 1, node.start_mark.column + 1


def _read_root(r: _Reader, root: yaml.Node) -> Codebook | None:
    top = r.mapping(root, _("the file"), TOP_FIELDS)
    if not top:
        if isinstance(root, yaml.MappingNode):
            r.error(root, _("a codebook file needs 'codebook:' and 'codes:' sections"))
        return None
    book = Codebook(id="")
    if "codebook" not in top:
        r.error(root, _("the 'codebook:' section (id, version, titles) is missing"))
    else:
        _read_meta(r, top["codebook"], book)
    if "codes" not in top:
        r.error(root, _("the 'codes:' section is missing"))
    else:
        for item in r.sequence(top["codes"], pgettext("codebook file section", "codes")):
            _read_node(r, item, None, 0, book.nodes)
    if "typology" in top:
        book.typology = _read_typology(r, top["typology"])
    return book


def _read_meta(r: _Reader, node: yaml.Node, book: Codebook) -> None:
    meta = r.mapping(node, pgettext("codebook file section", "codebook"), META_FIELDS)
    r.marks[("codebook",)] = node
    for key, value in meta.items():
        r.marks[("codebook", key)] = value
    if "id" not in meta:
        r.error(node, _("codebook: the 'id' field is missing (a short name such as 'miec-codebook')"))
    book.id = r.text(meta.get("id"), _("codebook id")) or ""
    book.version = r.text(meta.get("version"), _("codebook version")) or "1"
    book.title_en = r.text(meta.get("title_en"), "title_en") or ""
    book.title_zh = r.text(meta.get("title_zh"), "title_zh") or ""
    book.description = r.text(meta.get("description"), "description")
    if "languages" in meta:
        book.languages = r.words(meta["languages"], "languages")


def _read_node(r: _Reader, node: yaml.Node, parent: str | None, depth: int, out: list[CodeNode]) -> None:
    if depth >= MAX_DEPTH:
        r.error(node, depth_problem().message)
        raise _Stop
    fields = r.mapping(node, _("a code"), NODE_FIELDS)
    if not isinstance(node, yaml.MappingNode):
        return
    if "key" not in fields:
        r.error(node, _("a code needs a 'key' (e.g. TAL.CURR)"))
        return
    key = r.text(fields["key"], "key", required=True) or ""
    label = _("code {key}").format(key=key)
    explicit_parent = r.text(fields.get("parent"), _field(label, "parent"))
    if parent is not None and explicit_parent is not None and explicit_parent != parent:
        r.error(
            fields["parent"],
            _("{label} is listed under {parent} but says parent: {explicit_parent}; keep one").format(
                label=label, parent=parent, explicit_parent=explicit_parent
            ),
        )
    children = r.sequence(fields["children"], _field(label, "children")) if "children" in fields else []
    level = r.text(fields.get("level"), _field(label, "level"))
    if level is None:
        level = (
            "dimension" if depth == 0 and explicit_parent is None else ("category" if children else "code")
        )
    examples = (
        r.mapping(fields["examples"], _field(label, "examples"), ("en", "zh")) if "examples" in fields else {}
    )
    code = CodeNode(
        key=key,
        parent=parent if parent is not None else explicit_parent,
        level=level,
        name_en=r.text(fields.get("name_en"), _field(label, "name_en")) or "",
        name_zh=r.text(fields.get("name_zh"), _field(label, "name_zh")) or "",
        **{
            name: r.text(fields.get(name), _field(label, name))
            for _what, en, zh in BILINGUAL_FIELDS[1:5]
            for name in (en, zh)
        },
        example_en=r.text(examples.get("en"), _field(label, "examples en")),
        example_zh=r.text(examples.get("zh"), _field(label, "examples zh")),
        color=_color(r, fields.get("color"), label),
        codable=r.flag(fields.get("codable"), _field(label, "codable"), level == "code"),
        retired=r.flag(fields.get("retired"), _field(label, "retired"), False),
        guid=r.text(fields.get("guid"), _field(label, "guid")),
    )
    r.marks[("code", key)] = node
    r.marks[("code", key, "key")] = fields["key"]
    for name, value in fields.items():
        if name != "key":
            r.marks[("code", key, name)] = value
    out.append(code)
    for child in children:
        _read_node(r, child, key, depth + 1, out)


def _color(r: _Reader, node: yaml.Node | None, label: str) -> str | None:
    if node is None:
        return None
    value = r.scalar(node, _field(label, "color"))
    if isinstance(value, int) and not isinstance(value, bool):
        r.error(
            node,
            _("{label}: color {value} looks like a number; write it in quotes as '#RRGGBB'").format(
                label=label, value=node.value
            ),
        )
        return None
    if value is None:
        # '#' starts a YAML comment, so an unquoted colour arrives empty.
        r.error(
            node,
            _(
                "{label}: color is empty; put the colour in quotes, e.g. color: '#1F77B4' (# starts a comment in YAML)"
            ).format(label=label),
        )
        return None
    return str(value)


def _read_typology(r: _Reader, node: yaml.Node) -> Typology | None:
    fields = r.mapping(node, pgettext("codebook file section", "typology"), TYPOLOGY_FIELDS)
    if not fields:
        return None
    r.marks[("typology",)] = node
    for key, value in fields.items():
        r.marks[("typology", key)] = value
    typology = Typology(id=r.text(fields.get("id"), _("typology id")) or "")
    typology.version = r.text(fields.get("version"), _("typology version")) or "1"
    typology.note = r.text(fields.get("note"), _("typology note")) or ""
    if "case" in fields:
        case = r.mapping(fields["case"], _("typology case"), CASE_FIELDS)
        typology.case_unit = r.text(case.get("unit"), _("case unit")) or "case"
        typology.case_attribute = r.text(case.get("attribute"), _("case attribute"))
        typology.role_attribute = r.text(case.get("role_attribute"), _("case role_attribute"))
        typology.aggregation = r.text(case.get("aggregation"), _("case aggregation")) or typology.aggregation
        if "aggregation" in case:
            r.marks[("typology", "aggregation")] = case["aggregation"]
    if "variables" in fields:
        _read_variables(r, fields["variables"], typology)
    for item in r.sequence(fields["types"], _("typology types")) if "types" in fields else []:
        _read_type(r, item, typology)
    if "assignment" in fields:
        a = r.mapping(fields["assignment"], _("typology assignment"), ASSIGNMENT_FIELDS)
        for key, value in a.items():
            r.marks[("typology", "assignment", key)] = value
        typology.assignment = Assignment(
            order=r.words(a["order"], _("assignment order")) if "order" in a else list(Assignment().order),
            min_score=r.number(a.get("min_score"), _("assignment min_score"), 0.40) or 0.0,
            min_margin=r.number(a.get("min_margin"), _("assignment min_margin"), 0.05) or 0.0,
        )
    return typology


def _read_variables(r: _Reader, node: yaml.Node, typology: Typology) -> None:
    if not isinstance(node, yaml.MappingNode):
        r.error(node, _("typology variables must be a mapping of 'name:' entries"))
        return
    r.guard(node)
    for key_node, value_node in node.value:
        name = str(key_node.value)
        label = _("variable {name}").format(name=name)
        if isinstance(value_node, yaml.MappingNode) and any(
            k.value == "expression" for k, _unused in value_node.value
        ):
            fields = r.mapping(value_node, label, DERIVED_FIELDS)
            typology.derived.append(
                DerivedVariable(
                    name,
                    r.text(fields.get("expression"), _field(label, "expression"), required=True) or "",
                    r.text(fields.get("description"), _field(label, "description")) or "",
                )
            )
        else:
            fields = r.mapping(value_node, label, GROUP_FIELDS)
            if fields and "of" not in fields:
                r.error(
                    value_node,
                    _("{label} needs either 'of: [code keys]' (a group) or 'expression:' (derived)").format(
                        label=label
                    ),
                )
            group = VariableGroup(name, r.words(fields.get("of"), _field(label, "of")))
            group.measure = r.text(fields.get("measure"), _field(label, "measure")) or group.measure
            group.normalise = r.text(fields.get("normalise"), _field(label, "normalise")) or group.normalise
            group.min_total = r.number(fields.get("min_total"), _field(label, "min_total"), None)
            group.if_absent = r.text(fields.get("if_absent"), _field(label, "if_absent")) or group.if_absent
            group.description = r.text(fields.get("description"), _field(label, "description")) or ""
            typology.groups.append(group)
        r.marks[("variable", name)] = value_node
        r.marks[("variable", name, "name")] = key_node
        for field_name, value in fields.items():
            r.marks[("variable", name, field_name)] = value


def _read_type(r: _Reader, node: yaml.Node, typology: Typology) -> None:
    fields = r.mapping(node, _("a type"), TYPE_FIELDS)
    if not isinstance(node, yaml.MappingNode):
        return
    if "id" not in fields:
        r.error(node, _("a type needs an 'id' (e.g. GOV_LED)"))
        return
    type_id = r.text(fields["id"], _("type id"), required=True) or ""
    label = _("type {id}").format(id=type_id)
    values = {name: r.text(fields.get(name), _field(label, name)) for name in TYPE_FIELDS if name != "id"}
    typology.types.append(
        TypeDefinition(
            id=type_id,
            name_en=values["name_en"] or "",
            name_zh=values["name_zh"] or "",
            description_en=values["description_en"] or "",
            description_zh=values["description_zh"] or "",
            lead_actor=values["lead_actor"],
            dominant_dimension=values["dominant_dimension"],
            rule=values["rule"] or "",
            score=values["score"],
            fallback=values["fallback"],
        )
    )
    r.marks[("type", type_id)] = node
    for name, value in fields.items():
        r.marks[("type", type_id, name)] = value

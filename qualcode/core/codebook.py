"""The codebook as plain data: a tree of dimensions, categories and codes, plus its typology.

Nothing here touches files or the database. Readers (io/codebook_yaml.py, io/refi/qdc.py)
build a :class:`Codebook`, services store it; :meth:`Codebook.validate` lists every
problem at once, each tied to a `where` path that a reader maps to a file position.
"""

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from qualcode.core.codebook_typology import Typology
from qualcode.core.errors import ValidationError
from qualcode.core.names import name_problem
from qualcode.core.problems import Problem, Where
from qualcode.i18n import _

__all__ = [
    "Codebook",
    "CodeNode",
    "Problem",
    "Where",
    "LEVELS",
    "check_key",
    "check_color",
    "find_cycles",
    "depth_problem",
    "MAX_DEPTH",
    "would_cycle",
    "BILINGUAL_FIELDS",
    "TEXT_FIELDS",
    "CodeTexts",
    "language_gaps",
]

LEVELS = ("dimension", "category", "code")
KEY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$")
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_KEY = 100
# Deepest tree accepted anywhere (readers, loads, edits). Real codebooks are 3-6 levels deep;
# the bound keeps every reader and writer (YAML, .qdc, .qdpx, the TUI tree) far from any
# nesting limit of the libraries underneath, so whatever loads can also be exported.
MAX_DEPTH = 50
# Each text a code has in both languages: (what it is, English attribute, Chinese attribute).
# The English attributes keep their round-1 names, so files and projects written before the
# Chinese fields existed read as they did. Every reader, writer and store column list uses this.
BILINGUAL_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("name", "name_en", "name_zh"),
    ("short_definition", "short_definition", "short_definition_zh"),
    ("definition", "definition", "definition_zh"),
    ("inclusion", "inclusion", "inclusion_zh"),
    ("exclusion", "exclusion", "exclusion_zh"),
    ("example", "example_en", "example_zh"),
)
# The optional texts of a code (everything bilingual but the name), English then Chinese.
TEXT_FIELDS: tuple[str, ...] = tuple(attr for _what, en, zh in BILINGUAL_FIELDS[1:] for attr in (en, zh))


@dataclass
class CodeNode:
    """One node of the tree. `parent` is the parent's key (None for a dimension)."""

    key: str
    parent: str | None = None
    level: str = "code"
    name_en: str = ""
    name_zh: str = ""
    short_definition: str | None = None
    short_definition_zh: str | None = None
    definition: str | None = None
    definition_zh: str | None = None
    inclusion: str | None = None  # when to use
    inclusion_zh: str | None = None
    exclusion: str | None = None  # when not to use
    exclusion_zh: str | None = None
    example_en: str | None = None
    example_zh: str | None = None
    color: str | None = None
    codable: bool = True
    retired: bool = False
    guid: str | None = None  # REFI-QDA identity; not part of the content hash

    def __post_init__(self) -> None:
        # One name, one spelling: NFD and NFC forms of a name must not make two different codes.
        self.name_en = _nfc(self.name_en)
        self.name_zh = _nfc(self.name_zh)

    def content(self) -> dict[str, Any]:
        """The fields that define the instrument (what the content hash covers)."""
        data = asdict(self)
        data.pop("guid")
        # A Chinese text left empty is not hashed, so a round-1 codebook keeps its round-1 hash.
        for _what, _en, zh in BILINGUAL_FIELDS[1:5]:
            if data[zh] is None:
                data.pop(zh)
        return data

    def text_in(self, language: str) -> "CodeTexts":
        """The code's texts in one language (`en`, `zh_CN`, `zh-Hans`...), as written: a text
        missing in that language is None (callers show the other language's, saying so)."""
        chinese = _is_chinese(language)
        values = {what: getattr(self, zh if chinese else en) or None for what, en, zh in BILINGUAL_FIELDS}
        return CodeTexts(language="zh_CN" if chinese else "en", **values)

    def language_gaps(self) -> list[tuple[str, str]]:
        """(attribute that is empty, attribute that has the text) for each text written in one
        language only: what `codebook validate` warns about."""
        gaps: list[tuple[str, str]] = []
        for _what, en, zh in BILINGUAL_FIELDS:
            has_en, has_zh = bool((getattr(self, en) or "").strip()), bool((getattr(self, zh) or "").strip())
            if has_en != has_zh:
                gaps.append((zh, en) if has_en else (en, zh))
        return gaps


@dataclass(frozen=True)
class CodeTexts:
    """A code's texts in one language; None where the codebook has no text in that language."""

    language: str
    name: str | None
    short_definition: str | None
    definition: str | None
    inclusion: str | None
    exclusion: str | None
    example: str | None


def _is_chinese(language: str) -> bool:
    return language.strip().lower().replace("-", "_").startswith("zh")


# A code's stored content: every CodeNode field but its identity (key, parent, REFI guid).
# The store's codes table, the codebook sync and the merge all copy exactly these.
NODE_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(CodeNode) if f.name not in ("key", "parent", "guid")
)


@dataclass
class Codebook:
    id: str
    version: str = "1"
    title_en: str = ""
    title_zh: str = ""
    description: str | None = None
    languages: list[str] = field(default_factory=lambda: ["en", "zh-Hans"])
    nodes: list[CodeNode] = field(default_factory=list)  # in display order, parents before children
    typology: Typology | None = None

    def __post_init__(self) -> None:
        self.title_en = _nfc(self.title_en)
        self.title_zh = _nfc(self.title_zh)

    # ------------------------------------------------------------ tree queries

    def by_key(self) -> dict[str, CodeNode]:
        return {node.key: node for node in self.nodes}

    def get(self, key: str) -> CodeNode:
        for node in self.nodes:
            if node.key == key:
                return node
        raise ValidationError(_("the codebook has no code {key!r}").format(key=key))

    def children(self, key: str | None) -> list[CodeNode]:
        return [node for node in self.nodes if node.parent == key]

    def roots(self) -> list[CodeNode]:
        return self.children(None)

    def ancestors(self, key: str) -> list[str]:
        """Keys from the parent up to the root (stops at a cycle instead of looping)."""
        nodes = self.by_key()
        chain: list[str] = []
        current = nodes.get(key)
        while current is not None and current.parent is not None and current.parent not in chain:
            chain.append(current.parent)
            current = nodes.get(current.parent)
        return chain

    def dimension_of(self, key: str) -> str:
        chain = self.ancestors(key)
        return chain[-1] if chain else key

    def descendants(self, key: str) -> list[str]:
        found: list[str] = []
        frontier = [key]
        while frontier:
            current = frontier.pop()
            for child in self.children(current):
                if child.key not in found and child.key != key:
                    found.append(child.key)
                    frontier.append(child.key)
        return found

    def walk(self) -> Iterator[tuple[int, CodeNode]]:
        """Depth-first (depth, node) in display order; nodes in cycles are not reached."""

        children: dict[str | None, list[CodeNode]] = {}
        for node in self.nodes:
            children.setdefault(node.parent, []).append(node)
        # An explicit stack instead of recursion: a malformed file may hold a very deep chain.
        stack: list[tuple[int, CodeNode]] = [(0, node) for node in reversed(children.get(None, []))]
        while stack:
            depth, node = stack.pop()
            yield depth, node
            stack.extend((depth + 1, child) for child in reversed(children.get(node.key, [])))

    def codable_keys(self) -> list[str]:
        return [n.key for n in self.nodes if n.codable and not n.retired]

    def in_tree_order(self) -> "Codebook":
        """A copy whose nodes are listed depth-first, parents before children."""
        return replace(self, nodes=[node for _unused, node in self.walk()])

    # ------------------------------------------------------------ identity

    def content(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title_en": self.title_en,
            "title_zh": self.title_zh,
            "description": self.description,
            "languages": list(self.languages),
            "nodes": [node.content() for _unused, node in self.walk()],
            "typology": None if self.typology is None else self.typology.to_dict(),
        }

    def sha256(self) -> str:
        """A hash of the content (not of a file's formatting), for exports and reproducibility."""
        canonical = json.dumps(self.content(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    # ------------------------------------------------------------ validation

    def validate(self) -> list[Problem]:
        problems: list[Problem] = []
        if not self.id or not str(self.id).strip():
            problems.append(
                Problem(
                    _("the codebook needs an id (a short name such as 'miec-codebook')"), ("codebook", "id")
                )
            )
        for attr in ("id", "title_en", "title_zh"):
            reason = name_problem(str(getattr(self, attr) or ""))
            if reason:
                problems.append(
                    Problem(
                        _("codebook {field}: {reason}").format(field=attr, reason=reason), ("codebook", attr)
                    )
                )
        problems.extend(_node_problems(self))
        problems.extend(_tree_problems(self))
        if self.typology is not None:
            problems.extend(self.typology.problems(set(self.by_key())))
        return problems

    def warnings(self) -> list[Problem]:
        """What is allowed but worth fixing: a code's text written in one language only."""
        return language_gaps(self)

    def check(self) -> None:
        """Raise ValidationError listing every problem (one per line) if there are any."""
        problems = self.validate()
        if problems:
            raise ValidationError("; ".join(p.message for p in problems))


def language_gaps(book: Codebook) -> list[Problem]:
    """One warning for each text of a code written in English or in Chinese but not both."""
    return [
        Problem(
            _("{key}: {present} is written but {missing} is empty; give it in both languages").format(
                key=node.key, present=present, missing=missing
            ),
            ("code", node.key, present),
        )
        for node in book.nodes
        if not node.retired
        for missing, present in node.language_gaps()
    ]


def _nfc(text: Any) -> Any:
    return unicodedata.normalize("NFC", text) if isinstance(text, str) else text


def check_key(key: object) -> str | None:
    """Why `key` is not a valid code key, or None if it is."""
    if not isinstance(key, str) or not key:
        return _("a code key must be non-empty text such as 'TAL.CURR'")
    if len(key) > MAX_KEY:
        return _("the code key {key!r}... is longer than {count} characters").format(
            key=key[:30], count=MAX_KEY
        )
    if not KEY_RE.match(key):
        return _(
            "{key!r} is not a valid code key: use letters, digits and '_' in parts separated by dots, "
            "each part starting with a letter (e.g. 'TAL.CURR', 'CHL.TT_LOW')"
        ).format(key=key)
    return None


def check_color(color: object) -> str | None:
    if color is None:
        return None
    if not isinstance(color, str) or not COLOR_RE.match(color):
        return _(
            "{color!r} is not a colour: write it as #RRGGBB with six hexadecimal digits, e.g. '#1F77B4'"
        ).format(color=color)
    return None


def _node_problems(book: Codebook) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for node in book.nodes:
        reason = check_key(node.key)
        if reason:
            problems.append(Problem(reason, ("code", str(node.key), "key")))
        if node.key in seen:
            problems.append(
                Problem(
                    _("the key {key!r} is used by more than one code; keys must be unique").format(
                        key=node.key
                    ),
                    ("code", node.key, "key"),
                )
            )
        seen.add(node.key)
        if node.level not in LEVELS:
            problems.append(
                Problem(
                    _("{key}: level {level!r} is not one of {allowed}").format(
                        key=node.key, level=node.level, allowed=", ".join(LEVELS)
                    ),
                    ("code", node.key, "level"),
                )
            )
        if not (node.name_en or "").strip() and not (node.name_zh or "").strip():
            problems.append(
                Problem(
                    _("{key}: needs a name (name_en and/or name_zh)").format(key=node.key),
                    ("code", node.key, "name_en"),
                )
            )
        for attr in ("name_en", "name_zh"):
            reason = name_problem(getattr(node, attr) or "")
            if reason:
                problems.append(
                    Problem(
                        _("{key} {field}: {reason}").format(key=node.key, field=attr, reason=reason),
                        ("code", str(node.key), attr),
                    )
                )
        reason = check_color(node.color)
        if reason:
            problems.append(
                Problem(_("{key}: {reason}").format(key=node.key, reason=reason), ("code", node.key, "color"))
            )
    return problems


def _tree_problems(book: Codebook) -> list[Problem]:
    problems: list[Problem] = []
    nodes = book.by_key()
    for node in book.nodes:
        if node.parent is None:
            continue
        if node.parent == node.key:
            problems.append(
                Problem(_("{key} is its own parent").format(key=node.key), ("code", node.key, "parent"))
            )
        elif node.parent not in nodes:
            problems.append(
                Problem(
                    _("{key}: parent {parent!r} is not a code in this codebook").format(
                        key=node.key, parent=node.parent
                    ),
                    ("code", node.key, "parent"),
                )
            )
        elif node.level == "dimension":
            problems.append(
                Problem(
                    _("{key} is a dimension, so it cannot sit under {parent}").format(
                        key=node.key, parent=node.parent
                    ),
                    ("code", node.key, "level"),
                )
            )
        elif LEVELS.index(
            nodes[node.parent].level if nodes[node.parent].level in LEVELS else "code"
        ) > LEVELS.index(node.level if node.level in LEVELS else "code"):
            problems.append(
                Problem(
                    _level_order_message(node.key, node.level, node.parent, nodes[node.parent].level),
                    ("code", node.key, "level"),
                )
            )
    deepest = max(book.walk(), key=lambda item: item[0], default=None)
    if deepest is not None and deepest[0] + 1 > MAX_DEPTH:
        problems.append(depth_problem(deepest[0] + 1, deepest[1].key))
    for cycle in find_cycles(book):
        problems.append(
            Problem(
                _("the codes {keys} form a cycle of parents").format(keys=" -> ".join(cycle + [cycle[0]])),
                ("code", cycle[0], "parent"),
            )
        )
    return problems


def _level_order_message(key: str, level: str, parent: str, parent_level: str) -> str:
    """A child above its parent in the dimension > category > code order. A dimension with a
    parent is refused before this, so a known pair is a category under a code: one whole
    sentence, not level words spliced into one. A parent whose level is unknown (itself refused)
    is named as written."""
    if (level, parent_level) == ("category", "code"):
        return _("{key} is a category but its parent {parent} is a code").format(key=key, parent=parent)
    return _("{key} is a {level} but its parent {parent} is a {parent_level}").format(
        key=key, level=level, parent=parent, parent_level=parent_level
    )


def depth_problem(levels: int | None = None, key: str | None = None) -> Problem:
    """The one refusal for a tree deeper than MAX_DEPTH (`levels` and the deepest `key` when known)."""
    if levels is not None:
        message = _("the codes are nested {levels} levels deep; a codebook may have at most {max} levels")
    else:
        message = _(
            "the codes are nested more than {max} levels deep; a codebook may have at most {max} levels"
        )
    return Problem(
        message.format(levels=levels, max=MAX_DEPTH),
        ("code", key, "parent") if key else (),
    )


def find_cycles(book: Codebook) -> list[list[str]]:
    """Each cycle of parent links once, as a list of keys."""
    parent = {n.key: n.parent for n in book.nodes}
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in parent:
        path: list[str] = []
        on_path: set[str] = set()  # a set beside the list: long chains stay linear
        current: str | None = start
        while current is not None and current in parent and current not in done and current not in on_path:
            path.append(current)
            on_path.add(current)
            current = parent[current]
        if current is not None and current in on_path:
            cycles.append(path[path.index(current) :])
        done.update(path)
    return cycles


def would_cycle(book: Codebook, key: str, new_parent: str | None) -> bool:
    """Whether making `new_parent` the parent of `key` would create a cycle."""
    return new_parent is not None and (new_parent == key or new_parent in book.descendants(key))

"""Pure edits of a Codebook: each returns a new Codebook and leaves the input unchanged.

Services apply an edit here, validate the result as a whole (keys, cycles, typology
references), and only then write the difference to the store.
"""

import copy
import re
from dataclasses import fields

from qualcode.core.codebook import TEXT_FIELDS, Codebook, CodeNode, check_color, check_key, would_cycle
from qualcode.core.errors import ValidationError
from qualcode.i18n import _

EDITABLE = (
    "name_en",
    "name_zh",
    *TEXT_FIELDS,
    "color",
    "codable",
)


def _copy(book: Codebook) -> Codebook:
    return copy.deepcopy(book)


def _need(book: Codebook, key: str) -> CodeNode:
    for node in book.nodes:
        if node.key == key:
            return node
    raise ValidationError(_("the codebook has no code {key!r}").format(key=key))


def add_node(book: Codebook, node: CodeNode) -> Codebook:
    """Insert `node` after the last descendant of its parent (or at the end for a dimension)."""
    reason = check_key(node.key)
    if reason:
        raise ValidationError(reason)
    if any(n.key == node.key for n in book.nodes):
        raise ValidationError(_("a code with key {node!r} already exists").format(node=node.key))
    out = _copy(book)
    if node.parent is None:
        out.nodes.append(node)
        return out
    _need(out, node.parent)
    block = {node.parent, *out.descendants(node.parent)}
    last = max(i for i, n in enumerate(out.nodes) if n.key in block)
    out.nodes.insert(last + 1, node)
    return out


def rename(
    book: Codebook,
    key: str,
    new_key: str | None = None,
    name_en: str | None = None,
    name_zh: str | None = None,
) -> Codebook:
    """Change a code's key and/or names; the typology's references to the key follow it."""
    out = _copy(book)
    node = _need(out, key)
    if new_key is not None and new_key != key:
        reason = check_key(new_key)
        if reason:
            raise ValidationError(reason)
        if any(n.key == new_key for n in out.nodes):
            raise ValidationError(
                _("cannot rename {key} to {new_key}: that key is already used").format(
                    key=key, new_key=new_key
                )
            )
        node.key = new_key
        for child in out.nodes:
            if child.parent == key:
                child.parent = new_key
        if out.typology is not None:
            _rename_in_typology(out, key, new_key)
    if name_en is not None:
        node.name_en = name_en
    if name_zh is not None:
        node.name_zh = name_zh
    return out


def _rename_in_typology(book: Codebook, old: str, new: str) -> None:
    typology = book.typology
    assert typology is not None
    pattern = re.compile(rf"present\(\s*{re.escape(old)}\s*\)")
    for group in typology.groups:
        group.of = [new if k == old else k for k in group.of]
    for derived in typology.derived:
        derived.expression = pattern.sub(f"present({new})", derived.expression)
    for type_ in typology.types:
        for name in ("rule", "score", "fallback"):
            text = getattr(type_, name)
            if text:
                setattr(type_, name, pattern.sub(f"present({new})", text))
        if type_.lead_actor == old:
            type_.lead_actor = new
        if type_.dominant_dimension == old:
            type_.dominant_dimension = new


def edit(book: Codebook, key: str, **changes: object) -> Codebook:
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError(
            _("cannot edit {unknown}; editable fields: {EDITABLE}").format(
                unknown=', '.join(unknown), EDITABLE=', '.join(EDITABLE)
            )
        )
    if "color" in changes:
        reason = check_color(changes["color"])
        if reason:
            raise ValidationError(reason)
    if "codable" in changes and not isinstance(changes["codable"], bool):
        raise ValidationError(_("codable must be true or false"))
    out = _copy(book)
    node = _need(out, key)
    for name, value in changes.items():
        if value is not None and name != "codable" and not isinstance(value, str):
            raise ValidationError(_("{name} must be text").format(name=name))
        setattr(node, name, value if value != "" or name in ("name_en", "name_zh") else None)
    return out


def move(book: Codebook, key: str, new_parent: str | None) -> Codebook:
    node = _need(book, key)
    if new_parent is not None:
        _need(book, new_parent)
    if would_cycle(book, key, new_parent):
        raise ValidationError(
            _("cannot move {key} under {new_parent}: {new_parent} is {key} itself or inside it").format(
                key=key, new_parent=new_parent
            )
        )
    out = _copy(book)
    moved = _need(out, key)
    block = [n for n in out.nodes if n.key == key or n.key in book.descendants(key)]
    rest = [n for n in out.nodes if n not in block]
    moved.parent = new_parent
    if new_parent is None:
        moved.level = "dimension"
    elif node.level == "dimension":
        moved.level = "category" if book.children(key) else "code"
    out.nodes = rest
    if new_parent is None:
        out.nodes.extend(block)
    else:
        family = {new_parent, *out.descendants(new_parent)}
        last = max(i for i, n in enumerate(out.nodes) if n.key in family)
        out.nodes[last + 1 : last + 1] = block
    return out


def merge(book: Codebook, source: str, target: str) -> Codebook:
    """Remove `source`; its children move under `target` (segments are re-pointed by the service)."""
    if source == target:
        raise ValidationError(_("cannot merge {source} into itself").format(source=source))
    _need(book, source)
    _need(book, target)
    if target in book.descendants(source):
        raise ValidationError(
            _("cannot merge {source} into {target}: {target} is inside {source}; move it out first").format(
                source=source, target=target
            )
        )
    out = _copy(book)
    for node in out.nodes:
        if node.parent == source:
            node.parent = target
    out.nodes = [n for n in out.nodes if n.key != source]
    return out


def set_retired(book: Codebook, key: str, retired: bool) -> Codebook:
    """Retire a code with everything under it, or bring it (and its ancestors) back."""
    out = _copy(book)
    _need(out, key)
    keys = {key, *out.descendants(key)} if retired else {key, *out.ancestors(key)}
    for node in out.nodes:
        if node.key in keys:
            node.retired = retired
    return out


def node_fields() -> tuple[str, ...]:
    return tuple(f.name for f in fields(CodeNode))

"""What differs between two codebooks, in terms a researcher reads: added, removed, moved, changed."""

from dataclasses import dataclass

from qualcode.core.codebook import TEXT_FIELDS, Codebook
from qualcode.i18n import _

COMPARED = (
    "level",
    "name_en",
    "name_zh",
    *TEXT_FIELDS,
    "color",
    "codable",
    "retired",
)


@dataclass(frozen=True)
class Difference:
    kind: str  # added | removed | moved | changed | typology | meta
    key: str
    field: str | None = None
    old: object = None
    new: object = None

    def describe(self) -> str:
        """One line for a person, in the interface language (`to_dict` is the stable form)."""
        if self.kind == "added":
            if self.new is None:
                return _("+ {key} (new)").format(key=self.key)
            return _("+ {key} (new, under {parent})").format(key=self.key, parent=self.new)
        if self.kind == "removed":
            return _("- {key} (removed)").format(key=self.key)
        if self.kind == "moved":
            top = _("(top level)")
            return _("~ {key}: moved from {old} to {new}").format(
                key=self.key, old=self.old or top, new=self.new or top
            )
        return f"~ {self.key}: {self.field} {_short(self.old)} -> {_short(self.new)}"

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "key": self.key, "field": self.field, "old": self.old, "new": self.new}


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def diff_codebooks(old: Codebook, new: Codebook) -> list[Difference]:
    out: list[Difference] = []
    for name in ("id", "version", "title_en", "title_zh"):
        if getattr(old, name) != getattr(new, name):
            out.append(Difference("meta", "codebook", name, getattr(old, name), getattr(new, name)))
    before, after = old.by_key(), new.by_key()
    for key, node in after.items():
        if key not in before:
            out.append(Difference("added", key, new=node.parent))
    for key in before:
        if key not in after:
            out.append(Difference("removed", key))
    for key, node in after.items():
        previous = before.get(key)
        if previous is None:
            continue
        if previous.parent != node.parent:
            out.append(Difference("moved", key, "parent", previous.parent, node.parent))
        for name in COMPARED:
            if getattr(previous, name) != getattr(node, name):
                out.append(Difference("changed", key, name, getattr(previous, name), getattr(node, name)))
    out.extend(_typology_diff(old, new))
    return out


def _typology_diff(old: Codebook, new: Codebook) -> list[Difference]:
    a, b = old.typology, new.typology
    if a == b:
        return []
    if a is None or b is None:
        return [
            Difference("typology", "typology", None, None if a is None else a.id, None if b is None else b.id)
        ]
    out: list[Difference] = []
    types_a = {t.id: t for t in a.types}
    types_b = {t.id: t for t in b.types}
    for type_id in types_b.keys() - types_a.keys():
        out.append(Difference("added", f"type {type_id}"))
    for type_id in types_a.keys() - types_b.keys():
        out.append(Difference("removed", f"type {type_id}"))
    for type_id in types_a.keys() & types_b.keys():
        for name, value in types_b[type_id].__dict__.items():
            if types_a[type_id].__dict__[name] != value:
                out.append(
                    Difference("typology", f"type {type_id}", name, types_a[type_id].__dict__[name], value)
                )
    rest_a = {k: v for k, v in a.to_dict().items() if k != "types"}
    rest_b = {k: v for k, v in b.to_dict().items() if k != "types"}
    for name in rest_b:
        if rest_a.get(name) != rest_b[name]:
            out.append(Difference("typology", "typology", name, rest_a.get(name), rest_b[name]))
    return out

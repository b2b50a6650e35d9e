"""Writing a Codebook back to the YAML format that codebook_yaml.py reads.

The output reads back to an equal Codebook (round trip); comments of the original
file are not kept, so a header comment says where the file came from.
"""

from pathlib import Path
from typing import Any

import yaml

from qualcode.core.codebook import Codebook, CodeNode
from qualcode.core.codebook_typology import Typology


class _Flow(list[Any]):
    """A short list written inline: [TAL, TEC, ADM]."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)


def _node_dict(book: Codebook, node: CodeNode) -> dict[str, Any]:
    out: dict[str, Any] = {"key": node.key}
    default_level = (
        "dimension" if node.parent is None else ("category" if book.children(node.key) else "code")
    )
    if node.level != default_level:
        out["level"] = node.level
    for name in ("name_en", "name_zh", "short_definition", "definition", "inclusion", "exclusion"):
        value = getattr(node, name)
        if value:
            out[name] = value
    examples = {lang: value for lang, value in (("en", node.example_en), ("zh", node.example_zh)) if value}
    if examples:
        out["examples"] = examples
    if node.color:
        out["color"] = node.color
    if node.codable != (node.level == "code"):
        out["codable"] = node.codable
    if node.retired:
        out["retired"] = True
    if node.guid:
        out["guid"] = node.guid
    children = book.children(node.key)
    if children:
        out["children"] = [_node_dict(book, child) for child in children]
    return out


def _typology_dict(typology: Typology) -> dict[str, Any]:
    out: dict[str, Any] = {"id": typology.id, "version": typology.version}
    if typology.note:
        out["note"] = typology.note
    case: dict[str, Any] = {"unit": typology.case_unit}
    if typology.case_attribute:
        case["attribute"] = typology.case_attribute
    if typology.role_attribute:
        case["role_attribute"] = typology.role_attribute
    case["aggregation"] = typology.aggregation
    out["case"] = case
    variables: dict[str, Any] = {}
    for group in typology.groups:
        entry: dict[str, Any] = {
            "of": _Flow(group.of),
            "measure": group.measure,
            "normalise": group.normalise,
        }
        if group.min_total is not None:
            entry["min_total"] = group.min_total
        entry["if_absent"] = group.if_absent
        if group.description:
            entry["description"] = group.description
        variables[group.name] = entry
    for derived in typology.derived:
        entry = {"expression": derived.expression}
        if derived.description:
            entry["description"] = derived.description
        variables[derived.name] = entry
    out["variables"] = variables
    types = []
    for t in typology.types:
        entry = {"id": t.id}
        for name in (
            "name_en",
            "name_zh",
            "description_en",
            "description_zh",
            "lead_actor",
            "dominant_dimension",
            "rule",
            "score",
            "fallback",
        ):
            value = getattr(t, name)
            if value:
                entry[name] = value
        types.append(entry)
    out["types"] = types
    a = typology.assignment
    out["assignment"] = {"order": _Flow(a.order), "min_score": a.min_score, "min_margin": a.min_margin}
    return out


def codebook_to_dict(book: Codebook) -> dict[str, Any]:
    meta: dict[str, Any] = {"id": book.id, "version": book.version}
    for name in ("title_en", "title_zh", "description"):
        value = getattr(book, name)
        if value:
            meta[name] = value
    meta["languages"] = _Flow(book.languages)
    out: dict[str, Any] = {"codebook": meta, "codes": [_node_dict(book, root) for root in book.roots()]}
    if book.typology is not None:
        out["typology"] = _typology_dict(book.typology)
    return out


def dump_codebook(book: Codebook, header: str | None = None) -> str:
    body = yaml.dump(
        codebook_to_dict(book), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2
    )
    lines = [f"# {line}".rstrip() for line in (header or "").splitlines()]
    return ("\n".join(lines) + "\n" if lines else "") + body


def write_codebook(book: Codebook, path: str | Path, header: str | None = None) -> None:
    Path(path).write_text(dump_codebook(book, header), encoding="utf-8", newline="\n")

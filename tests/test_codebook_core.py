"""The codebook tree and its validation, as plain data."""

from dataclasses import replace

import pytest

from qualcode.core.codebook import Codebook, CodeNode, check_color, check_key, find_cycles, would_cycle
from qualcode.core.codebook_typology import DerivedVariable, TypeDefinition, Typology, VariableGroup
from qualcode.core.errors import ValidationError


def small() -> Codebook:
    return Codebook(
        id="t",
        nodes=[
            CodeNode("TAL", None, "dimension", "Talent", "人才", codable=False),
            CodeNode("TAL.EDU", "TAL", "category", "Education", codable=False),
            CodeNode("TAL.PROG", "TAL.EDU", "code", "Programmes", color="#112233"),
            CodeNode("TAL.CURR", "TAL.EDU", "code", "Curricula"),
            CodeNode("TEC", None, "dimension", "Technology", codable=False),
            CodeNode("TEC.CTP", "TEC", "code", "Platform"),
        ],
    )


def messages(book: Codebook) -> list[str]:
    return [p.message for p in book.validate()]


def test_tree_queries() -> None:
    book = small()
    assert [n.key for n in book.roots()] == ["TAL", "TEC"]
    assert [n.key for n in book.children("TAL.EDU")] == ["TAL.PROG", "TAL.CURR"]
    assert book.ancestors("TAL.PROG") == ["TAL.EDU", "TAL"]
    assert book.dimension_of("TAL.PROG") == "TAL"
    assert book.dimension_of("TEC") == "TEC"
    assert sorted(book.descendants("TAL")) == ["TAL.CURR", "TAL.EDU", "TAL.PROG"]
    assert [(d, n.key) for d, n in book.walk()][:3] == [(0, "TAL"), (1, "TAL.EDU"), (2, "TAL.PROG")]
    assert book.codable_keys() == ["TAL.PROG", "TAL.CURR", "TEC.CTP"]
    assert book.get("TEC.CTP").name_en == "Platform"
    with pytest.raises(ValidationError, match="no code 'NOPE'"):
        book.get("NOPE")
    assert messages(book) == []


def test_duplicate_keys_unknown_parent_and_colour() -> None:
    book = small()
    book.nodes.append(CodeNode("TAL.PROG", "TAL.EDU", "code", "Again"))
    book.nodes.append(CodeNode("X.Y", "NOPE", "code", "Orphan", color="red"))
    found = messages(book)
    assert any("'TAL.PROG' is used by more than one code" in m for m in found)
    assert any("parent 'NOPE' is not a code" in m for m in found)
    assert any("'red' is not a colour" in m and "#RRGGBB" in m for m in found)


def test_cycles_are_found_and_named() -> None:
    book = small()
    book.nodes += [
        CodeNode("A", "B", "code", "a"),
        CodeNode("B", "C", "code", "b"),
        CodeNode("C", "A", "code", "c"),
    ]
    assert find_cycles(book) == [["A", "B", "C"]]
    assert any("form a cycle" in m and "A -> B -> C -> A" in m for m in messages(book))
    self_loop = small()
    self_loop.nodes.append(CodeNode("S", "S", "code", "s"))
    assert any("its own parent" in m for m in messages(self_loop))
    assert would_cycle(small(), "TAL", "TAL.PROG")
    assert would_cycle(small(), "TAL", "TAL")
    assert not would_cycle(small(), "TAL.PROG", "TEC")


def test_levels_names_and_keys() -> None:
    book = small()
    book.nodes.append(CodeNode("TEC.SUB", "TEC.CTP", "dimension", "x"))
    book.nodes.append(CodeNode("TEC.CAT", "TEC.CTP", "category", "y"))
    book.nodes.append(CodeNode("TEC.NONAME", "TEC", "code"))
    book.nodes.append(CodeNode("TEC.Z", "TEC", "theme", "z"))
    found = messages(book)
    assert any("TEC.SUB is a dimension, so it cannot sit under TEC.CTP" in m for m in found)
    assert any("TEC.CAT is a category but its parent TEC.CTP is a code" in m for m in found)
    assert any("TEC.NONAME: needs a name" in m for m in found)
    assert any("level 'theme' is not one of" in m for m in found)
    assert check_key("TAL.CURR") is None and check_key("CHL.TT_LOW") is None
    for bad in ("", "tal curr", "TAL..X", "TAL.2A", "_X", "TAL.", "X" * 101, 5):
        assert check_key(bad) is not None
    assert check_color("#a1B2c3") is None and check_color(None) is None
    for bad in ("#FFF", "blue", "#GGGGGG", "#1234567", 123):
        assert check_color(bad) is not None
    with pytest.raises(ValidationError, match="needs a name"):
        book.check()


def test_hash_covers_content_not_guid() -> None:
    book = small()
    digest = book.sha256()
    assert len(digest) == 64
    book.nodes[2].guid = "0F0E..."
    assert book.sha256() == digest
    book.nodes[2].name_zh = "专业设置"
    assert book.sha256() != digest
    assert replace(book, version="2").sha256() != book.sha256()


def typology(**changes: object) -> Typology:
    base = Typology(
        id="four",
        groups=[VariableGroup("dim", ["TAL", "TEC"])],
        derived=[
            DerivedVariable("spread", "max(dim) - min(dim)"),
            DerivedVariable("hub", "present(TEC.CTP)"),
        ],
        types=[
            TypeDefinition(
                "T1", "One", rule="dim.TAL > 0.5 and hub", score="dim.TAL - spread", fallback="spread < 0.1"
            )
        ],
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def test_typology_valid_and_round_trips_as_dict() -> None:
    book = small()
    book.typology = typology()
    assert messages(book) == []
    assert Typology.from_dict(book.typology.to_dict()) == book.typology
    assert book.typology.variable_names() == {"dim.TAL", "dim.TEC", "spread", "hub"}
    assert set(book.typology.expressions()) == {
        ("spread", "expression"),
        ("hub", "expression"),
        ("T1", "rule"),
        ("T1", "score"),
        ("T1", "fallback"),
    }


@pytest.mark.parametrize(
    ("changes", "fragment", "column"),
    [
        ({"types": [TypeDefinition("T1", "x", rule="dim.ADM > 0.5")]}, "unknown variable 'dim.ADM'", 1),
        (
            {"types": [TypeDefinition("T1", "x", rule="hub and max(act) > 1")]},
            "'act' is not a variable group",
            13,
        ),
        (
            {"types": [TypeDefinition("T1", "x", rule="present(ADM.SPACE)")]},
            "present(ADM.SPACE) names a code that is not",
            9,
        ),
        ({"types": [TypeDefinition("T1", "x", rule="dim > 1")]}, "unknown variable 'dim' (a group", 1),
        (
            {"types": [TypeDefinition("T1", "x", rule="hub and __import__('os')")]},
            "unknown function '__import__'",
            9,
        ),
        ({"types": [TypeDefinition("T1", "x", rule="dim.TAL * 2")]}, "must be true/false", None),
        ({"types": [TypeDefinition("T1", "x", rule="hub", score="hub or hub")]}, "must be a number", None),
        ({"types": [TypeDefinition("T1", "x", rule="")]}, "needs a rule", None),
        (
            {"types": [TypeDefinition("T1", "x", rule="hub"), TypeDefinition("T1", "y", rule="hub")]},
            "type id 'T1' is used twice",
            None,
        ),
        ({"types": [TypeDefinition("T-1", "x", rule="hub")]}, "not a valid type id", None),
        ({"types": [TypeDefinition("T1", rule="hub")]}, "needs a name", None),
        (
            {"types": [TypeDefinition("T1", "x", rule="hub", lead_actor="ACT.GOV")]},
            "lead_actor 'ACT.GOV' is not a code",
            None,
        ),
        ({"groups": [VariableGroup("dim", ["TAL", "NOPE"])]}, "'NOPE' is not a code in this codebook", None),
        ({"groups": [VariableGroup("dim", ["TAL", "TAL.EDU.TAL"])]}, "'TAL.EDU.TAL' is not a code", None),
        (
            {"groups": [VariableGroup("dim", ["TAL"], measure="length")]},
            "measure 'length' is not one of coverage, frequency",
            None,
        ),
        ({"derived": [DerivedVariable("spread", "spread + 1")]}, "unknown variable 'spread'", 1),
        ({"derived": [DerivedVariable("dim", "1 > 0")]}, "variable name 'dim' is defined twice", None),
        ({"aggregation": "median"}, "aggregation 'median' is not one of", None),
    ],
)
def test_typology_problems(changes: dict, fragment: str, column: int | None) -> None:
    book = small()
    book.typology = typology(**changes)
    problems = book.validate()
    hits = [p for p in problems if fragment in p.message]
    assert hits, [p.message for p in problems]
    if column is not None:
        assert hits[0].column_in_value == column


def test_assignment_problems() -> None:
    book = small()
    book.typology = typology()
    book.typology.assignment.order = ["rule", "vote"]
    book.typology.assignment.min_score = "high"  # type: ignore[assignment]
    found = messages(book)
    assert any("assignment order must list steps" in m for m in found)
    assert any("min_score must be a number" in m for m in found)

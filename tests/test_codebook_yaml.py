"""Codebook YAML: the shipped codebook, round trips, and file:line:column error reports."""

from pathlib import Path

import pytest
import yaml

from qualcode.core.errors import ValidationError
from qualcode.io.codebook_yaml import CodebookFileError, parse_codebook, read_codebook
from qualcode.io.codebook_yaml_writer import dump_codebook, write_codebook

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "codebooks" / "industry-education-consortium.yaml"
RESEARCH = ROOT.parent / "shared" / "research" / "domain-codebook.yaml"

MINIMAL = """\
codebook:
  id: mini
  version: "2"
codes:
  - key: TAL
    name_en: Talent
    name_zh: 人才
    color: "#1F77B4"
    children:
      - key: TAL.PROG
        name_en: Programmes
        examples: {en: An example., zh: 例子。}
      - key: TAL.CURR
        name_en: Curricula
typology:
  id: t
  variables:
    dim: {of: [TAL.PROG, TAL.CURR]}
  types:
    - id: A
      name_en: A type
      rule: dim.PROG >= 0.5
"""


def errors(text: str) -> list[str]:
    with pytest.raises(CodebookFileError) as info:
        parse_codebook(text, "cb.yaml")
    return info.value.problems


def test_shipped_codebook_is_valid_and_complete() -> None:
    book = read_codebook(SHIPPED)
    keys = set(book.by_key())
    for dim in ("TAL", "TEC", "ADM"):
        codes = [k for k in book.descendants(dim) if book.get(k).level == "code"]
        assert 4 <= len(codes) <= 7, dim
        assert book.get(dim).name_zh and book.get(dim).level == "dimension"
    assert {"ACT.GOV", "ACT.PARK", "ACT.ENT", "ACT.SCH"} <= keys
    assert {"CHL.CURR_LAG", "CHL.SHALLOW", "CHL.TT_LOW"} <= keys
    assert {"GOV.COORD", "GOV.INCENT", "GOV.EVAL", "GOV.COMM"} <= keys
    assert any(k.startswith("REC.") for k in keys)
    for node in book.nodes:
        assert node.name_en and node.name_zh and node.color, node.key
        if node.level == "code":
            assert (
                node.definition and node.inclusion and node.exclusion and node.example_en and node.example_zh
            ), node.key
    assert book.typology is not None
    assert [t.id for t in book.typology.types] == ["GOV_LED", "PARK_HUB", "ENT_LED", "SCH_LED"]
    assert {
        "dim.TAL",
        "dim.TEC",
        "dim.ADM",
        "act.GOV",
        "act.SCH",
        "dim_range",
        "park_carrier",
    } <= book.typology.variable_names()
    text = SHIPPED.read_text(encoding="utf-8")
    assert "could not be found" in text and "configurable" in text


@pytest.mark.skipif(not RESEARCH.exists(), reason="../shared is not beside the repository")
def test_shipped_codebook_keeps_the_research_keys() -> None:
    research = yaml.safe_load(RESEARCH.read_text(encoding="utf-8"))["codebook"]
    keys: set[str] = set()
    for branch in research["branches"]:
        keys.add(branch["id"])
        for category in branch["categories"]:
            keys.add(category["id"])
            keys.update(code["id"] for code in category["codes"])
    assert keys <= set(read_codebook(SHIPPED).by_key())


def test_round_trip(tmp_path: Path) -> None:
    book = read_codebook(SHIPPED)
    out = tmp_path / "out.yaml"
    write_codebook(book, out, header="exported\nsecond line")
    again = read_codebook(out)
    assert again == book
    assert again.sha256() == book.sha256()
    assert out.read_text(encoding="utf-8").startswith("# exported\n# second line\n")
    assert "人才资源供给" in out.read_text(encoding="utf-8")  # not \u escapes
    mini = parse_codebook(MINIMAL)
    assert parse_codebook(dump_codebook(mini)) == mini
    assert mini.get("TAL.PROG").example_zh == "例子。"
    assert mini.get("TAL").codable is False and mini.get("TAL.PROG").codable is True


def test_levels_inferred_and_flat_parent() -> None:
    text = MINIMAL.replace("typology:", "  - key: TAL.EXTRA\n    parent: TAL\n    name_en: Extra\ntypology:")
    book = parse_codebook(text)
    assert book.get("TAL.EXTRA").parent == "TAL" and book.get("TAL.EXTRA").level == "code"
    assert book.get("TAL").level == "dimension"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("codebook: [\n", "cb.yaml:2:1: not valid YAML"),
        (  # an unclosed [ is noticed at the end of the file: also say where it began
            "codebook: {id: x}\ncodes:\n  - key: A\n    name_en: A\n  - key: B\n    name_en: B\n"
            "    aliases: [one, two\n",
            "cb.yaml:8:1: not valid YAML: expected ',' or ']', but got '<stream end>'; "
            "the construct began at cb.yaml:7:14 (while parsing a flow sequence)",
        ),
        (
            'codebook: {id: x}\ncodes:\n  - key: A\n    name_en: "Talent\n    name_zh: 人才\n',
            "the construct began at cb.yaml:4:14 (while scanning a quoted scalar)",
        ),
        ("codebook:\n\tid: x\n", "cb.yaml:2:1: not valid YAML: found character '\\t'"),
        ("", "cb.yaml:1:1: the file is empty"),
        ("- a\n- b\n", "cb.yaml:1:1: the file must be a mapping"),
        ("codebook: {id: x}\n", "cb.yaml:1:1: the 'codes:' section is missing"),
        (
            "codebook: {id: x}\ncodes:\n  - key: A\n    name_en: A\n    nmae_zh: x\n",
            "cb.yaml:5:5: a code: unknown field 'nmae_zh'; did you mean 'name_zh'?",
        ),
        (
            "codebook: {id: x}\ncodes:\n  - key: A\n    name_en: A\n    name_en: B\n",
            "cb.yaml:5:5: a code: the field 'name_en' appears twice",
        ),
        (
            "codebook: {id: x}\ncodes:\n  - key: A\n    name_en: A\n    color: #112233\n",
            "cb.yaml:5:11: code A: color is empty; put the colour in quotes",
        ),
        (
            "codebook: {id: x}\ncodes:\n  - key: A\n    name_en: A\n    color: '#12345'\n",
            "cb.yaml:5:12: A: '#12345' is not a colour",
        ),
        (
            "codebook: {id: x}\ncodes:\n  - key: A\n    name_en: No\n",
            "cb.yaml:4:14: code A: name_en: 'No' is read as true/false; put it in quotes",
        ),
        (
            "codebook: {id: x}\ncodes:\n  - key: A\n    name_en: A\n  - key: A\n    name_en: B\n",
            "cb.yaml:5:10: the key 'A' is used by more than one code",
        ),
        ("codebook: {id: x}\ncodes:\n  - name_en: A\n", "cb.yaml:3:5: a code needs a 'key'"),
        (
            "codebook: {id: x}\ncodes:\n  - key: tal prog\n    name_en: A\n",
            "cb.yaml:3:10: 'tal prog' is not a valid code key",
        ),
        (
            "codebook: {id: x}\ncodes:\n  - key: A\n    name_en: A\n    codable: maybe\n",
            "cb.yaml:5:14: code A: codable must be true or false",
        ),
        ("codebook: {version: 1}\ncodes: []\n", "cb.yaml:1:11: codebook: the 'id' field is missing"),
        ("codebook: {id: x}\ncodes: {A: 1}\n", "cb.yaml:2:8: codes must be a list"),
        ("codebook: {id: x}\ncodes:\n  - &a {key: A, name_en: A}\n  - *a\n", "anchors and aliases"),
        (
            "codebook: {id: x}\ncodes:\n  - {key: A, parent: B, name_en: A}\n  - {key: B, parent: A, name_en: B}\n",
            "form a cycle of parents",
        ),
        (
            "codebook: {id: x}\ncodes:\n  - {key: A, name_en: A}\n  - {key: B, parent: Z, name_en: B}\n",
            "cb.yaml:4:22: B: parent 'Z' is not a code",
        ),
        (
            "codebook: {id: x}\ncodes:\n  - key: A\n    name_en: A\n    children:\n      - {key: B, parent: C, name_en: B}\n",
            "code B is listed under A but says parent: C",
        ),
    ],
)
def test_file_errors_have_positions(text: str, expected: str) -> None:
    found = errors(text)
    assert any(expected in problem for problem in found), found


def test_rule_errors_point_into_the_rule() -> None:
    bad = MINIMAL.replace("rule: dim.PROG >= 0.5", "rule: dim.PROG >= 0.5 and dim.ADM > 0")
    assert errors(bad) == ["cb.yaml:22:33: type A, rule: unknown variable 'dim.ADM'"]
    hostile = MINIMAL.replace("rule: dim.PROG >= 0.5", "rule: \"dim.PROG > 0 and __import__('os')\"")
    assert errors(hostile) == [
        "cb.yaml:22:31: type A, rule: unknown function '__import__': only min, max and present can be used in a rule"
    ]
    block = MINIMAL.replace("rule: dim.PROG >= 0.5", "rule: |\n        dim.PROG > 0 and ().__class__")
    assert errors(block) == [
        "cb.yaml:23:26: type A, rule: '.__class__' can only follow a variable name, not a tuple"
    ]
    unknown_code = MINIMAL.replace("rule: dim.PROG >= 0.5", "rule: present(TEC.CTP)")
    assert errors(unknown_code) == [
        "cb.yaml:22:21: type A, rule: present(TEC.CTP) names a code that is not in this codebook"
    ]


def test_all_problems_are_listed_sorted() -> None:
    text = "codebook: {id: x}\ncodes:\n  - key: A\n    colour: red\n  - key: B\n    nam_en: b\n"
    found = errors(text)
    assert found[0].startswith("cb.yaml:4:5: a code: unknown field 'colour'; did you mean 'color'?")
    assert found[1].startswith("cb.yaml:6:5:")
    with pytest.raises(CodebookFileError, match=r"\(and 1 more; see `qualcode codebook validate`\)"):
        parse_codebook(text, "cb.yaml")


def test_hostile_nesting() -> None:
    assert "nested too deeply" in errors("codes: " + "[" * 600 + "]" * 600 + "\n")[0]
    deep = (
        "codebook: {id: x}\ncodes:\n"
        + "".join(
            f"{'  ' * (2 * i + 1)}- key: K{i}\n{'  ' * (2 * i + 2)}name_en: k\n{'  ' * (2 * i + 2)}children:\n"
            for i in range(400)
        )
        + "  " * 801
        + "[]\n"
    )
    assert "nested too deeply" in errors(deep)[0]


def test_file_level_errors(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no such file"):
        read_codebook(tmp_path / "missing.yaml")
    with pytest.raises(ValidationError, match="is a folder"):
        read_codebook(tmp_path)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("codebook:\n  id: caf\xe9\n".encode("latin-1"))
    with pytest.raises(CodebookFileError, match=r"latin.yaml:2:1: the file is not UTF-8"):
        read_codebook(latin)
    bom = tmp_path / "bom.yaml"
    bom.write_bytes("\ufeff".encode() + MINIMAL.encode())
    assert read_codebook(bom).id == "mini"

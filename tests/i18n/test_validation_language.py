"""Codebook validation in Chinese: what `codebook validate` says about a file with mistakes (the
YAML reader's problems, the codebook's and the typology's rules, the rule expressions) has no
English sentence left under `--lang zh_CN`, and the English text is what it was.

`codebook validate` has no machine-readable output: its problems are lines a person reads, so
they are translated where they are made (`_()`), not carried as structured messages."""

from pathlib import Path

import pytest

from qualcode import i18n
from qualcode.core.expr import ExpressionError, parse_expression
from qualcode.core.names import NameProblem, clean_name
from tests.i18n.untranslated import english_sentences
from tests.test_stats_cli import qc

# What the file is made of and Chinese text keeps as written: its YAML field names, the values
# it holds and the words of the rule language (YAML keys, variable names, function names).
FIELDS = (
    "codebook codes typology id version title_en name_en name_zh level parent children color codable "
    "case aggregation variables of measure min_total expression types rule score lead_actor "
    "dominant_dimension assignment order min_score true false balanced dimension category code "
    "coverage frequency fallback mean_of_role_means mean_of_documents pooled min max present note RRGGBB"
).split()

# Mistakes the YAML reader finds (stops before the codebook's own rules are checked).
READER_MISTAKES = """\
codebook:
  id: demo
  versoin: 1
codes:
  - key: TAL
    name_en: Talent
    colour: 1
    color: 123
    children:
      - key: TAL.CURR
        name_en: Curriculum
        codable: maybe
      - key: TAL.X
        name_en: X
        parent: NOPE
typology:
  id: t
  aggregation: pooled
  assignment:
    min_score: lots
"""
READER_VALUES = ("versoin", "colour", "maybe", "lots", "TAL", "NOPE")

# Mistakes in the codebook's rules: keys, names, levels, parents, colours, the typology.
RULE_MISTAKES = """\
codebook:
  id: demo
  title_en: "a\\u200bb"
codes:
  - key: TAL
    name_en: Talent
    color: '#zz0000'
    children:
      - key: TAL.CURR
        level: dimension
        name_zh: 课程
      - key: TAL.X
        name_en: X
  - key: TAL
    name_en: Dup
    level: foo
  - key: 1bad
    name_en: B
  - key: ORPH
typology:
  id: t
  case:
    aggregation: nope
  variables:
    dim:
      of: [TAL, NOPE]
      measure: weird
      min_total: -1
    r:
      expression: "(dim,) + 1"
  types:
    - id: GOV_LED
      rule: dim > 0.3 and present(XYZ) and unknownvar > 1
      score: dim.TAL > 1
      lead_actor: NOPE
      dominant_dimension: NOPE
    - id: GOV_LED
    - id: 9x
      name_en: n
      rule: dim.TAL + 1
  assignment:
    order: [rule, rule]
"""
RULE_VALUES = (
    "#zz0000",
    "foo",
    "1bad",
    "ORPH",
    "nope",
    "NOPE",
    "weird",
    "dim",
    "unknownvar",
    "XYZ",
    "9x",
    "GOV_LED",
    "TAL",
)


@pytest.fixture(autouse=True)
def _english_after() -> object:
    yield
    i18n.set_language(i18n.ENGLISH)


def _validate(tmp_path: Path, text: str, language: str) -> list[str]:
    path = tmp_path / "book.yaml"
    path.write_text(text, encoding="utf-8")
    rc, out, err = qc("--lang", language, "codebook", "validate", str(path))
    assert rc == 2 and not out
    return err.splitlines()


@pytest.mark.parametrize(
    ("text", "values", "at_least"),
    [(READER_MISTAKES, READER_VALUES, 6), (RULE_MISTAKES, RULE_VALUES, 20)],
    ids=["reader", "rules"],
)
def test_validate_in_chinese_has_no_english_sentence(
    tmp_path: Path, text: str, values: tuple[str, ...], at_least: int
) -> None:
    english = _validate(tmp_path, text, "en")
    chinese = _validate(tmp_path, text, "zh_CN")
    assert len(english) == len(chinese) > at_least  # the same problems, one line each
    assert english_sentences("\n".join(chinese), allow=(*FIELDS, *values)) == []
    # Each problem keeps its file:line:column, which does not depend on the language.
    assert [line.split(": ", 1)[0] for line in chinese[:-1]] == [
        line.split(": ", 1)[0] for line in english[:-1]
    ]


def test_validate_in_english_says_what_it_said(tmp_path: Path) -> None:
    lines = _validate(tmp_path, READER_MISTAKES, "en")
    assert any(
        line.endswith(":3:3: codebook: unknown field 'versoin'; did you mean 'version'?") for line in lines
    )
    assert any(line.endswith("code TAL.CURR: codable must be true or false, not 'maybe'") for line in lines)
    lines = _validate(tmp_path, RULE_MISTAKES, "en")
    for expected in (
        "TAL.CURR is a dimension, so it cannot sit under TAL",
        "the key 'TAL' is used by more than one code; keys must be unique",
        "TAL: level 'foo' is not one of dimension, category, code",
        "variable group dim: measure 'weird' is not one of coverage, frequency",
        "type GOV_LED, rule: unknown variable 'dim' (a group: use it as max(...) or min(...))",
        "variable r, expression: a tuple is not allowed in a rule",
        "assignment order must list steps from rule, score, fallback, each at most once",
    ):
        assert any(line.endswith(expected) for line in lines), expected


def test_validate_in_chinese_uses_the_glossary(tmp_path: Path) -> None:
    text = "\n".join(_validate(tmp_path, RULE_MISTAKES, "zh_CN"))
    assert "TAL.CURR 是维度，不能置于 TAL 之下" in text
    assert "编码键 'TAL' 被多个编码使用" in text
    assert "变量组 dim" in text and "典型模式 GOV_LED" in text


@pytest.mark.parametrize(
    "rule",
    ["'text' > 1", "~a", "a in b", "f(x)", "min()", "min(x, y=1)", "present(a, b)", "a[1] > 0", "min > 1"],
)
def test_rule_expression_errors_in_chinese(rule: str) -> None:
    with pytest.raises(ExpressionError) as english:
        parse_expression(rule)
    i18n.set_language("zh_CN")
    with pytest.raises(ExpressionError) as chinese:
        parse_expression(rule)
    assert chinese.value.explanation != english.value.explanation
    assert (
        english_sentences(
            chinese.value.explanation, allow=("min", "max", "present", "dim", "in", "is", "True", "False")
        )
        == []
    )


@pytest.mark.parametrize("name", ["a\u200bb", " 组长 ", ""])
def test_name_problems_in_chinese(name: str) -> None:
    i18n.set_language("zh_CN")
    with pytest.raises(NameProblem) as problem:
        clean_name(name)
    assert english_sentences(problem.value.message) == []


def test_qdc_import_says_what_it_dropped_in_chinese(tmp_path: Path) -> None:
    from qualcode.store.db import init_project
    from tests.test_codebook_qdc import FOREIGN

    source = tmp_path / "other.qdc"
    source.write_text(FOREIGN, encoding="utf-8")
    outputs = {}
    for language in ("en", "zh_CN"):
        init_project(str(tmp_path / language)).dispose()
        rc, out, err = qc("--lang", language, "codebook", "import-qdc", str(tmp_path / language), str(source))
        assert rc == 0, err
        outputs[language] = out
    assert "1 code set(s) (<Sets>): qualcode has no code sets" in outputs["en"]
    assert "colour 'red' is not #RRGGBB" in outputs["en"]
    assert "1 个编码集（<Sets>）" in outputs["zh_CN"]
    names = (
        "Topics",
        "Economy",
        "Health care",
        "weight",
        "red",
        "not-a-guid",
        "RRGGBB",
        "Sets",
        "GUID",
        "0dcef2f5-e55c-49da-8c33-9b0803c7aeb4",
    )
    assert english_sentences(outputs["zh_CN"], allow=names) == []


def test_qdpx_export_says_what_it_left_out_in_chinese_and_keeps_the_json(tmp_path: Path) -> None:
    from qualcode.services.demo import build_demo

    demo = tmp_path / "demo"
    project, _summary = build_demo(demo)
    project.dispose()
    target = tmp_path / "out.qdpx"
    english = qc(
        "--lang", "en", "export", str(demo), "--qdpx", str(target), "--force", "--as", "wang", "--json"
    )
    chinese = qc(
        "--lang", "zh_CN", "export", str(demo), "--qdpx", str(target), "--force", "--as", "wang", "--json"
    )
    assert english[0] == chinese[0] == 0, (english[2], chinese[2])
    assert english[1] == chinese[1]  # the JSON carries the English sentences in every language
    assert "the event history (undo, audit)" in english[1]
    rc, out, err = qc(
        "--lang", "zh_CN", "export", str(demo), "--qdpx", str(target), "--force", "--as", "wang"
    )
    assert rc == 0, err
    left_out = [line for line in out.splitlines() if line.startswith("  ")]
    assert len(left_out) >= 3 and "事件记录（撤销、审计）" in out
    assert english_sentences("\n".join(left_out), allow=("PROJECT", "FILE", "REFI-QDA")) == []


def test_merge_refusal_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qualcode.services.coding.segments import add_segment
    from qualcode.services.team.merge import MergeConflictError, merge_projects
    from tests.team.support import make_project

    monkeypatch.chdir(tmp_path)  # a merge's backup stays out of the repository
    master = make_project(str(tmp_path / "m"))
    other = make_project(str(tmp_path / "o"), coders={"alice": "lead"})
    add_segment(other, coder="alice", document="interview-01", code="TAL.CURR", start=1, end=5)
    other.dispose()
    with pytest.raises(MergeConflictError) as english:
        merge_projects(master, [str(tmp_path / "o")])
    assert "coder 'alice' is a lead in" in str(english.value)
    i18n.set_language("zh_CN")
    with pytest.raises(MergeConflictError) as chinese:
        merge_projects(master, [str(tmp_path / "o")])
    message = str(chinese.value)
    assert "编码员 'alice'" in message and "组长" in message
    assert english_sentences(message, allow=("alice", "NAME")) == []
    master.dispose()


@pytest.mark.parametrize(
    ("text", "chinese"),
    [
        ("codebook:\n  id: x\n  title_en: a: b\ncodes: []\n", "此处不允许出现映射的值"),
        ("codebook:\n  id: 'x\ncodes: []\n", "带引号的值"),
    ],
)
def test_yaml_syntax_errors_in_chinese(tmp_path: Path, text: str, chinese: str) -> None:
    english = _validate(tmp_path, text, "en")
    lines = _validate(tmp_path, text, "zh_CN")
    assert "not valid YAML" in english[0]
    assert chinese in lines[0]
    assert english_sentences("\n".join(lines)) == []

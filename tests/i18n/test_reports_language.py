"""Reports in the interface language: the agreement Markdown and its Methods paragraph read in
Chinese with exactly the numbers of the JSON report; the JSON never changes with the language."""

import json
import re
from pathlib import Path

import pytest

from tests.agreement_project import build, code, done
from tests.test_stats_cli import qc

NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")


@pytest.fixture
def project_dir(tmp_path: Path) -> str:
    project, ids = build(tmp_path)
    for coder in ("lin", "chen"):
        code(project, ids, coder, "doc1", "TAL.PROG", "储能专业")
        done(project, ids, coder, "doc1")
    code(project, ids, "lin", "doc1", "TAL.BASE", "实训基地")
    project.dispose()
    return str(tmp_path / "p")


def _methods(markdown: str, heading: str) -> str:
    return markdown.split(f"## {heading}")[1].split("\n\n")[1]


def _agree(project_dir: str, *extra: str) -> str:
    rc, out, err = qc(*extra, "agree", project_dir, "--bootstrap", "50", "--seed", "2")
    assert rc == 0, err
    return out


def test_chinese_methods_paragraph_has_the_numbers_of_the_json(project_dir: str) -> None:
    args = ("--bootstrap", "50", "--seed", "2")
    rc, zh_md, err = qc("--lang", "zh_CN", "agree", project_dir, "--format", "md", *args)
    assert rc == 0, err
    rc, en_md, err = qc("--lang", "en", "agree", project_dir, "--format", "md", *args)
    assert rc == 0, err
    rc, zh_json, _ = qc("--lang", "zh_CN", "agree", project_dir, "--format", "json", *args)
    rc, en_json, _ = qc("--lang", "en", "agree", project_dir, "--format", "json", *args)
    assert json.loads(zh_json) == json.loads(en_json)  # machine-readable output: one language
    report = json.loads(en_json)

    assert zh_md.startswith("# 编码员间信度\n") and en_md.startswith("# Intercoder agreement\n")
    zh, en = _methods(zh_md, "研究方法"), _methods(en_md, "Methods")
    assert not re.search(r"\b(We report|Pooled|coders)\b", zh)
    # the same numbers in both languages (Chinese word order differs)
    assert sorted(NUMBER.findall(zh)) == sorted(NUMBER.findall(en))
    alpha = report["pooled"]["coefficients"]["krippendorff_alpha"]
    expected = [
        f"{len(report['coders'])} 名编码员",
        f"{report['n_documents']} 份文档",
        f"{report['n_units']} 个受访者回答",
        f"{len(report['codes'])} 个编码",
        "50 次自助法（bootstrap）重抽样",
        "随机种子 2",
        f"Krippendorff's α 为 {alpha['value']:.3f}",
    ]
    if alpha.get("ci_low") is not None:
        expected.append(f"95% 置信区间 [{alpha['ci_low']:.3f}, {alpha['ci_high']:.3f}]")
    for phrase in expected:
        assert phrase in zh, (phrase, zh)
    # glossary terms (docs/glossary.md) and Chinese punctuation between sentences
    assert "编码员间信度" in zh and "受访者回答" in zh and "置信区间" in zh
    assert ". " not in zh and "。" in zh


def test_chinese_markdown_headings_and_table(project_dir: str) -> None:
    rc, md, err = qc("--lang", "zh_CN", "agree", project_dir, "--format", "md")
    assert rc == 0, err
    for phrase in (
        "- 项目：",
        "- 编码员：",
        "- 比较对象：编码员在其标记为已完成的文档中参与比较",
        "- 缺失数据：",
        "| 类别 | 名称 |",
    ):
        assert phrase in md, phrase
    assert "| 编码 | TAL.PROG |" in md
    rc, en, _ = qc("--lang", "en", "agree", project_dir, "--format", "md")
    assert "| section | name |" in en and "| code | TAL.PROG |" in en
    # every number of the table is the same in both languages
    table = [line for line in md.splitlines() if line.startswith("| ")]
    table_en = [line for line in en.splitlines() if line.startswith("| ")]
    assert [NUMBER.findall(line) for line in table[1:]] == [NUMBER.findall(line) for line in table_en[1:]]


def test_workbook_agreement_sheet_headings_follow_the_language(project_dir: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert qc("--lang", "zh_CN", "export", project_dir, "--xlsx", str(tmp_path / "zh.xlsx"))[0] == 0
    assert qc("--lang", "en", "export", project_dir, "--xlsx", str(tmp_path / "en.xlsx"))[0] == 0
    zh = [c.value for c in next(load_workbook(tmp_path / "zh.xlsx")["Agreement"].iter_rows(max_row=1))]
    en = [c.value for c in next(load_workbook(tmp_path / "en.xlsx")["Agreement"].iter_rows(max_row=1))]
    assert en[:3] == ["section", "name", "unit type"] and "Krippendorff alpha" in en
    assert zh[en.index("Krippendorff alpha")] == "Krippendorff's α" and zh[2] == "单元类型"
    # agree's own xlsx keeps the keys (one language for files scripts read)
    assert (
        qc("--lang", "zh_CN", "agree", project_dir, "--format", "xlsx", "--out", str(tmp_path / "a.xlsx"))[0]
        == 0
    )
    assert load_workbook(tmp_path / "a.xlsx")["Agreement"]["A1"].value == "section"

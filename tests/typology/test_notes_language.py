"""Typology reasons are messages: the JSON keeps its English text in every interface language,
and the table output, the workbook and the TUI write them in the interface language."""

from pathlib import Path

import openpyxl
from typology_project import DOCS, build

from qualcode.i18n import language
from qualcode.services.exchange.workbook import export_workbook
from tests.test_stats_cli import qc

# Only Haibin has been adjudicated: with --consensus, Qingshan cannot be typed (no coding).
PARTLY = {
    name: (case, role, [s for s in segs if s[0] != "consensus" or case == "Haibin"])
    for name, (case, role, segs) in DOCS.items()
}
REASON_EN = "none of the case's documents has coding from the source (consensus)"
REASON_ZH = "该个案的所有文档都没有来自该编码来源（consensus）的编码"
SKIPPED_EN = "only 1 cases with a profile; the cluster check needs at least 8"
SKIPPED_ZH = "只有 1 个个案有特征剖面；聚类检验至少需要 8 个"


def test_typology_json_is_byte_identical_in_both_languages(tmp_path: Path) -> None:
    build(tmp_path / "p", docs=PARTLY).dispose()
    folder = str(tmp_path / "p")
    outputs = []
    for lang in ("en", "zh_CN"):
        rc, out, err = qc("--lang", lang, "typology", folder, "--consensus", "--format", "json")
        assert rc == 0, err
        outputs.append(out)
    assert outputs[0] == outputs[1]
    assert REASON_EN in outputs[0] and SKIPPED_EN in outputs[0] and REASON_ZH not in outputs[0]


def test_typology_reasons_in_the_interface_language(tmp_path: Path) -> None:
    project = build(tmp_path / "p", docs=PARTLY)
    folder = str(tmp_path / "p")
    with language("zh_CN"):
        export_workbook(project, tmp_path / "zh.xlsx", consensus=True)
    project.dispose()
    rc, out, err = qc("--lang", "zh_CN", "typology", folder, "--consensus")
    assert rc == 0, err
    assert REASON_ZH in out and SKIPPED_ZH in out and REASON_EN not in out and SKIPPED_EN not in out
    book = openpyxl.load_workbook(tmp_path / "zh.xlsx", read_only=True)
    cells = {
        str(c)
        for sheet in ("Assignments", "Cluster_Diagnostics")
        for r in book[sheet].iter_rows(values_only=True)
        for c in r
    }
    assert REASON_ZH in cells and SKIPPED_ZH in cells
    assert REASON_EN not in cells and SKIPPED_EN not in cells
    rc, out, err = qc("--lang", "en", "typology", folder, "--consensus")
    assert REASON_EN in out and SKIPPED_EN in out


def test_word_report_states_why_a_case_has_no_type(tmp_path: Path) -> None:
    from docx import Document

    from qualcode.services.exchange.paper_report import write_report

    uncoded = {
        name: (case, role, segs if case == "Haibin" else []) for name, (case, role, segs) in DOCS.items()
    }
    project = build(tmp_path / "p", docs=uncoded)
    try:
        write_report(project, tmp_path / "zh.docx", language_name="zh_CN", n_boot=0)
        write_report(project, tmp_path / "en.docx", language_name="en", n_boot=0)
    finally:
        project.dispose()
    zh = "\n".join(p.text for p in Document(str(tmp_path / "zh.docx")).paragraphs)
    en = "\n".join(p.text for p in Document(str(tmp_path / "en.docx")).paragraphs)
    assert "Qingshan：该个案的所有文档都没有来自该编码来源" in zh and "none of the case's documents" not in zh
    assert "Qingshan: none of the case's documents has coding from the source" in en

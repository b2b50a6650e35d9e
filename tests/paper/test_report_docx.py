"""`qualcode report --docx`: three-line tables, numbered titles, Chinese fonts, numbers equal to
the JSON of agree/typology/configuration/evidence/saturation; LibreOffice opens it."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from qualcode.services.agreement.project_report import agreement_report
from qualcode.services.analysis.evidence import evidence_table
from qualcode.services.analysis.saturation import saturation_report
from qualcode.services.analysis.typology import compute_typology
from qualcode.services.demo import build_demo
from qualcode.services.exchange.paper_report import write_report
from qualcode.store.db import Project
from tests.test_stats_cli import qc

LEAD = "wang"
BOOT = 200


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project, _ = build_demo(tmp_path_factory.mktemp("report") / "demo")
    return project


@pytest.fixture(scope="module")
def chinese(demo: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report-out") / "report.docx"
    code, _out, err = qc(
        "report",
        str(demo.folder),
        "--as",
        LEAD,
        "--docx",
        str(out),
        "--lang",
        "zh_CN",
        "--bootstrap",
        str(BOOT),
    )
    assert code == 0, err
    return out


def _titles(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.startswith(("表", "Table ", "图", "Figure "))]


def _borders(element, tag: str) -> dict[str, tuple[str, str | None]]:
    node = element.find(qn(tag))
    assert node is not None, tag
    return {child.tag.split("}")[1]: (child.get(qn("w:val")), child.get(qn("w:sz"))) for child in node}


def test_every_table_is_a_numbered_three_line_table(chinese: Path) -> None:
    document = Document(str(chinese))
    titles = _titles(document)
    tables = [t for t in titles if t.startswith("表")]
    assert [t.split()[0] for t in tables] == [f"表{n}" for n in range(1, len(document.tables) + 1)]
    assert len(document.tables) == 6 and any(t.startswith("图1") for t in titles)
    for table in document.tables:
        borders = _borders(table._tbl.tblPr, "w:tblBorders")
        assert borders["top"] == ("single", "12") and borders["bottom"] == ("single", "12")
        assert all(borders[edge][0] == "nil" for edge in ("left", "right", "insideH", "insideV"))
        for cell in table.rows[0].cells:
            assert _borders(cell._tc.tcPr, "w:tcBorders")["bottom"] == ("single", "6")
        for row in table.rows[1:]:
            for cell in row.cells:
                tc_pr = cell._tc.tcPr
                assert tc_pr is None or tc_pr.find(qn("w:tcBorders")) is None


def test_chinese_text_is_set_in_songti_with_times_for_latin(chinese: Path) -> None:
    document = Document(str(chinese))
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体" and fonts.get(qn("w:ascii")) == "Times New Roman"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["编码证据表", "编码员间信度", "类型学", "组态", "理论饱和"]


def test_numbers_equal_the_json_of_every_command(demo: Project, chinese: Path) -> None:
    document = Document(str(chinese))
    evidence, reliability, typology_table, cases, _configurations, saturation = document.tables
    # coding evidence: one row per code, counts as `evidence show`
    rows = evidence_table(demo, viewer=LEAD)["rows"]
    assert len(evidence.rows) == 1 + len(rows)
    assert [int(evidence.rows[i + 1].cells[4].text) for i in range(len(rows))] == [
        r["segments"] for r in rows
    ]
    # reliability: the pooled alpha and its interval as `agree`
    agreement = agreement_report(demo, viewer=LEAD, n_boot=BOOT)
    pooled = agreement["pooled"]["coefficients"]["krippendorff_alpha"]
    last = reliability.rows[-1].cells
    assert last[1].text == f"{pooled['value']:.3f}"
    assert last[2].text == f"[{pooled['ci_low']:.3f},\u00a0{pooled['ci_high']:.3f}]"
    assert int(last[4].text) == agreement["pooled"]["n_pairable_units"]
    assert len(reliability.rows) == 2 + len(agreement["dimensions"])
    # typology: each case's type as `typology`
    typology = compute_typology(demo, viewer=LEAD)
    names = {t.id: t.name_zh for t in typology.spec.types}
    shown = {row.cells[0].text: row.cells[1].text for row in typology_table.rows[1:]}
    assert shown == {a.case: names[a.type] for a in typology.assignments}
    assert [row.cells[0].text for row in cases.rows[1:]] == sorted(shown)
    # saturation: totals as `saturation`
    report = saturation_report(demo, viewer=LEAD, levels=("code",))
    totals = [int(row.cells[2].text) for row in saturation.rows[1:]]
    assert totals == [s["levels"]["code"]["curve"]["total"] for s in report["sources"]]


def test_english_report_has_the_same_numbers(demo: Project, chinese: Path, tmp_path: Path) -> None:
    summary = write_report(demo, tmp_path / "en.docx", language_name="en", viewer=LEAD, n_boot=BOOT)
    assert summary["omitted"] == {} and summary["language"] == "en"
    english, zh = Document(str(tmp_path / "en.docx")), Document(str(chinese))
    assert _titles(english)[0].startswith("Table 1")
    for en_table, zh_table in zip(english.tables, zh.tables, strict=True):
        for en_row, zh_row in zip(en_table.rows[1:], zh_table.rows[1:], strict=True):
            en_numbers = [c.text for c in en_row.cells if c.text.replace(".", "").replace("-", "").isdigit()]
            zh_numbers = [c.text for c in zh_row.cells if c.text.replace(".", "").replace("-", "").isdigit()]
            assert en_numbers == zh_numbers


def test_a_part_that_cannot_be_computed_is_stated(tmp_path: Path) -> None:
    project, _ = build_demo(tmp_path / "demo")
    with project.write() as s:
        s.connection().exec_driver_sql("DELETE FROM document_status")
    summary = write_report(project, tmp_path / "r.docx", language_name="en", viewer=LEAD, n_boot=0)
    assert set(summary["omitted"]) == {"reliability"} and "marked done" in summary["omitted"]["reliability"]
    text = "\n".join(p.text for p in Document(str(tmp_path / "r.docx")).paragraphs)
    assert "Not computed: no document is marked done" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--docx", "out.pdf"], "must end in .docx"), (["--docx", "out.docx", "--lang", "fr"], "Invalid value")],
)
def test_bad_input_writes_nothing(
    demo: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = qc("report", str(demo.folder), "--as", LEAD, *args)
    assert code == 2 and message in err and not list(tmp_path.iterdir())


def _soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and os.environ.get("CI"):
        pytest.fail("CI installs LibreOffice (.ci/run): soffice is missing")
    return found


def test_libreoffice_converts_it_with_the_text_and_tables(chinese: Path, tmp_path: Path) -> None:
    soffice = _soffice()
    if soffice is None:
        pytest.skip("LibreOffice is not installed (CI installs it)")
    from pypdf import PdfReader

    profile = tmp_path / "lo-profile"  # a private profile: parallel test workers must not share one
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(chinese),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    pdf = tmp_path / "report.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    for n in range(1, 7):
        assert f"表{n}" in text
    assert "图1" in text and "编码员间信度" in text and "主类属" in text
    document = Document(str(chinese))
    for table in document.tables:  # every header cell of every table reached the PDF
        for cell in table.rows[0].cells:
            assert cell.text.replace("\n", "")[:4] in text.replace("\n", "")


def test_column_widths_fill_the_page_and_keep_counts_whole() -> None:
    from qualcode.io.docx_report import fit_widths

    widths = fit_widths([15, 8, 14, 80, 6, 6, 6], 16.0, 1.3)
    assert sum(widths) == pytest.approx(16.0) and min(widths) >= 1.3 - 1e-9
    assert widths[3] == max(widths) and widths[0] > widths[1] or widths[0] == 1.3
    assert fit_widths([1, 1], 10.0, 1.3) == [5.0, 5.0]


def test_reliability_notes_give_the_cautions_in_chinese(demo: Project, chinese: Path) -> None:
    """The dimensions' warnings and withheld intervals are under the reliability table, written
    in Chinese with the numbers of the JSON (the demo has a Kappa paradox and a withheld interval)."""
    import json

    text = "\n".join(p.text for p in Document(str(chinese)).paragraphs)
    report = json.loads(json.dumps(agreement_report(demo, viewer=LEAD, n_boot=BOOT)))  # as `agree` prints it
    rec = next(d for d in report["dimensions"] if d["dimension"] == "REC")
    pair = next(w for w in rec["warnings"] if w.startswith("prevalence paradox between chen and wang"))
    agreement, kappa = (
        float(n) for n in re.findall(r"(\d+)% raw agreement but Cohen's kappa (\d\.\d+)", pair)[0]
    )
    assert f"chen 与 wang 之间出现 Kappa 悖论：原始一致率达 {agreement:.0f}%" in text
    assert f"Cohen's kappa 仅为 {kappa:.3f}" in text
    withheld = rec["coefficients"]["krippendorff_alpha"]["ci_withheld"]
    units = re.search(r"only (\d+) pairable units", withheld).group(1)
    assert f"不报告置信区间：任一编码员使用该编码的可配对单元只有 {units} 个" in text
    for english in ("prevalence paradox", "raw agreement", "no interval"):
        assert english not in text

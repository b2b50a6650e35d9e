"""PDF import: page units with exact offsets (checked against pypdf's own page text), speaker
turns in interview records, and clean refusals (scans, encryption, damage, size)."""

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from qualcode.cli import cli, main
from qualcode.core.errors import QualcodeError
from qualcode.io.readers import ReadOptions
from qualcode.io.readers.pdf import read_pdf

POLICY_PAGES = [
    [
        "关于推进市域产教联合体建设的实施意见",
        "一、总体要求：坚持政府统筹、产教协同。",
        "二、重点任务：共建实训基地。",
    ],
    ["三、保障措施：设立专项资金，每年评估一次。", "Annex: the city's industry-education plan."],
    ["四、附则：本意见自印发之日起施行。"],
]
INTERVIEW_PAGES = [
    ["访谈者：请介绍一下联合体的组建过程。", "受访者：联合体是市政府一手推起来的。"],
    ["访谈者：人才培养方面呢？", "受访者：我们建了共享的公共实训基地。"],
]


def make_pdf(path: Path, pages: list[list[str]], blank: bool = False) -> Path:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        if not blank:
            pdf.setFont("STSong-Light", 12)
            for index, line in enumerate(lines):
                pdf.drawString(72, 760 - 20 * index, line)
        else:
            pdf.rect(72, 600, 200, 100, fill=1)  # a "scan": marks, no text
        pdf.showPage()
    pdf.save()
    return path


def independent_pages(path: Path) -> list[str]:
    """Each page's text as pypdf gives it, normalised the way every stored text is."""
    out = []
    for page in PdfReader(path).pages:
        text = unicodedata.normalize("NFC", (page.extract_text() or "").replace("\r\n", "\n"))
        out.append(text.replace("\f", "\n").strip("\n"))
    return out


def test_page_units_have_exact_offsets(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "policy.pdf", POLICY_PAGES)
    document = read_pdf(path, ReadOptions())
    expected = independent_pages(path)
    assert document.attributes["pages"] == "3"
    starts = [int(s) for s in document.attributes["page_starts"].split(",")]
    assert [u.kind for u in document.units] == ["page", "page", "page"]
    for unit, start, page_text in zip(document.units, starts, expected, strict=True):
        assert unit.start == start
        assert document.text[unit.start : unit.end] == page_text
    assert "共建实训基地" in document.text[document.units[0].start : document.units[0].end]
    assert "专项资金" in document.text[document.units[1].start : document.units[1].end]


def test_an_interview_record_keeps_its_turns(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "record.pdf", INTERVIEW_PAGES)
    document = read_pdf(path, ReadOptions())
    roles = [u.speaker_role for u in document.units]
    assert roles.count("respondent") == 2 and roles.count("interviewer") == 2
    answer = next(u for u in document.units if u.speaker_role == "respondent")
    assert document.text[answer.start : answer.end].startswith("联合体是市政府")
    assert document.attributes["pages"] == "2"


def test_import_through_the_cli_and_code_a_quote(tmp_path: Path) -> None:
    project = str(tmp_path / "p")
    runner = CliRunner()
    assert runner.invoke(cli, ["init", project]).exit_code == 0
    path = make_pdf(tmp_path / "policy.pdf", POLICY_PAGES)
    result = runner.invoke(cli, ["import", project, str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(runner.invoke(cli, ["docs", "show", project, "policy", "--format", "json"]).output)
    assert shown["text"] == "\n\n".join(independent_pages(path))
    assert shown["attributes"]["pages"] == "3"


def test_a_scan_is_refused_naming_ocr(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", [["x"], ["y"]], blank=True)
    with pytest.raises(QualcodeError, match="no text layer.*OCR"):
        read_pdf(path, ReadOptions())


def test_an_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    plain = make_pdf(tmp_path / "plain.pdf", POLICY_PAGES)
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(QualcodeError, match="encrypted"):
        read_pdf(locked, ReadOptions())


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_a_truncated_pdf_is_refused(tmp_path: Path, cut: float) -> None:
    whole = make_pdf(tmp_path / "whole.pdf", POLICY_PAGES).read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(whole[: int(len(whole) * cut)])
    with pytest.raises(QualcodeError):
        read_pdf(broken, ReadOptions())


def test_not_a_pdf_at_all(tmp_path: Path) -> None:
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"PK\x03\x04 this is a zip, not a pdf")
    with pytest.raises(QualcodeError, match="not a readable PDF"):
        read_pdf(fake, ReadOptions())


def test_text_beyond_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "long.pdf", [["联合体" * 30] * 30] * 20)
    with pytest.raises(QualcodeError, match="larger than the limit"):
        read_pdf(path, ReadOptions(max_mb=0.01))


def test_refusal_leaves_the_project_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = str(tmp_path / "p")
    assert CliRunner().invoke(cli, ["init", project]).exit_code == 0
    scan = make_pdf(tmp_path / "scan.pdf", [["x"]], blank=True)
    with pytest.raises(SystemExit):
        main(["import", project, str(scan)])
    listing = json.loads(CliRunner().invoke(cli, ["docs", "list", project, "--format", "json"]).output)
    assert listing == []

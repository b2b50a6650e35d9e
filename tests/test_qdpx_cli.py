"""`qualcode import` and `qualcode init --from` with .qdpx archives, as a user sees them."""

import json
import zipfile
from pathlib import Path

import pytest

from qualcode.cli import main
from qualcode.store.db import init_project

G = [f"{i:08d}-2222-3333-4444-555555555555" for i in range(4)]
QDE = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="team" origin="QualCoder 3.6">'
    f'<Sources><TextSource guid="{G[0]}" name="访谈" plainTextPath="internal://{G[0]}.txt"/>'
    f'<PDFSource guid="{G[1]}" path="internal://{G[1]}.pdf"/></Sources>'
    f'<Sets><Set guid="{G[2]}" name="s"/></Sets></Project>'
)
TEXT = "问：联合体如何运作？\n答：市政府牵头，企业参与。"


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def archive(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members:
            z.writestr(name, data)
    return path


@pytest.fixture
def qdpx(tmp_path: Path) -> Path:
    return archive(
        tmp_path / "team.qdpx", [("project.qde", QDE.encode()), (f"sources/{G[0]}.txt", TEXT.encode())]
    )


def test_import_prints_counts_and_every_item_not_imported(tmp_path: Path, qdpx: Path, capsys) -> None:
    init_project(str(tmp_path / "p")).dispose()
    code, out, err = run(capsys, "import", tmp_path / "p", qdpx)
    assert code == 0, err
    assert "team.qdpx (QualCoder 3.6): 1 document, 2 units" in out
    assert "│  " not in out  # no empty table row
    assert "not imported: 1 PDF source (only text sources are imported)" in err
    assert "not imported: 1 set (not supported)" in err
    assert out.strip().endswith("1 imported, 0 skipped, 0 failed")
    code, out, err = run(capsys, "import", tmp_path / "p", qdpx, "--format", "json")
    data = json.loads(out)
    assert data["imported"][0]["qdpx"]["documents_reused"] == 1
    assert len(data["imported"][0]["qdpx"]["not_imported"]) == 2


def test_init_from_prints_only_what_arrived(tmp_path: Path, qdpx: Path, capsys) -> None:
    code, out, err = run(capsys, "init", tmp_path / "new", "--from", qdpx)
    assert code == 0, err
    assert out.strip() == f"created {tmp_path / 'new'} from team.qdpx (QualCoder 3.6): 1 document, 2 units"
    assert err.splitlines() == [
        "  not imported: 1 PDF source (only text sources are imported)",
        "  not imported: 1 set (not supported)",
    ]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


BAD = {
    "not a zip": lambda p: _write(p, b"plain text, not a zip"),
    "truncated": lambda p: _write(p, b"PK\x03\x04" + b"\x00" * 40),
    "no project.qde": lambda p: archive(p, [("sources/a.txt", b"hi")]),
    "bad xml": lambda p: archive(p, [("project.qde", b"<Project><Users></Project>")]),
    "foreign namespace": lambda p: archive(
        p, [("project.qde", b"<Project xmlns='urn:other:1.0' name='x'/>")]
    ),
    "a folder": _folder,
    "missing": lambda p: p,
}


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_archive_is_one_line_exit_2_and_creates_nothing(tmp_path: Path, capsys, kind: str) -> None:
    bad = BAD[kind](tmp_path / "bad.qdpx")
    code, out, err = run(capsys, "init", tmp_path / "new", "--from", bad)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ") and "bad.qdpx" in err, err
    assert not (tmp_path / "new").exists()
    init_project(str(tmp_path / "p")).dispose()
    code, out, err = run(capsys, "import", tmp_path / "p", bad)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "bad.qdpx" in err, err
    code, out, _ = run(capsys, "info", tmp_path / "p", "--format", "json")
    info = json.loads(out)
    assert (info["documents"], info["codes"], info["coders"]) == (0, 0, 0)


def test_init_from_refuses_a_codebook_it_would_ignore_and_keeps_the_name(
    tmp_path: Path, qdpx: Path, capsys
) -> None:
    book = Path(__file__).resolve().parents[1] / "codebooks" / "industry-education-consortium.yaml"
    code, out, err = run(capsys, "init", tmp_path / "new", "--from", qdpx, "--codebook", book)
    assert code == 2 and err.strip().splitlines() == [
        "error: --codebook and --from cannot be combined: create the project --from the archive, "
        "then `qualcode codebook load` the codebook"
    ]
    assert not (tmp_path / "new").exists()
    code, out, err = run(capsys, "init", tmp_path / "new", "--from", qdpx, "--name", "海滨 study")
    assert code == 0, err
    assert "海滨 study" in (tmp_path / "new" / "qualcode-project.toml").read_text(encoding="utf-8")

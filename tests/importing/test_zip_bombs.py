"""Decompression bombs in .docx, .xlsx and .qdpx (issue 16.2): --max-size bounds what is inflated.

The bombs are built here (small on disk) and imported in a subprocess whose address space is
capped, so a regression fails with an error instead of eating the machine's memory.
"""

import io
import os
import random
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from qualcode.store.db import init_project

MEMORY_CAP = 512 * 1024 * 1024  # a normal import needs under 256 MB; reading a bomb far more
BOMB_BYTES = 300 * 1024 * 1024


def _docx_parts() -> dict[str, bytes]:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    with zipfile.ZipFile(buffer) as z:
        return {name: z.read(name) for name in z.namelist()}


def _xlsx_parts() -> dict[str, bytes]:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["document", "question", "answer"])
    book.active.append(["R1", "Q1", "placeholder"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        return {name: z.read(name) for name in z.namelist()}


def _write(
    path: Path, parts: dict[str, bytes], name: str, head: bytes, body: bytes, repeat: int, tail: bytes
) -> Path:
    """Copy `parts`, with member `name` replaced by head + body * repeat + tail, streamed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for member, data in parts.items():
            if member != name:
                z.writestr(member, data)
        with z.open(name, "w", force_zip64=True) as out:
            out.write(head)
            for _ in range(repeat):
                out.write(body)
            out.write(tail)
    return path


_DOC_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>"
)
_DOC_TAIL = b"</w:t></w:r></w:p></w:body></w:document>"


def docx_bomb(path: Path, size: int = BOMB_BYTES) -> Path:
    chunk = b"a" * (1 << 20)
    return _write(path, _docx_parts(), "word/document.xml", _DOC_HEAD, chunk, size // len(chunk), _DOC_TAIL)


def docx_wordy(path: Path, size: int) -> Path:
    """A document whose text compresses only a few-fold: no bomb, just more than a small limit."""
    rng = random.Random(1)
    words = [
        bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
        for _ in range(4000)
    ]
    chunk = b" ".join(rng.choice(words) for _ in range(2000))  # repeats within the deflate window
    return _write(
        path, _docx_parts(), "word/document.xml", _DOC_HEAD, chunk, size // len(chunk) + 1, _DOC_TAIL
    )


def xlsx_bomb(path: Path, size: int = BOMB_BYTES) -> Path:
    """A one-answer table whose answer cell inflates to `size` bytes."""
    parts = _xlsx_parts()
    sheet = "xl/worksheets/sheet1.xml"
    head, tail = parts[sheet].split(b"placeholder")
    chunk = b"a" * (1 << 20)
    return _write(path, parts, sheet, head, chunk, size // len(chunk), tail)


def _import_capped(project: Path, source: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_CAP}, {MEMORY_CAP}))\n"
        "from qualcode.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, "import", str(project), str(source), *extra],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QUALCODE_DEBUG": ""},
    )


def _table_counts(project: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(project / "qualcode.db") as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    init_project(str(tmp_path / "p")).dispose()
    return tmp_path / "p"


@pytest.mark.parametrize("build", [docx_bomb, xlsx_bomb], ids=["docx", "xlsx"])
def test_a_bomb_is_refused_in_one_line_under_a_memory_cap(build, project: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    suffix = ".docx" if build is docx_bomb else ".xlsx"
    bomb = build(tmp_path / f"bomb{suffix}")
    assert bomb.stat().st_size < 2 * 1024 * 1024  # small on disk, 300 MB inflated
    before = _table_counts(project)
    result = _import_capped(project, bomb)
    assert result.returncode == 2, result.stderr
    failures = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if bomb.name in line]
    assert len(failures) == 1 and "(raise the limit with --max-size)" in failures[0], (
        result.stdout + result.stderr
    )
    assert "MemoryError" not in result.stdout + result.stderr
    assert _table_counts(project) == before


def test_max_size_bounds_the_inflated_text_not_the_file(project: Path, tmp_path: Path) -> None:
    wordy = docx_wordy(tmp_path / "wordy.docx", 3 * 1024 * 1024)
    assert wordy.stat().st_size < 1024 * 1024  # the file passes --max-size 1, its text does not
    result = _import_capped(project, wordy, "--max-size", "1")
    assert result.returncode == 2
    assert "over the limit of 1.0 MB (raise the limit with --max-size)" in result.stdout + result.stderr
    result = _import_capped(project, wordy, "--max-size", "5")
    assert result.returncode == 0, result.stdout + result.stderr


def test_max_size_bounds_a_qdpx_too(project: Path, tmp_path: Path) -> None:
    guids = [f"{i:08d}-2222-3333-4444-555555555555" for i in range(4)]
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
        + "".join(
            f'<TextSource guid="{g}" name="s{g[:8]}" plainTextPath="internal://{g}.txt"/>' for g in guids
        )
        + "</Sources></Project>"
    )
    text = os.urandom(150_000).hex().encode()  # 300 kB each that deflate about 2-fold
    path = tmp_path / "big.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", qde)
        for g in guids:
            z.writestr(f"sources/{g}.txt", text)
    assert path.stat().st_size < 1024 * 1024
    result = _import_capped(project, path, "--max-size", "1")
    assert result.returncode == 2
    assert "inflates to more than 1.0 MB (raise the limit with --max-size)" in result.stdout + result.stderr


def test_the_memory_cap_is_real() -> None:
    """The cap the bomb tests rely on does stop a process that reads too much."""
    code = (
        "import resource\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_CAP}, {MEMORY_CAP}))\n"
        f"b = bytearray({2 * MEMORY_CAP})\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "MemoryError" in result.stderr
    assert resource.RLIMIT_AS  # the platform has the limit

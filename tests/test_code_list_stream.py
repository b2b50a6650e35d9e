"""`code list` streams its rows: the same output as before, in memory that does not grow with
the number of segments (issue 12 item 10)."""

import contextlib
import csv
import hashlib
import io
import json
import random
import tracemalloc
from pathlib import Path

import pytest
from sqlalchemy import insert

from qualcode.store.db import Project, init_project
from qualcode.store.models import Code, Coder, Document, Segment
from tests.test_stats_cli import qc

PIECES = ["政府统筹财政资金", "企业工程师到学校兼课", "We opened an order class. ", "=SUM(A1) 公式\n"]


def _project(folder: Path, n_segments: int, n_docs: int = 10, doc_chars: int = 20_000) -> Project:
    rng = random.Random(3)
    project = init_project(str(folder))
    with project.write() as s:
        codes = [Code(key=f"C{i}", level="code", name_en=f"c{i}") for i in range(4)]
        coders = [Coder(name=n) for n in ("lin", "chen")]
        s.add_all(codes + coders)
        s.flush()
        rows = []
        for d in range(n_docs):
            text = "".join(rng.choice(PIECES) for _ in range(doc_chars // 10))[:doc_chars]
            doc = Document(
                name=f"doc{d:03d}",
                text=text,
                length=len(text),
                sha256=hashlib.sha256(text.encode()).hexdigest(),
            )
            s.add(doc)
            s.flush()
            for i in range(n_segments // n_docs):
                start = i * 7 % (len(text) - 200)  # distinct starts: no duplicate segment
                rows.append(
                    {
                        "document_id": doc.id,
                        "coder_id": coders[i % 2].id,
                        "code_id": codes[i % 4].id,
                        "start": start,
                        "end": start + 10 + i % 90,
                        "memo": "备注" if i % 5 == 0 else None,
                    }
                )
        s.execute(insert(Segment), rows)
    return project


class _Sink(io.TextIOBase):
    """A stdout that keeps nothing, so only the command's own memory is measured."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def _peak_listing(folder: Path, fmt: str) -> tuple[int, int]:
    sink = _Sink()
    tracemalloc.start()
    try:
        with contextlib.redirect_stdout(sink):
            from qualcode.cli import main

            with contextlib.suppress(SystemExit):
                main(["code", "list", str(folder), "--format", fmt])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, sink.chars


def test_streamed_output_is_the_listing(tmp_path: Path) -> None:
    from qualcode.io.table_files import csv_cell
    from qualcode.services.coding.segments import iter_segments, list_segments

    project = _project(tmp_path / "p", 300)
    rows = list_segments(project)
    assert len(rows) == 300 and rows == list(iter_segments(project))
    assert all(r["text"] for r in rows)
    rc, out, err = qc("code", "list", str(tmp_path / "p"), "--format", "json")
    assert rc == 0, err
    assert out == json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n"
    rc, out, err = qc("code", "list", str(tmp_path / "p"), "--format", "csv", "--doc", "doc003")
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert rc == 0 and [r["id"] for r in parsed] == [str(r["id"]) for r in rows if r["document"] == "doc003"]
    # the one CSV writer guards a cell a spreadsheet would read as a formula
    assert parsed[0]["text"] == csv_cell(next(r["text"] for r in rows if r["document"] == "doc003"))
    rc, out, _ = qc("code", "list", str(tmp_path / "p"), "--format", "json", "--coder", "nobody")
    assert rc == 2 and out == ""  # an unknown filter fails before anything is written
    project.dispose()


def test_empty_listing_is_an_empty_array(tmp_path: Path) -> None:
    init_project(str(tmp_path / "e")).dispose()
    assert qc("code", "list", str(tmp_path / "e"), "--format", "json")[1] == "[]\n"


@pytest.mark.parametrize("fmt", ["csv"])
def test_memory_does_not_grow_with_the_segments(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight times the segments over the same documents: a listing held in memory (and each row
    carrying its document's whole text) needs several times the memory; a stream about the same."""
    from qualcode.services.coding import segments

    monkeypatch.setattr(segments, "STREAM_BATCH", 200, raising=False)
    _project(tmp_path / "small", 1_000).dispose()
    _project(tmp_path / "large", 8_000).dispose()
    small, small_chars = _peak_listing(tmp_path / "small", fmt)
    large, large_chars = _peak_listing(tmp_path / "large", fmt)
    assert large_chars > 6 * small_chars  # the large listing really is larger
    assert large < 2 * small, (small, large)

"""Benchmark: REFI-QDA export and import of a realistic project, against plain baselines.

Project: 40 Chinese transcripts of 20,000 characters, 4 coders, 250 segments per coder and
document (40,000 segments), 12 codes. Baselines, measured in the same run:
- export: zipping the same texts plus a JSON dump of the segment rows (the least any export does);
- import: reading that zip and inserting the same rows with sqlite3 executemany (no parsing,
  no offset mapping, no ORM).
Run: python bench/bench_qdpx.py
"""

import hashlib
import json
import random
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from qualcode.services.exchange.qdpx import export_qdpx, import_qdpx  # noqa: E402
from qualcode.store.db import init_project  # noqa: E402
from qualcode.store.models import Code, Coder, Document, Segment  # noqa: E402

DOCS, CHARS, CODERS, PER_CODER, CODES = 40, 20_000, 4, 250, 12
SENTENCE = "我们和企业共建课程，企业派工程师授课。\n问：技术方面呢？\n答：共建实验室，联合攻关。\n"


def build(folder: Path) -> tuple[list[str], list[tuple[int, int, int, int, int]]]:
    rng = random.Random(7)
    project = init_project(str(folder))
    texts = [(SENTENCE * (CHARS // len(SENTENCE) + 1))[:CHARS] for _ in range(DOCS)]
    rows = []
    with project.write() as s:
        s.execute(insert(Coder), [{"name": f"coder{i}", "role": "coder"} for i in range(CODERS)])
        s.execute(
            insert(Code),
            [
                {
                    "key": f"C{i}",
                    "name_en": f"code {i}",
                    "name_zh": f"代码{i}",
                    "level": "code",
                    "codable": True,
                    "retired": False,
                    "sort_order": i,
                }
                for i in range(CODES)
            ],
        )
        s.execute(
            insert(Document),
            [
                {
                    "name": f"访谈{d:02d}",
                    "text": t,
                    "length": len(t),
                    "sha256": hashlib.sha256(f"{d}{t}".encode()).hexdigest(),
                }
                for d, t in enumerate(texts)
            ],
        )
        seen = set()
        for d in range(DOCS):
            for c in range(CODERS):
                n = 0
                while n < PER_CODER:
                    a = rng.randrange(0, CHARS - 200)
                    row = (d + 1, c + 1, rng.randrange(CODES) + 1, a, a + rng.randrange(5, 200))
                    if row not in seen:
                        seen.add(row)
                        rows.append(row)
                        n += 1
        s.execute(
            insert(Segment),
            [dict(zip(("document_id", "coder_id", "code_id", "start", "end"), r, strict=True)) for r in rows],
        )
    project.dispose()
    return texts, rows


def timed(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    texts, rows = build(tmp / "src")
    from qualcode.store.db import open_project

    src = open_project(str(tmp / "src"))

    def baseline_export() -> None:
        with zipfile.ZipFile(tmp / "base.zip", "w", zipfile.ZIP_DEFLATED) as z:
            for i, t in enumerate(texts):
                z.writestr(f"sources/{i}.txt", t.encode("utf-8"))
            z.writestr("rows.json", json.dumps(rows))

    t_export = timed(lambda: export_qdpx(src, tmp / "out.qdpx"))
    t_base_export = timed(baseline_export)

    counter = iter(range(100))

    def do_import() -> None:
        project = init_project(str(tmp / f"dst{next(counter)}"))
        summary = import_qdpx(project, tmp / "out.qdpx")
        assert summary["segments"] == len(rows), summary
        project.dispose()

    def baseline_import() -> None:
        with zipfile.ZipFile(tmp / "base.zip") as z:
            docs = [z.read(f"sources/{i}.txt").decode("utf-8") for i in range(DOCS)]
            data = json.loads(z.read("rows.json"))
        con = sqlite3.connect(tmp / f"base{next(counter)}.db")
        con.execute("CREATE TABLE d (id INTEGER PRIMARY KEY, text TEXT)")
        con.execute("CREATE TABLE s (d INT, c INT, k INT, a INT, b INT, UNIQUE (d, c, k, a, b))")
        con.executemany("INSERT INTO d (text) VALUES (?)", [(t,) for t in docs])
        con.executemany("INSERT INTO s VALUES (?, ?, ?, ?, ?)", data)
        con.commit()
        con.close()

    t_import = timed(do_import)
    t_base_import = timed(baseline_import)
    size = (tmp / "out.qdpx").stat().st_size
    print(
        f"project: {DOCS} documents x {CHARS} chars, {len(rows)} segments, {CODERS} coders; qdpx {size} bytes"
    )
    print(
        f"export_qdpx      {t_export:7.3f} s   baseline zip+json      {t_base_export:7.3f} s   "
        f"ratio {t_export / t_base_export:5.1f}x"
    )
    print(
        f"import_qdpx      {t_import:7.3f} s   baseline zip+executemany {t_base_import:5.3f} s   "
        f"ratio {t_import / t_base_import:5.1f}x"
    )


if __name__ == "__main__":
    main()

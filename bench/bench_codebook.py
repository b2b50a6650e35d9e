"""Codebook speed against named baselines measured in the same run.

1. Reading + validating the shipped codebook (positions, schema, typology rules) against
   a bare `yaml.safe_load` of the same text.
2. Merging a code carrying N segments (a third of them exact duplicates) into another, with
   every row change logged for undo, against a bare SQL `UPDATE segments SET code_id = ...`.
3. Undoing that merge.
Run: python bench/bench_codebook.py [--segments N]
"""

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from qualcode.io.codebook_yaml import read_codebook  # noqa: E402
from qualcode.services.codebook.curation import load_codebook, merge_codes, undo_last_codebook_change  # noqa: E402
from qualcode.store.db import Project, init_project  # noqa: E402
from qualcode.store.models import Coder, Document, Segment  # noqa: E402

SHIPPED = REPO / "codebooks" / "industry-education-consortium.yaml"


def timed(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def seeded(folder: Path, n: int) -> tuple[Project, int, int]:
    project = init_project(str(folder))
    load_codebook(project, SHIPPED)
    body = "受访者：" + "我们和企业一起开发课程。" * (n // 4 + 10)
    with project.write() as s:
        s.add(
            Document(name="d", text=body, length=len(body), sha256=hashlib.sha256(body.encode()).hexdigest())
        )
        s.add(Coder(name="lin"))
        s.flush()
        source = s.exec(text("SELECT id FROM codes WHERE key = 'TAL.CURR'")).scalar_one()
        target = s.exec(text("SELECT id FROM codes WHERE key = 'TAL.PROG'")).scalar_one()
        rows = [
            {"document_id": 1, "coder_id": 1, "code_id": source, "start": i, "end": i + 3} for i in range(n)
        ]
        rows += [
            {"document_id": 1, "coder_id": 1, "code_id": target, "start": i, "end": i + 3}
            for i in range(0, n, 3)
        ]
        s.execute(insert(Segment), rows)
    return project, source, target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--segments", type=int, default=10_000)
    n = parser.parse_args().segments
    raw = SHIPPED.read_text(encoding="utf-8")
    base = timed(lambda: yaml.safe_load(raw))
    ours = timed(lambda: read_codebook(SHIPPED))
    print(
        f"validate shipped codebook: {ours:.3f} s; baseline yaml.safe_load {base:.3f} s; ratio {ours / base:.1f}x"
    )

    with tempfile.TemporaryDirectory() as tmp:
        project, source, target = seeded(Path(tmp) / "a", n)
        start = time.perf_counter()
        with project.engine.begin() as conn:
            conn.execute(
                text("UPDATE segments SET code_id = :t WHERE code_id = :s AND start % 3 != 0"),
                {"t": target, "s": source},
            )
        sql = time.perf_counter() - start
        project.dispose()
        project, source, target = seeded(Path(tmp) / "b", n)
        start = time.perf_counter()
        result = merge_codes(project, "TAL.CURR", "TAL.PROG", actor="bench")
        merge = time.perf_counter() - start
        start = time.perf_counter()
        undo_last_codebook_change(project, actor="bench")
        undo = time.perf_counter() - start
        project.dispose()
    print(
        f"merge {n} segments ({result['duplicates_collapsed']} duplicates collapsed, every change logged): {merge:.2f} s; "
        f"baseline bare SQL UPDATE {sql:.3f} s; ratio {merge / sql:.0f}x"
    )
    print(f"undo that merge: {undo:.2f} s ({undo / merge:.1f}x the merge)")


if __name__ == "__main__":
    main()

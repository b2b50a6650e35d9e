"""Import 1,000 generated transcripts of 10,000 characters each into a new SQLite project.

Target (issue 3): under 10 s on a 2-core machine. Baseline in the same run: the same import
with units written by ORM add() per row instead of one executemany per document.
Run: python bench/bench_import.py [--files N] [--baseline-files N]
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode.services.sources import importing  # noqa: E402
from qualcode.services.sources.importing import import_paths  # noqa: E402
from qualcode.store.db import init_project  # noqa: E402
from qualcode.store.models import Unit  # noqa: E402

SENTENCES_ZH = [
    "我们根据园区企业的岗位需求调整专业设置。",
    "联合体理事会每季度召开一次会议。",
    "政府在土地和资金方面给予支持。",
    "校企共同开发课程并共建实训基地。",
    "目前最大的困难是企业参与的积极性不高。",
]
SENTENCES_EN = [
    "We adjust programmes to the needs of firms in the park. ",
    "The council meets every quarter. ",
    "The city supports us with land and funding. ",
    "Colleges and firms develop courses together. ",
]


def transcript(index: int, rng: random.Random, size: int = 10_000) -> str:
    chinese = index % 2 == 0
    header = (
        f"案例：联合体{index % 40}\n城市：城市{index % 12}\n身份：院校领导\n日期：2024-05-01\n\n"
        if chinese
        else f"Case: Consortium {index % 40}\nCity: City {index % 12}\nRole: expert\nDate: 2024-05-01\n\n"
    )
    parts = [header]
    length = len(header)
    question = 1
    while length < size:
        ask = (
            f"访谈者：问题{question}，请谈谈这方面的情况。\n"
            if chinese
            else f"Interviewer: Q{question}. Please tell me more.\n"
        )
        pool = SENTENCES_ZH if chinese else SENTENCES_EN
        answer = (
            ("受访者：" if chinese else "Respondent: ")
            + "".join(rng.choice(pool) for _ in range(rng.randint(4, 9)))
            + "\n\n"
        )
        parts += [ask, answer]
        length += len(ask) + len(answer)
        question = question % 10 + 1
    return "".join(parts)[:size].rstrip() + "\n"


def generate(folder: Path, count: int) -> int:
    rng = random.Random(7)
    folder.mkdir(parents=True)
    total = 0
    for i in range(count):
        text = transcript(i, rng)
        total += len(text)
        (folder / f"t{i:04d}.txt").write_text(text, encoding="utf-8" if i % 3 else "gb18030")
    return total


def orm_units(original):
    """The baseline: `_store_document` with units added one ORM object at a time."""

    def store(session, path, read, digest, attributes, case_keys, actor, batch):
        units, read.units = read.units, []
        summary = original(session, path, read, digest, attributes, case_keys, actor, batch)
        document_id = session.exec(
            importing.select(importing.Document.id).where(importing.Document.name == summary["document"])
        ).one()[0]
        for seq, u in enumerate(units, start=1):
            session.add(
                Unit(
                    document_id=document_id,
                    seq=seq,
                    kind=u.kind,
                    speaker=u.speaker,
                    speaker_role=u.speaker_role,
                    question_key=u.question_key,
                    question_confidence=u.question_confidence,
                    question_source=u.question_source,
                    start=u.start,
                    end=u.end,
                )
            )
        session.flush()
        read.units = units
        return summary

    return store


def run(folder: Path, project_dir: Path) -> tuple[float, float, int, int]:
    project = init_project(str(project_dir))
    started, cpu_started = time.perf_counter(), time.process_time()
    report = import_paths(project, [folder])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert not report.failed, report.failed[:3]
    units = sum(r["units"] for r in report.imported)
    project.dispose()
    return elapsed, cpu, len(report.imported), units


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--baseline-files", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        chars = generate(root / "in", args.files)
        elapsed, cpu, docs, units = run(root / "in", root / "bulk")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"bulk import: {docs} files, {chars:,} characters, {units:,} units in {elapsed:.2f} s "
            f"(CPU {cpu:.2f} s; {docs / elapsed:.0f} files/s); peak RSS {peak_mb:.0f} MB"
        )
        print(
            f"load average while running: {os.getloadavg()[0]:.2f} (wall time suffers when other work shares the 2 cores)"
        )
        baseline_in = root / "in"
        if args.baseline_files != args.files:
            baseline_in = root / "in-baseline"
            baseline_in.mkdir()
            for path in sorted((root / "in").iterdir())[: args.baseline_files]:
                (baseline_in / path.name).write_bytes(path.read_bytes())
        original = importing._store_document
        importing._store_document = orm_units(original)  # type: ignore[assignment]
        try:
            base_elapsed, base_cpu, base_docs, _ = run(baseline_in, root / "orm")
        finally:
            importing._store_document = original  # type: ignore[assignment]
        per_doc_bulk, per_doc_orm = elapsed / docs, base_elapsed / base_docs
        print(
            f"baseline (ORM add() per unit row): {base_docs} files in {base_elapsed:.2f} s (CPU {base_cpu:.2f} s)"
        )
        print(
            f"per file: bulk {per_doc_bulk * 1000:.1f} ms, ORM baseline {per_doc_orm * 1000:.1f} ms; "
            f"baseline/bulk = {per_doc_orm / per_doc_bulk:.2f}x wall, {(base_cpu / base_docs) / (cpu / docs):.2f}x CPU"
        )
        print(f"target < 10 s for 1,000 files: {'met' if elapsed < 10 and docs >= 1000 else 'NOT met'}")


if __name__ == "__main__":
    main()

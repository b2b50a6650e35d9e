"""Benchmark: the full project agreement report read from the database.

50 codes (5 dimensions) x 3 coders x 10,000 respondent answer units (500 documents), every
document marked done, ~2 codes per coder and answer (about 60,000 segments). Targets: the
report in < 1 s, and < 10 s with 1,000 bootstrap samples. Baseline measured in the same run:
loading the same segments as ORM objects (what a naive service would start with).

Run: python bench/bench_agreement_report.py [--keep DIR]
"""

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build(folder: Path, n_docs: int = 500, answers: int = 20, n_codes: int = 50, seed: int = 1) -> None:
    from sqlalchemy import insert

    from qualcode.store.db import init_project
    from qualcode.store.models import Code, Coder, Document, DocumentStatus, Segment, Unit

    rng = np.random.default_rng(seed)
    project = init_project(str(folder))
    answer_len, question_len = 90, 30
    with project.write() as s:
        docs, units = [], []
        for d in range(n_docs):
            text = ("问" * (question_len - 1) + "\n" + "答" * (answer_len - 1) + "\n") * answers
            docs.append(
                {
                    "id": d + 1,
                    "name": f"doc{d:04d}",
                    "text": text,
                    "length": len(text),
                    "sha256": hashlib.sha256(text.encode()).hexdigest(),
                }
            )
            pos = 0
            for a in range(answers):
                units.append(
                    {
                        "document_id": d + 1,
                        "seq": 2 * a,
                        "kind": "turn",
                        "speaker_role": "interviewer",
                        "start": pos,
                        "end": pos + question_len - 1,
                    }
                )
                pos += question_len
                units.append(
                    {
                        "document_id": d + 1,
                        "seq": 2 * a + 1,
                        "kind": "turn",
                        "speaker_role": "respondent",
                        "start": pos,
                        "end": pos + answer_len - 1,
                    }
                )
                pos += answer_len
        s.execute(insert(Document), docs)
        s.execute(insert(Unit), units)
        codes = [{"id": i + 1, "key": f"D{i}", "level": "dimension", "codable": False} for i in range(5)]
        codes += [
            {"id": 6 + k, "key": f"D{k % 5}.C{k}", "parent_id": 1 + k % 5, "level": "code"}
            for k in range(n_codes)
        ]
        s.execute(insert(Code), codes)
        s.execute(insert(Coder), [{"id": i + 1, "name": n} for i, n in enumerate(["lin", "chen", "wang"])])
        s.execute(
            insert(DocumentStatus),
            [
                {"document_id": d + 1, "coder_id": c + 1, "status": "done"}
                for d in range(n_docs)
                for c in range(3)
            ],
        )
        segs = []
        for d in range(n_docs):
            for a in range(answers):
                start = a * (question_len + answer_len) + question_len
                truth = rng.choice(n_codes, size=2, replace=False)
                for c in range(3):
                    chosen = [int(k) if rng.random() < 0.85 else int(rng.integers(n_codes)) for k in truth]
                    for j, k in enumerate(dict.fromkeys(chosen)):
                        segs.append(
                            {
                                "document_id": d + 1,
                                "coder_id": c + 1,
                                "code_id": 6 + k,
                                "start": start + 40 * j,
                                "end": start + 40 * j + 30,
                            }
                        )
        s.execute(insert(Segment), segs)
    project.dispose()


def timed(fn, repeat: int = 3):  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp()) / "bench"
    if not folder.exists():
        t0 = time.perf_counter()
        build(folder)
        print(f"built {folder} in {time.perf_counter() - t0:.1f} s")

    from sqlmodel import select

    from qualcode.services.agreement.project_report import agreement_report
    from qualcode.store.db import open_project
    from qualcode.store.models import Segment

    project = open_project(str(folder))

    def orm_load() -> int:
        with project.read() as s:
            return len(s.exec(select(Segment)).all())

    t_orm, n_seg = timed(orm_load)
    t_rep, rep = timed(lambda: agreement_report(project, n_boot=0))  # no intervals: the bare report
    t_boot, rep_b = timed(lambda: agreement_report(project, n_boot=1000, seed=1), repeat=1)
    print(f"project: 50 codes x 3 coders x {rep['n_units']:,} answer units, {n_seg:,} segments")
    print(f"  baseline, load the segments as ORM objects: {t_orm:.3f} s")
    print(
        f"  full report (codes, dimensions, pooled, pairs, {len(rep['documents'])} documents): {t_rep:.3f} s "
        f"({t_rep / t_orm:.2f}x the ORM load)"
    )
    print(f"  full report with 1,000 bootstrap samples: {t_boot:.3f} s ({t_boot / t_orm:.2f}x the ORM load)")
    pooled = rep_b["pooled"]["coefficients"]["krippendorff_alpha"]
    print(f"  pooled alpha {pooled['value']:.4f} [{pooled['ci_low']:.4f}, {pooled['ci_high']:.4f}]")
    project.dispose()


if __name__ == "__main__":
    main()

"""Benchmark: 100,000 coded segments to xlsx, against pandas DataFrame.to_excel(engine="openpyxl").

    python bench/bench_xlsx.py [N_SEGMENTS]

Builds a project with N segments (default 100,000) over 200 Chinese documents, then in
separate child processes (so each peak RSS is its own):
  baseline  the same Segments rows as a DataFrame, written with DataFrame.to_excel(engine="openpyxl")
  writer    the same rows through qualcode's write-only sheet writer (io/workbook.py)
  export    export_workbook(project, sheets=["Segments"]): read the store, build rows, write
Prints seconds, ratios to the baseline and peak RSS. Target: export <= 0.6 x baseline, < 500 MB.
"""

import hashlib
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from children import peak_mb, run_child  # bench/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


PHRASES = [
    "政府统筹财政资金和用地",
    "园区建设公共实训基地",
    "企业工程师到学校兼课",
    "联合研发新型储能技术",
    "专业设置对接主导产业",
    "We opened an order class",
    "人才需求清单每年发布一次",
    "=formula-looking memo",
]


def build(folder: Path, n_segments: int, n_docs: int = 200) -> None:
    from sqlalchemy import insert

    from qualcode.store.db import init_project
    from qualcode.store.models import Code, Coder, Document, DocumentAttribute, Segment, Unit

    rng = random.Random(7)
    project = init_project(str(folder))
    per_doc = n_segments // n_docs
    with project.write() as s:
        code_ids = []
        for d in ("TAL", "TEC", "ADM", "ACT"):
            root = Code(key=d, level="dimension", name_en=d, name_zh=d, codable=False)
            s.add(root)
            s.flush()
            for i in range(8):
                c = Code(
                    key=f"{d}.C{i}",
                    parent_id=root.id,
                    level="code",
                    name_en=f"{d} code {i}",
                    name_zh=f"{d}代码{i}",
                )
                s.add(c)
                s.flush()
                code_ids.append(c.id)
        coders = []
        for name in ("alice", "bob", "consensus"):
            c = Coder(name=name)
            s.add(c)
            s.flush()
            coders.append(c.id)
        seg_rows, unit_rows = [], []
        for d in range(n_docs):
            text = "\n".join(f"受访者：{''.join(rng.choice(PHRASES) for _ in range(6))}" for _ in range(60))
            doc = Document(
                name=f"doc{d:04d}",
                text=text,
                length=len(text),
                sha256=hashlib.sha256(text.encode()).hexdigest(),
            )
            s.add(doc)
            s.flush()
            s.add(DocumentAttribute(document_id=doc.id, key="Consortium", value=f"C{d % 12}"))
            s.add(
                DocumentAttribute(document_id=doc.id, key="Role", value=["gov", "ent", "sch", "res"][d % 4])
            )
            pos = 0
            for seq, line in enumerate(text.split("\n")):
                unit_rows.append(
                    {
                        "document_id": doc.id,
                        "seq": seq,
                        "kind": "answer",
                        "speaker": "R",
                        "speaker_role": "respondent",
                        "question_key": f"Q{seq % 12}",
                        "start": pos,
                        "end": pos + len(line),
                    }
                )
                pos += len(line) + 1
            seen = set()
            while len(seen) < per_doc:
                start = rng.randrange(0, len(text) - 200)
                key = (rng.choice(coders), rng.choice(code_ids), start, start + rng.randrange(10, 150))
                if key in seen:
                    continue
                seen.add(key)
                seg_rows.append(
                    {
                        "document_id": doc.id,
                        "coder_id": key[0],
                        "code_id": key[1],
                        "start": key[2],
                        "end": key[3],
                        "memo": rng.choice(PHRASES) if rng.random() < 0.2 else None,
                    }
                )
        s.execute(insert(Unit), unit_rows)
        s.execute(insert(Segment), seg_rows)
    project.dispose()


def child(mode: str, folder: str, out: str) -> None:
    from qualcode.store.db import open_project

    project = open_project(folder)
    if mode == "export":
        from qualcode.services.exchange.workbook import export_workbook

        t0 = time.perf_counter()
        export_workbook(project, out, sheets=["Segments"])
        elapsed = time.perf_counter() - t0
    else:
        from qualcode.services.analysis.data import load_analysis_data
        from qualcode.services.exchange.tables import default_unit, segment_rows

        data = load_analysis_data(project)
        table = segment_rows(data, default_unit(data))
        if mode == "baseline":
            import pandas as pd

            frame = pd.DataFrame(table.rows, columns=table.header)
            t0 = time.perf_counter()
            frame.to_excel(out, engine="openpyxl", index=False, sheet_name="Segments")
            elapsed = time.perf_counter() - t0
        else:
            from qualcode.io.workbook import WorkbookWriter

            t0 = time.perf_counter()
            book = WorkbookWriter()
            book.table(
                "Segments",
                table.header,
                table.rows,
                header_zh=table.header_zh,
                wrap=("text", "memo"),
                widths={"text": 60.0, "memo": 30.0},
            )
            book.save(Path(out))
            elapsed = time.perf_counter() - t0
    print(json.dumps({"mode": mode, "seconds": elapsed, "peak_mb": peak_mb()}))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bench-project"
        t0 = time.perf_counter()
        build(folder, n)
        print(f"built a project with {n} segments in {time.perf_counter() - t0:.1f} s")
        results = {}
        for mode in ("baseline", "writer", "export"):
            results[mode] = run_child(__file__, mode, str(folder), str(Path(tmp) / f"{mode}.xlsx"))
        base = results["baseline"]["seconds"]
        for mode, r in results.items():
            print(
                f"{mode:9s} {r['seconds']:7.2f} s  {r['seconds'] / base:5.2f} x baseline  peak RSS {r['peak_mb']:6.0f} MB"
            )
        ok = results["export"]["seconds"] <= 0.6 * base and results["export"]["peak_mb"] < 500
        print(f"target (export <= 0.6 x baseline, peak < 500 MB): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()

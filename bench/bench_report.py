"""Benchmark: the paper report and the saturation curve on 1,000 interviews and 100,000 segments.

    python bench/bench_report.py [N_DOCS] [N_SEGMENTS]

Builds a project with the shipped codebook (so the typology has its rules), N_DOCS interviews
(default 1,000) of 60 answers in 50 consortia with the four respondent roles, N_SEGMENTS coded
segments (default 100,000) from two coders and a consensus, every document marked done by both
coders. Then, each in its own child process (so each peak RSS is its own):

  numbers     the baseline: the five JSON reports the document is made of (evidence, agreement
              with 1,000 resamples, typology, configuration, saturation), computed and thrown away
  report      `qualcode report --docx` (the same five, laid out as tables and a figure, saved)
  saturation  the saturation report alone (the curve for each coder, the union and the consensus)

Prints seconds, the report's ratio to the baseline, and peak RSS. Targets (issue 17): saturation
curve < 2 s; full report < 10 s and < 300 MB.
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


ROLES = ["government official", "college leader", "corporate executive", "research expert"]
PHRASES = [
    "政府统筹财政资金和用地。",
    "园区建设公共实训基地。",
    "企业工程师到学校兼课。",
    "联合研发新型储能技术。",
    "专业设置对接主导产业。",
    "We opened an order class.",
    "人才需求清单每年发布一次。",
]


def build(folder: Path, n_docs: int, n_segments: int) -> None:
    from sqlalchemy import insert
    from sqlmodel import col, select

    from qualcode.services.codebook.curation import load_codebook
    from qualcode.store.db import init_project
    from qualcode.store.models import Code, Coder, Document, DocumentAttribute, DocumentStatus, Segment, Unit

    rng = random.Random(7)
    project = init_project(str(folder))
    load_codebook(project, ROOT / "codebooks" / "industry-education-consortium.yaml")
    per_doc = n_segments // n_docs
    with project.write() as s:
        codes = list(s.exec(select(Code.id).where(col(Code.codable))).all())
        coders = []
        for name in ("alice", "bob", "consensus"):
            coder = Coder(name=name, role="lead" if name == "consensus" else "coder")
            s.add(coder)
            s.flush()
            coders.append(coder.id)
        seg_rows, unit_rows, status_rows = [], [], []
        for d in range(n_docs):
            text = "\n".join(f"受访者：{''.join(rng.choice(PHRASES) for _ in range(5))}" for _ in range(60))
            doc = Document(
                name=f"doc{d:04d}",
                text=text,
                length=len(text),
                sha256=hashlib.sha256(text.encode()).hexdigest(),
            )
            s.add(doc)
            s.flush()
            s.add(DocumentAttribute(document_id=doc.id, key="Case", value=f"C{d % 50:02d}"))
            s.add(DocumentAttribute(document_id=doc.id, key="Role", value=ROLES[d % 4]))
            s.add(
                DocumentAttribute(
                    document_id=doc.id, key="Date", value=f"2024-{1 + d % 12:02d}-{1 + d % 28:02d}"
                )
            )
            pos = 0
            for seq, line in enumerate(text.split("\n")):
                unit_rows.append(
                    {
                        "document_id": doc.id,
                        "seq": seq,
                        "kind": "turn",
                        "speaker": "R",
                        "speaker_role": "respondent",
                        "start": pos,
                        "end": pos + len(line),
                    }
                )
                pos += len(line) + 1
            for coder in coders[:2]:
                status_rows.append({"document_id": doc.id, "coder_id": coder, "status": "done"})
            seen = set()
            while len(seen) < per_doc:
                start = rng.randrange(0, len(text) - 200)
                key = (rng.choice(coders), rng.choice(codes), start, start + rng.randrange(10, 150))
                if key not in seen:
                    seen.add(key)
                    seg_rows.append(
                        {
                            "document_id": doc.id,
                            "coder_id": key[0],
                            "code_id": key[1],
                            "start": key[2],
                            "end": key[3],
                        }
                    )
        s.execute(insert(Unit), unit_rows)
        s.execute(insert(Segment), seg_rows)
        s.execute(insert(DocumentStatus), status_rows)
    project.dispose()


def child(mode: str, folder: str, out: str) -> None:
    from qualcode.store.db import open_project

    project = open_project(folder)
    started = time.perf_counter()
    if mode == "numbers":
        from qualcode.services.agreement.project_report import agreement_report
        from qualcode.services.analysis.configuration import configuration_table
        from qualcode.services.analysis.data import load_analysis_data
        from qualcode.services.analysis.evidence import evidence_table
        from qualcode.services.analysis.saturation import saturation_report
        from qualcode.services.analysis.typology import compute_typology

        data = load_analysis_data(project)
        evidence_table(project, data=data)
        agreement_report(project)
        compute_typology(project, data=data)
        configuration_table(project, data=data)
        saturation_report(project, levels=("code",))
    elif mode == "report":
        from qualcode.services.exchange.paper_report import write_report

        summary = write_report(project, out, language_name="zh_CN")
        assert not summary["omitted"], summary["omitted"]
    elif mode == "saturation":
        from qualcode.services.analysis.saturation import saturation_report

        saturation_report(project)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "cpu": time.process_time()}))


def main() -> None:
    n_docs = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    n_segments = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bench"
        started = time.perf_counter()
        build(folder, n_docs, n_segments)
        print(f"built {n_docs} interviews, {n_segments} segments in {time.perf_counter() - started:.1f} s")
        results = {
            mode: run_child(__file__, mode, str(folder), str(Path(tmp) / "report.docx"))
            for mode in ("numbers", "report", "saturation")
        }
    for mode, r in results.items():
        print(f"{mode:<11} {r['seconds']:7.2f} s  cpu {r['cpu']:7.2f} s  peak {r['peak_mb']:6.0f} MB")
    print(f"report / numbers: {results['report']['seconds'] / results['numbers']['seconds']:.2f}x")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
    else:
        main()

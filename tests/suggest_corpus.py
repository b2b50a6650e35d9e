"""Generated interview corpora for the suggester: codes decided by wording, or by chance.

`WORD` is a positive control (applied exactly when the answer contains its phrase), `RAND` a
negative control (applied at random, whatever the answer says). Built with direct inserts.
"""

import hashlib
import random
from pathlib import Path

from qualcode.store.db import Project, init_project
from qualcode.store.models import Code, Coder, Document, DocumentAttribute, DocumentStatus, Segment, Unit

PHRASE = "开设储能专业"
FILLERS = [
    "我们和企业一起建设实训基地",
    "政府每年给联合体拨款",
    "老师到工厂挂职锻炼",
    "学生的就业率比较高",
    "学校的专业设置还在调整",
    "园区的龙头企业参与很积极",
    "我们制定了联合体的章程",
    "资金主要来自市财政",
    "技术服务收入逐年增加",
    "人才培养方案每年修订",
    "我们请工程师来上课",
    "理事会每季度开一次会",
]


def build_corpus(
    tmp_path: Path,
    *,
    n_docs: int = 12,
    answers: int = 10,
    seed: int = 7,
    respondent_attr: bool = False,
) -> tuple[Project, dict[str, int]]:
    """Documents with interviewer/respondent turns; coders lin and chen (done everywhere) and
    consensus code WORD where the phrase occurs and RAND at random (35% of answers)."""
    rng = random.Random(seed)
    project = init_project(str(tmp_path / "corpus"))
    ids: dict[str, int] = {}
    with project.write() as s:
        for key, parent, level in (
            ("DIM", None, "dimension"),
            ("WORD", "DIM", "code"),
            ("RAND", "DIM", "code"),
        ):
            code = Code(
                key=key, parent_id=ids.get(parent) if parent else None, level=level, codable=level == "code"
            )
            s.add(code)
            s.flush()
            ids[key] = code.id  # type: ignore[assignment]
        for name, role in (("lin", "coder"), ("chen", "coder"), ("lead", "lead"), ("consensus", "lead")):
            coder = Coder(name=name, role=role)
            s.add(coder)
            s.flush()
            ids[name] = coder.id  # type: ignore[assignment]
        for d in range(n_docs):
            lines, spans = [], []
            pos = 0
            for a in range(answers):
                q = f"访谈者：第{a + 1}个问题，请谈谈情况？"
                parts = rng.sample(FILLERS, 2)
                has = rng.random() < 0.4
                if has:
                    parts.insert(rng.randrange(3), PHRASE)
                answer = "受访者：" + "，".join(parts) + "。"
                for line, role in ((q, "interviewer"), (answer, "respondent")):
                    spans.append((pos, pos + len(line), role, has, rng.random() < 0.35))
                    lines.append(line)
                    pos += len(line) + 1
            text = "\n".join(lines) + "\n"
            doc = Document(
                name=f"d{d:02d}",
                text=text,
                length=len(text),
                sha256=hashlib.sha256(text.encode()).hexdigest(),
            )
            s.add(doc)
            s.flush()
            ids[doc.name] = doc.id  # type: ignore[assignment]
            if respondent_attr:
                # two documents per respondent: a second interview with the same person
                s.add(DocumentAttribute(document_id=doc.id, key="respondent", value=f"r{d // 2}"))
            for seq, (a, b, role, has, rand) in enumerate(spans):
                s.add(Unit(document_id=doc.id, seq=seq, kind="turn", speaker_role=role, start=a, end=b))
                if role != "respondent":
                    continue
                for coder in ("lin", "chen", "consensus"):
                    for key, on in (("WORD", has), ("RAND", rand)):
                        if on:
                            s.add(
                                Segment(
                                    document_id=doc.id, coder_id=ids[coder], code_id=ids[key], start=a, end=b
                                )
                            )
            for coder in ("lin", "chen"):
                s.add(DocumentStatus(document_id=doc.id, coder_id=ids[coder], status="done"))
    return project, ids


def human_rows(project: Project) -> list[tuple]:  # type: ignore[type-arg]
    """Every segment and status row of the people (not pseudo-coders), as raw tuples."""
    with project.read() as s:
        conn = s.connection()
        segs = conn.exec_driver_sql(
            "SELECT s.* FROM segments s JOIN coders c ON c.id = s.coder_id "
            "WHERE c.name NOT LIKE 'model:%' AND c.name NOT LIKE 'ai:%' ORDER BY s.id"
        ).fetchall()
        status = conn.exec_driver_sql(
            "SELECT * FROM document_status ORDER BY document_id, coder_id"
        ).fetchall()
    return [tuple(r) for r in segs] + [tuple(r) for r in status]

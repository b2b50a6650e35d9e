"""A small project for agreement service tests, built with direct row inserts."""

import hashlib
from pathlib import Path

from qualcode.store.db import Project, init_project
from qualcode.store.models import Code, Coder, Document, DocumentStatus, Segment, Unit

TEXT_1 = "访谈者：请介绍一下。\n受访者：我们开了储能专业。学生很多。\n访谈者：企业呢？\n受访者：企业提供实训基地。\n"
TEXT_2 = "Interviewer: Funding?\nRespondent: The city pays. It is enough.\nInterviewer: Staff?\nRespondent: Teachers come from firms.\n"


def _answers(text: str, marker: str) -> list[tuple[int, int, str]]:
    """(start, end, role) per line: lines starting with `marker` are respondent answers."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line:
            out.append((pos, pos + len(line), "respondent" if line.startswith(marker) else "interviewer"))
        pos += len(line) + 1
    return out


def build(tmp_path: Path, target: str | None = None) -> tuple[Project, dict[str, int]]:
    """Two documents, codes TAL.PROG, TAL.BASE (dimension TAL) and ADM.FUND (dimension ADM),
    coders lin, chen, wang, auto:q and consensus. `target` may be a PostgreSQL URL."""
    project = init_project(target or str(tmp_path / "p"))
    ids: dict[str, int] = {}
    with project.write() as s:
        for name, text, marker in (("doc1", TEXT_1, "受访者"), ("doc2", TEXT_2, "Respondent")):
            doc = Document(
                name=name, text=text, length=len(text), sha256=hashlib.sha256(text.encode()).hexdigest()
            )
            s.add(doc)
            s.flush()
            ids[name] = doc.id  # type: ignore[assignment]
            for seq, (a, b, role) in enumerate(_answers(text, marker)):
                s.add(Unit(document_id=doc.id, seq=seq, kind="turn", speaker_role=role, start=a, end=b))
        for key, parent, level, codable in (
            ("TAL", None, "dimension", False),
            ("TAL.PROG", "TAL", "code", True),
            ("TAL.BASE", "TAL", "code", True),
            ("ADM", None, "dimension", False),
            ("ADM.FUND", "ADM", "code", True),
        ):
            code = Code(
                key=key,
                parent_id=ids.get(parent) if parent else None,
                level=level,
                codable=codable,
                name_en=key,
            )
            s.add(code)
            s.flush()
            ids[key] = code.id  # type: ignore[assignment]
        for name in ("lin", "chen", "wang", "auto:q", "consensus"):
            coder = Coder(name=name, role="lead" if name == "consensus" else "coder")
            s.add(coder)
            s.flush()
            ids[name] = coder.id  # type: ignore[assignment]
    return project, ids


def code(
    project: Project,
    ids: dict[str, int],
    coder: str,
    doc: str,
    key: str,
    text_piece: str,
    occurrence: int = 0,
) -> None:
    with project.write() as s:
        text = s.get(Document, ids[doc]).text  # type: ignore[union-attr]
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(text_piece, start + 1)
        s.add(
            Segment(
                document_id=ids[doc],
                coder_id=ids[coder],
                code_id=ids[key],
                start=start,
                end=start + len(text_piece),
            )
        )


def done(project: Project, ids: dict[str, int], coder: str, doc: str, status: str = "done") -> None:
    with project.write() as s:
        s.merge(DocumentStatus(document_id=ids[doc], coder_id=ids[coder], status=status))

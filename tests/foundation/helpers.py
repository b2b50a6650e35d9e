"""Small builders for foundation tests: rows inserted straight into a fresh store."""

import hashlib

from qualcode.store.db import Project
from qualcode.store.models import Code, Coder, Document


def seed(
    project: Project,
    text: str = "访谈者：请介绍一下。\n受访者：我们开了储能专业。\nInterviewer: And?\nRespondent: Fine.",
) -> None:
    with project.write() as s:
        s.add(
            Document(
                name="doc1", text=text, length=len(text), sha256=hashlib.sha256(text.encode()).hexdigest()
            )
        )
        dim = Code(key="TAL", level="dimension", name_en="Talent", name_zh="人才", codable=False)
        s.add(dim)
        s.flush()
        s.add(Code(key="TAL.PROG", parent_id=dim.id, name_en="Programmes", name_zh="专业", color="#1f77b4"))
        s.add(Code(key="TAL.OLD", parent_id=dim.id, name_en="Old", name_zh="旧", retired=True))
        s.add(Coder(name="lin"))
        s.add(Coder(name="chen"))
        s.add(Coder(name="wang", role="lead"))

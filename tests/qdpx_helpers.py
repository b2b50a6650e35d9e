"""Shared builders for the REFI-QDA tests: a small bilingual coded project."""

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qualcode.store.db import Project, init_project
from qualcode.store.models import (
    Case,
    CaseMember,
    Code,
    Coder,
    Document,
    DocumentAttribute,
    Memo,
    Segment,
    Setting,
)

ZH = "问：联合体如何支持人才培养？\n答：我们和企业共建课程，企业派工程师授课。\n问：技术方面呢？\n答：共建实验室。"
EN = "Q: What about governance?\nA: The council meets twice a year.\nQ: Challenges?\nA: Funding is short."


def make_doc(name: str, text: str) -> Document:
    return Document(name=name, text=text, length=len(text), sha256=hashlib.sha256(text.encode()).hexdigest())


def build_project(path: Path, *, case_attribute: bool = True) -> Project:
    """Two documents (Chinese, English), two coders, a 3-level codebook, segments, attributes, memos."""
    project = init_project(str(path))
    when = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    with project.write() as s:
        alice, bob = Coder(name="alice", role="lead"), Coder(name="王芳")
        s.add_all([alice, bob])
        zh, en = make_doc("访谈01 政府官员", ZH), make_doc("interview-02", EN)
        s.add_all([zh, en])
        s.flush()
        tal = Code(
            key="TAL",
            level="dimension",
            name_en="Talent resource supply",
            name_zh="人才资源供给",
            codable=False,
            color="#1f77b4",
            definition="Resources for people.\nTwo lines.",
        )
        s.add(tal)
        s.flush()
        curr = Code(
            key="TAL.CURR",
            parent_id=tal.id,
            level="code",
            name_en="Curriculum co-development",
            name_zh="课程共建",
            inclusion="Courses",
            inclusion_zh="包括课程",
            exclusion="Not internships",
            exclusion_zh="不包括实习",
            definition_zh="与企业共同开发课程。",
            color="#abc",
            example_zh="我们和企业共建课程",
            sort_order=1,
        )
        teach = Code(
            key="TAL.TEACH",
            parent_id=tal.id,
            level="code",
            name_en="",
            name_zh="企业教师",
            color="#FF0000AA",
            sort_order=2,
            retired=True,
        )
        gov = Code(key="GOV", level="dimension", name_en="Governance", name_zh="治理", sort_order=3)
        s.add_all([curr, teach, gov])
        s.flush()
        seg_specs: list[tuple[Any, ...]] = [
            (zh, alice, curr, ZH.index("我们"), ZH.index("，企业")),
            (zh, bob, curr, ZH.index("我们"), ZH.index("。\n问：技术")),
            (zh, bob, teach, ZH.index("企业派"), ZH.index("授课") + 2),
            (en, alice, gov, EN.index("The council"), EN.index("year.") + 5),
            (en, bob, gov, 0, len(EN)),
        ]
        segs = [
            Segment(
                document_id=d.id,
                coder_id=c.id,
                code_id=k.id,
                start=a,
                end=b,
                created_at=when,
                updated_at=when,
            )
            for d, c, k, a, b in seg_specs
        ]
        segs[0].memo = "很重要"
        s.add_all(segs)
        s.flush()
        s.add_all(
            [
                DocumentAttribute(document_id=zh.id, key="role", value="government official"),
                DocumentAttribute(document_id=zh.id, key="consortium", value="宁波"),
                DocumentAttribute(document_id=zh.id, key="years", value="12", type="integer"),
                DocumentAttribute(document_id=en.id, key="role", value="expert"),
                DocumentAttribute(document_id=en.id, key="consortium", value="宁波"),
                DocumentAttribute(document_id=en.id, key="years", value="n/a", type="integer"),
                DocumentAttribute(document_id=en.id, key="visited", value="true", type="boolean"),
            ]
        )
        s.add_all(
            [
                Memo(
                    target_type="project",
                    coder_id=alice.id,
                    title="Plan",
                    text="Code all 40 interviews.",
                    created_at=when,
                    updated_at=when,
                ),
                Memo(
                    target_type="document",
                    target_id=zh.id,
                    coder_id=bob.id,
                    text="受访者很坦率。",
                    created_at=when,
                    updated_at=when,
                ),
                Memo(
                    target_type="code",
                    target_id=curr.id,
                    coder_id=alice.id,
                    title="定义",
                    text="Check with Bob",
                    created_at=when,
                    updated_at=when,
                ),
                Memo(
                    target_type="segment",
                    target_id=segs[3].id,
                    coder_id=alice.id,
                    text="key quote",
                    created_at=when,
                    updated_at=when,
                ),
            ]
        )
        if case_attribute:
            s.add(Setting(key="case_attribute", value='"consortium"'))
            # a case row named like an attribute value: both must survive the round trip
            case = Case(name="宁波", description="Ningbo consortium")
            s.add(case)
            s.flush()
            s.add(CaseMember(case_id=case.id, document_id=zh.id))
    return project

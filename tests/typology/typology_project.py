"""A small two-consortium project for the typology and workbook tests, built row by row."""

import hashlib
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"
RULES: dict[str, Any] = json.loads((DATA / "typology_rules.json").read_text(encoding="utf-8"))[
    "stored_layout"
]

CODES = [  # key, parent, level, name_en, name_zh
    ("TAL", None, "dimension", "Talent resource supply", "人才资源供给"),
    ("TAL.PROG", "TAL", "code", "Programme alignment", "专业设置对接产业"),
    ("TEC", None, "dimension", "Technological resource empowerment", "科技资源赋能"),
    ("TEC.PLAT", "TEC", "category", "Platforms", "平台与联合创新"),
    ("TEC.CTP", "TEC.PLAT", "code", "Common technology platform", "公共技术平台"),
    ("TEC.RND", "TEC.PLAT", "code", "Joint R&D", "联合研发"),
    ("ADM", None, "dimension", "Administrative resource enhancement", "行政资源增强"),
    ("ADM.POLICY", "ADM", "code", "Policy packages", "政策供给"),
    ("ADM.SPACE", "ADM", "code", "Space and land", "空间载体"),
    ("ACT", None, "dimension", "Lead actor", "牵头主体"),
    ("ACT.GOV", "ACT", "code", "Government leads", "政府牵头"),
    ("ACT.PARK", "ACT", "code", "Park leads", "园区牵头"),
    ("ACT.ENT", "ACT", "code", "Enterprise leads", "企业牵头"),
    ("ACT.SCH", "ACT", "code", "School leads", "学校牵头"),
    ("CHL", None, "dimension", "Challenges", "挑战"),
    ("CHL.MOTIV", "CHL", "code", "=Weak motivation", "企业动力不足"),
]

ANSWER = (
    "我们市政府出台了一揽子政策，统筹财政资金和用地，园区和学校一起建设公共实训基地和技术平台。" * 2
)  # 92 chars

# document -> (consortium, role, [(coder, code, turn, start, end)]); turns 1 and 3 are answers
DOCS: dict[str, tuple[str, str, list[tuple[str, str, int, int, int]]]] = {
    "Haibin-gov": (
        "Haibin",
        "government",
        [
            ("alice", "ADM.POLICY", 1, 0, 60),
            ("alice", "ADM.SPACE", 1, 50, 80),
            ("alice", "ACT.GOV", 1, 0, 20),
            ("alice", "TAL.PROG", 3, 0, 10),
            ("bob", "ADM.POLICY", 1, 0, 50),
            ("bob", "ACT.GOV", 3, 0, 30),
            ("consensus", "ADM.POLICY", 1, 0, 60),
            ("consensus", "ACT.GOV", 1, 0, 20),
            ("consensus", "TAL.PROG", 3, 0, 10),
        ],
    ),
    "Haibin-ent": (
        "Haibin",
        "enterprise",
        [
            ("alice", "ADM.POLICY", 1, 0, 40),
            ("alice", "TEC.RND", 3, 0, 20),
            ("alice", "ACT.GOV", 1, 0, 10),
            ("bob", "ADM.POLICY", 1, 0, 40),
            ("bob", "ACT.GOV", 1, 0, 10),
            ("consensus", "ADM.POLICY", 1, 0, 40),
            ("consensus", "TEC.RND", 3, 0, 20),
            ("consensus", "ACT.GOV", 1, 0, 10),
        ],
    ),
    "Haibin-sch": (
        "Haibin",
        "school",
        [
            ("alice", "ADM.POLICY", 1, 0, 50),
            ("alice", "TAL.PROG", 3, 0, 30),
            ("alice", "ACT.SCH", 3, 40, 50),
            ("alice", "CHL.MOTIV", 3, 60, 70),
            ("consensus", "ADM.POLICY", 1, 0, 50),
            ("consensus", "TAL.PROG", 3, 0, 30),
            ("consensus", "ACT.GOV", 1, 0, 10),
        ],
    ),
    "Qingshan-gov": (
        "Qingshan",
        "government",
        [
            ("alice", "TEC.RND", 1, 0, 70),
            ("alice", "ACT.ENT", 1, 0, 20),
            ("alice", "ADM.POLICY", 3, 0, 20),
            ("consensus", "TEC.RND", 1, 0, 70),
            ("consensus", "ACT.ENT", 1, 0, 20),
            ("consensus", "ADM.POLICY", 3, 0, 20),
        ],
    ),
    "Qingshan-ent": (
        "Qingshan",
        "enterprise",
        [
            ("alice", "TEC.RND", 1, 0, 80),
            ("alice", "TEC.CTP", 3, 0, 30),
            ("alice", "ACT.ENT", 1, 0, 20),
            ("bob", "TEC.RND", 1, 10, 80),
            ("bob", "ACT.ENT", 3, 0, 20),
            ("consensus", "TEC.RND", 1, 0, 80),
            ("consensus", "TEC.CTP", 3, 0, 30),
            ("consensus", "ACT.ENT", 1, 0, 20),
        ],
    ),
}


def turns(doc: str) -> list[tuple[str, str, str]]:
    """(speaker_role, question_key, text) of each turn."""
    return [
        ("interviewer", "Q1", f"访谈员：{doc} 请介绍联合体的牵头单位？"),
        ("respondent", "Q1", ANSWER),
        ("interviewer", "Q2", "访谈员：资源如何共享？"),
        ("respondent", "Q2", ANSWER[::-1]),
    ]


def build(
    root: Path | str,
    docs: dict[str, Any] = DOCS,
    typology: dict[str, Any] | None = RULES,
    settings: dict[str, Any] | None = None,
    memo: str | None = None,
    chinese: frozenset[str] = frozenset(),
) -> Any:
    from qualcode.store.db import init_project
    from qualcode.store.models import Code, Coder, Document, DocumentAttribute, Segment, Setting, Unit

    project = init_project(str(root))
    with project.write() as s:
        code_ids: dict[str, int] = {}
        for i, (key, parent, level, en, zh) in enumerate(CODES):
            row = Code(
                key=key,
                parent_id=code_ids.get(parent) if parent else None,
                level=level,
                name_en=en,
                name_zh=zh,
                codable=level == "code",
                sort_order=i,
                definition=f"definition of {key}",
            )
            s.add(row)
            s.flush()
            code_ids[key] = row.id
        coder_ids: dict[str, int] = {}
        for name in ("alice", "bob", "consensus"):
            c = Coder(name=name, role="lead" if name == "consensus" else "coder")
            s.add(c)
            s.flush()
            coder_ids[name] = c.id
        for name, (consortium, role, segs) in docs.items():
            parts = turns(name)
            text = "\n".join(t for _, _, t in parts)
            doc = Document(
                name=name, text=text, length=len(text), sha256=hashlib.sha256(text.encode()).hexdigest()
            )
            s.add(doc)
            s.flush()
            zh = name in chinese  # a Chinese transcript header: 联合体 / 身份
            s.add(
                DocumentAttribute(document_id=doc.id, key="联合体" if zh else "Consortium", value=consortium)
            )
            s.add(DocumentAttribute(document_id=doc.id, key="身份" if zh else "Role", value=role))
            starts, pos = [], 0
            for seq, (speaker_role, q, t) in enumerate(parts):
                s.add(
                    Unit(
                        document_id=doc.id,
                        seq=seq,
                        kind="answer" if speaker_role == "respondent" else "turn",
                        speaker="R" if speaker_role == "respondent" else "I",
                        speaker_role=speaker_role,
                        question_key=q,
                        start=pos,
                        end=pos + len(t),
                    )
                )
                starts.append(pos)
                pos += len(t) + 1
            for coder, code, turn, a, b in segs:
                s.add(
                    Segment(
                        document_id=doc.id,
                        coder_id=coder_ids[coder],
                        code_id=code_ids[code],
                        start=starts[turn] + a,
                        end=starts[turn] + b,
                        memo=memo,
                    )
                )
        for key, value in {
            "codebook.typology": typology,
            "case_attribute": "Consortium",
            **(settings or {}),
        }.items():
            if value is not None:
                s.add(Setting(key=key, value=json.dumps(value, ensure_ascii=False)))
    return project


def twelve_consortia() -> dict[str, Any]:
    lead = {0: ("ADM.POLICY", "ACT.GOV"), 1: ("TEC.RND", "ACT.ENT"), 2: ("TAL.PROG", "ACT.SCH")}
    docs = {}
    for i in range(12):
        main, actor = lead[i % 3]
        other = "TEC.RND" if main != "TEC.RND" else "ADM.POLICY"
        docs[f"K{i:02d}-doc"] = (
            f"K{i:02d}",
            "government",
            [
                ("consensus", main, 1, 0, 70 + i),
                ("consensus", actor, 1, 0, 20),
                ("consensus", other, 3, 0, 5 + i),
            ],
        )
    return docs

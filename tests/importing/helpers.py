"""Transcripts and a guide shared by the import tests (written here, in every encoding needed)."""

from pathlib import Path

GUIDE_YAML = """\
questions:
  - key: Q1
    text_en: Please describe your work and your role in the consortium.
    text_zh: 请简单介绍您的工作及您在联合体中的角色。
    code_key: CTX
  - key: Q2
    text_en: How was the consortium formed, who leads it, and how is it governed?
    text_zh: 联合体是如何组建的？由谁牵头？治理结构如何？
    code_key: GOV
  - key: Q3
    text_en: How do programme design and curriculum development respond to industry needs?
    text_zh: 在专业设置和课程开发方面，联合体如何对接产业需求？
    code_key: TAL
  - key: Q4
    text_en: What is done in teaching practice, internships/training bases and teacher development?
    text_zh: 实践教学、实习实训和师资队伍建设方面有哪些做法？
  - key: Q5
    text_en: What progress is there on common technology platforms, joint R&D and technical services?
    text_zh: 在共性技术平台、联合研发和技术服务方面有哪些进展？
"""

# Skips Q2 and Q5, merges Q3 and Q4, asks Q1 by marker, a probe, and a question by its text.
EN_TRANSCRIPT = """\
Case: Haibin consortium
City: Haibin
Role: Government official
Date: 2024-05-01
Interviewer: Wang

Interviewer: Q1. Please describe your work and your role in the consortium.
Respondent: I coordinate the consortium council for the city.

Interviewer: Could you give an example?
Respondent: We meet every month with the colleges.

Interviewer: Let me ask about curriculum: how does curriculum development respond to industry needs?
Respondent: Firms sit on every programme committee.

Interviewer: Then Q3 and Q4 together, programmes and internships.
Respondent: Both are planned with the firms in the park.
"""

ZH_TRANSCRIPT = """\
案例：海滨市产教联合体
城市：海滨市
身份：院校领导
日期：2024-05-02
访谈者：李

访谈者：问题1，请您先介绍一下您的工作。
受访者：我是学院副院长，负责联合体秘书处。

访谈者：第三个问题，在专业设置和课程开发方面，联合体如何对接产业需求？
受访者：我们根据园区企业的岗位需求调整专业。
张主任：我补充一点，课程由校企共同开发。

访谈者：问题4，实践教学方面呢？
张主任：我们和企业共建了实训基地。
"""


def write(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path

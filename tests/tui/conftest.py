"""A small bilingual project for the workbench tests, built once and copied per test.

The codebook is loaded by the codebook service; documents and units are inserted with the store
models directly, so that turns and guide questions are exactly known. The TUI only calls services.
"""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ZH_TEXT = (
    "访谈者：请您介绍一下联合体的组建过程。\n"
    "受访者：联合体是市政府一手推起来的。市里先出方案，再去动员企业和学校加入！一开始企业的积极性并不高。\n"
    "访谈者：人才培养方面呢？\n"
    "受访者：我们建了共享的公共实训基地，老师每年要去企业实践一个月。"
)
EN_TEXT = (
    "Interviewer: How was the consortium formed?\n"
    "Respondent: The city government pushed it. Companies joined later! At first they were reluctant.\n"
    "Interviewer: And talent training?\n"
    "Respondent: We built a shared training base. Teachers spend a month in companies every year."
)
CODEBOOK = """\
codebook:
  id: tui-test
  version: "1.0"
  title_en: Workbench test codebook
codes:
  - key: TAL
    name_en: Talent resource supply
    name_zh: 人才资源供给
    color: "#1F77B4"
    children:
      - key: TAL.TRAIN
        name_en: Practical training base
        name_zh: 实训基地
        color: "#2CA02C"
        definition: Definition of Practical training base.
        inclusion: Include 实训基地.
        exclusion: Exclude anything else.
      - key: TAL.TEACH
        name_en: Teacher development
        name_zh: 师资培养
        color: "#FF7F0E"
  - key: ADM
    name_en: Administrative resource enhancement
    name_zh: 行政资源赋能
    color: "#9467BD"
    children:
      - key: ADM.GOV
        name_en: Government leadership
        name_zh: 政府主导
        color: "#D62728"
"""


def _turns(text: str) -> list[tuple[int, int, str, str, str]]:
    out, pos, q = [], 0, 0
    for line in text.split("\n"):
        label = line.split("：")[0] if "：" in line else line.split(":")[0]
        role = "interviewer" if label in ("访谈者", "Interviewer") else "respondent"
        if role == "interviewer":
            q += 1
        out.append((pos, pos + len(line), label, role, f"Q{q}"))
        pos += len(line) + 1
    return out


def build_project(folder: Path, docs: dict[str, tuple[str, str, str]] | None = None) -> None:
    from qualcode.services.codebook.curation import load_codebook
    from qualcode.services.coders import add_coder
    from qualcode.store.db import init_project
    from qualcode.store.models import Document, DocumentAttribute, Question, Unit

    project = init_project(str(folder))
    add_coder(project, "alice")
    add_coder(project, "bob")
    add_coder(project, "lead", role="lead")
    folder.mkdir(parents=True, exist_ok=True)
    codebook = folder.parent / "codebook.yaml"
    codebook.write_text(CODEBOOK, encoding="utf-8")
    load_codebook(project, codebook)
    with project.write() as session:
        session.add(
            Question(
                key="Q1", order=1, text_en="How was the consortium formed?", text_zh="联合体是怎么组建的？"
            )
        )
        session.add(Question(key="Q2", order=2, text_en="Talent training?", text_zh="人才培养方面呢？"))
        for name, (text, lang, role) in (
            docs or {"zh-gov": (ZH_TEXT, "zh", "政府官员"), "en-res": (EN_TEXT, "en", "expert")}
        ).items():
            doc = Document(name=name, text=text, length=len(text), sha256=name, language=lang)
            session.add(doc)
            session.flush()
            session.add(
                DocumentAttribute(document_id=doc.id, key="身份" if lang == "zh" else "Role", value=role)
            )
            for seq, (start, end, speaker, srole, qkey) in enumerate(_turns(text)):
                session.add(
                    Unit(
                        document_id=doc.id,
                        seq=seq,
                        speaker=speaker,
                        speaker_role=srole,
                        question_key=qkey,
                        start=start,
                        end=end,
                        kind="answer" if srole == "respondent" else "turn",
                    )
                )
    project.dispose()


@pytest.fixture(scope="session")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template") / "project"
    build_project(folder)
    return folder


@pytest.fixture
def project_dir(template_project: Path, tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "project"
    shutil.copytree(template_project, target)
    yield target


@pytest.fixture
def project(project_dir: Path) -> Iterator[object]:
    from qualcode.store.db import open_project

    p = open_project(str(project_dir))
    yield p
    p.dispose()


@pytest.fixture(autouse=True)
def _own_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test has its own user config dir (the language choice is remembered there) and
    leaves the process's interface language as it found it: English, nothing pinned."""
    from qualcode.i18n import start_language

    monkeypatch.setenv("QUALCODE_CONFIG_DIR", str(tmp_path / "user-config"))
    monkeypatch.delenv("QUALCODE_LANG", raising=False)
    yield
    start_language(None, {})

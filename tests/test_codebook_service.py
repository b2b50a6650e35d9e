"""Loading codebooks onto projects and evolving them while coded data exists."""

import hashlib
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from qualcode.core.errors import QualcodeError, ValidationError
from qualcode.services.codebook.curation import (
    add_code,
    codebook_info,
    create_code,
    current_codebook,
    edit_code,
    list_codes,
    load_codebook,
    merge_codes,
    move_code,
    rename_code,
    retire_code,
    undo_last_codebook_change,
    unretire_code,
)
from qualcode.store.db import Project, init_project
from qualcode.store.models import Code, Coder, Document, Event, Memo, Question, Segment

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "codebooks" / "industry-education-consortium.yaml"

SMALL = """\
codebook: {id: small, version: "1"}
codes:
  - key: TAL
    name_en: Talent
    name_zh: 人才
    children:
      - {key: TAL.PROG, name_en: Programmes, name_zh: 专业设置}
      - {key: TAL.CURR, name_en: Curricula, name_zh: 课程}
  - key: TEC
    name_en: Technology
    children:
      - {key: TEC.CTP, name_en: Platform}
      - {key: TEC.RND, name_en: Joint R&D}
typology:
  id: t
  variables:
    dim: {of: [TAL, TEC]}
    hub: {expression: present(TEC.CTP)}
  types:
    - {id: A, name_en: A, rule: dim.TAL > 0.5 and hub, lead_actor: TEC.CTP}
"""


@pytest.fixture
def project(project_target: str) -> Project:
    """A fresh project on SQLite and, when a server is given, on PostgreSQL."""
    p = init_project(project_target)
    yield p
    p.dispose()


def write(tmp_path: Path, text: str, name: str = "cb.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def seed_docs(project: Project) -> None:
    text = "我们开了储能专业，也和企业一起编教材。" * 3
    with project.write() as s:
        s.add(
            Document(name="d1", text=text, length=len(text), sha256=hashlib.sha256(text.encode()).hexdigest())
        )
        s.add(Coder(name="lin"))
        s.add(Coder(name="chen"))


def code_segment(
    project: Project, key: str, coder: str, start: int, end: int, memo: str | None = None
) -> None:
    with project.write() as s:
        code = s.exec(select(Code).where(Code.key == key)).one()
        who = s.exec(select(Coder).where(Coder.name == coder)).one()
        doc = s.exec(select(Document)).first()
        s.add(Segment(document_id=doc.id, coder_id=who.id, code_id=code.id, start=start, end=end, memo=memo))


def segments(project: Project) -> list[tuple[str, str, int, int, Any]]:
    with project.read() as s:
        rows = s.exec(
            select(Code.key, Coder.name, Segment.start, Segment.end, Segment.memo)
            .join(Code, Code.id == Segment.code_id)
            .join(Coder, Coder.id == Segment.coder_id)
        ).all()
    return sorted(tuple(r) for r in rows)


def snapshot(project: Project) -> tuple[Any, ...]:
    """Everything a codebook change may touch, to prove a refused change left it alone."""
    return (list_codes(project), segments(project), codebook_info(project), current_codebook(project))


@pytest.fixture
def loaded(project: Project, tmp_path: Path) -> Project:
    load_codebook(project, write(tmp_path, SMALL), actor="wang")
    seed_docs(project)
    code_segment(project, "TAL.PROG", "lin", 0, 5)
    code_segment(project, "TAL.PROG", "chen", 0, 5, memo="chen's note")
    code_segment(project, "TAL.CURR", "lin", 0, 5, memo="lin's note")
    code_segment(project, "TAL.CURR", "lin", 6, 9)
    return project


def test_load_shipped_codebook(project: Project) -> None:
    result = load_codebook(project, SHIPPED, actor="wang")
    assert result["id"] == "industry-education-consortium" and result["version"] == 1
    codes = list_codes(project)
    keys = [c["key"] for c in codes]
    assert keys[:3] == ["TAL", "TAL.EDU", "TAL.PROG"]
    prog = next(c for c in codes if c["key"] == "TAL.PROG")
    assert (
        prog["dimension"] == "TAL" and prog["parent"] == "TAL.EDU" and prog["name_zh"] == "专业设置对接产业"
    )
    assert prog["codable"] and not prog["retired"] and prog["color"].startswith("#")
    assert all(c["guid"] for c in codes)
    info = codebook_info(project)
    assert (
        info["id"] == "industry-education-consortium" and info["version"] == 1 and len(info["sha256"]) == 64
    )
    book = current_codebook(project)
    assert book.typology is not None and [t.id for t in book.typology.types][0] == "GOV_LED"
    # reloading the same file changes nothing, so the version stays
    assert load_codebook(project, SHIPPED)["version"] == 1
    guids = {c["key"]: c["guid"] for c in codes}
    assert {c["key"]: c["guid"] for c in list_codes(project)} == guids


def test_load_refuses_to_orphan_segments(loaded: Project, tmp_path: Path) -> None:
    before = snapshot(loaded)
    smaller = SMALL.replace("      - {key: TAL.CURR, name_en: Curricula, name_zh: 课程}\n", "")
    path = write(tmp_path, smaller, "smaller.yaml")
    with pytest.raises(
        QualcodeError, match=r"would orphan coded segments of codes it no longer has: TAL.CURR \(2\)"
    ):
        load_codebook(loaded, path)
    assert snapshot(loaded) == before
    result = load_codebook(loaded, path, retire_missing=True)
    assert result["retired"] == ["TAL.CURR"]
    curr = next(c for c in list_codes(loaded) if c["key"] == "TAL.CURR")
    assert curr["retired"] and curr["parent"] == "TAL"
    assert len(segments(loaded)) == 4


def test_load_deletes_unused_codes_and_invalid_file_changes_nothing(loaded: Project, tmp_path: Path) -> None:
    fewer = SMALL.replace("      - {key: TEC.RND, name_en: Joint R&D}\n", "")
    load_codebook(loaded, write(tmp_path, fewer))
    assert "TEC.RND" not in [c["key"] for c in list_codes(loaded)]
    before = snapshot(loaded)
    with pytest.raises(ValidationError, match=r"bad.yaml:3:5"):
        load_codebook(loaded, write(tmp_path, "codebook: {id: x}\ncodes:\n  - nme: 1\n", "bad.yaml"))
    assert snapshot(loaded) == before


def test_add_and_in_vivo_create(loaded: Project) -> None:
    v = codebook_info(loaded)["version"]
    create_code(loaded, "TAL.MATCH", "TAL", "Matching", "人才对接", actor="lin")
    row = next(c for c in list_codes(loaded) if c["key"] == "TAL.MATCH")
    assert row["codable"] and row["level"] == "code" and row["dimension"] == "TAL" and row["guid"]
    assert codebook_info(loaded)["version"] == v + 1
    keys = [c["key"] for c in list_codes(loaded)]
    assert keys.index("TAL.MATCH") < keys.index("TEC")  # placed inside its dimension
    before = snapshot(loaded)
    with pytest.raises(ValidationError, match="already exists"):
        create_code(loaded, "TAL.MATCH", "TAL", "Again", "", actor="lin")
    with pytest.raises(ValidationError, match="no code 'NOPE'"):
        create_code(loaded, "X.Y", "NOPE", "x", "", actor="lin")
    with pytest.raises(ValidationError, match="not a valid code key"):
        create_code(loaded, "bad key", "TAL", "x", "", actor="lin")
    with pytest.raises(ValidationError, match="needs a name"):
        create_code(loaded, "TAL.NEW", "TAL", "", " ", actor="lin")
    assert snapshot(loaded) == before


def test_rename_key_and_names_keeps_segments_and_typology(loaded: Project) -> None:
    with loaded.write() as s:
        s.add(Question(key="Q3", code_key="TEC.CTP"))
    rename_code(loaded, "TEC.CTP", new_key="TEC.PLATFORM", name_zh="共性平台", actor="wang")
    book = current_codebook(loaded)
    assert book.get("TEC.PLATFORM").name_zh == "共性平台"
    assert book.typology.derived[0].expression == "present(TEC.PLATFORM)"
    assert book.typology.types[0].lead_actor == "TEC.PLATFORM"
    with loaded.read() as s:
        assert s.exec(select(Question.code_key)).one() == "TEC.PLATFORM"
    rename_code(loaded, "TAL.PROG", new_key="TAL.PROGRAMME")
    assert [k for k, *_ in segments(loaded)].count("TAL.PROGRAMME") == 2


def test_rename_refusals(loaded: Project) -> None:
    before = snapshot(loaded)
    with pytest.raises(ValidationError, match="already used"):
        rename_code(loaded, "TAL.PROG", new_key="TAL.CURR")
    with pytest.raises(ValidationError, match="not a valid code key"):
        rename_code(loaded, "TAL.PROG", new_key="TAL PROG")
    with pytest.raises(ValidationError, match="no code 'NOPE'"):
        rename_code(loaded, "NOPE", new_key="X")
    # renaming TAL changes the variable dim.TAL, which the rule of type A uses
    with pytest.raises(ValidationError, match=r"rename refused: type A, rule: unknown variable 'dim.TAL'"):
        rename_code(loaded, "TAL", new_key="TALENT")
    with pytest.raises(ValidationError, match="give a new key"):
        rename_code(loaded, "TAL.PROG")
    assert snapshot(loaded) == before


def test_edit_definitions(loaded: Project) -> None:
    edit_code(
        loaded, "TAL.PROG", definition="New definition.", inclusion="Use when…", color="#ABCDEF", actor="wang"
    )
    row = next(c for c in list_codes(loaded) if c["key"] == "TAL.PROG")
    assert (row["definition"], row["inclusion"], row["color"]) == ("New definition.", "Use when…", "#ABCDEF")
    before = snapshot(loaded)
    with pytest.raises(ValidationError, match="is not a colour"):
        edit_code(loaded, "TAL.PROG", color="teal")
    with pytest.raises(ValidationError, match="cannot edit level"):
        edit_code(loaded, "TAL.PROG", level="dimension")
    assert snapshot(loaded) == before


def test_move_and_cycles(loaded: Project) -> None:
    move_code(loaded, "TAL.CURR", "TEC", actor="wang")
    row = next(c for c in list_codes(loaded) if c["key"] == "TAL.CURR")
    assert row["parent"] == "TEC" and row["dimension"] == "TEC"
    before = snapshot(loaded)
    with pytest.raises(
        ValidationError, match="cannot move TEC under TAL.CURR: TAL.CURR is TEC itself or inside it"
    ):
        move_code(loaded, "TEC", "TAL.CURR")
    with pytest.raises(ValidationError, match="cannot move TEC under TEC"):
        move_code(loaded, "TEC", "TEC")
    assert snapshot(loaded) == before


def test_merge_repoints_and_collapses_duplicates(loaded: Project) -> None:
    with loaded.write() as s:
        curr = s.exec(select(Code).where(Code.key == "TAL.CURR")).one()
        s.add(Memo(target_type="code", target_id=curr.id, text="about curricula"))
    result = merge_codes(loaded, "TAL.CURR", "TAL.PROG", actor="wang")
    assert result["segments_moved"] == 1 and result["duplicates_collapsed"] == 1
    assert segments(loaded) == [
        ("TAL.PROG", "chen", 0, 5, "chen's note"),
        ("TAL.PROG", "lin", 0, 5, "lin's note"),
        ("TAL.PROG", "lin", 6, 9, None),
    ]
    assert "TAL.CURR" not in [c["key"] for c in list_codes(loaded)]
    with loaded.read() as s:
        prog = s.exec(select(Code).where(Code.key == "TAL.PROG")).one()
        assert s.exec(select(Memo.target_id)).one() == prog.id


def test_merge_refusals(loaded: Project) -> None:
    before = snapshot(loaded)
    with pytest.raises(ValidationError, match="into itself"):
        merge_codes(loaded, "TAL.PROG", "TAL.PROG")
    with pytest.raises(ValidationError, match="TAL.PROG is inside TAL"):
        merge_codes(loaded, "TAL", "TAL.PROG")
    with pytest.raises(ValidationError, match="no code 'NOPE'"):
        merge_codes(loaded, "NOPE", "TAL.PROG")
    with pytest.raises(
        ValidationError,
        match=r"merge refused: .*present\(TEC.CTP\) names a code that is not in this codebook",
    ):
        merge_codes(loaded, "TEC.CTP", "TEC.RND")
    assert snapshot(loaded) == before


def test_retire_and_unretire(loaded: Project) -> None:
    retire_code(loaded, "TAL", actor="wang")
    flags = {c["key"]: c["retired"] for c in list_codes(loaded)}
    assert flags["TAL"] and flags["TAL.PROG"] and flags["TAL.CURR"] and not flags["TEC"]
    assert len(segments(loaded)) == 4  # kept for history and exports
    unretire_code(loaded, "TAL.PROG")
    flags = {c["key"]: c["retired"] for c in list_codes(loaded)}
    assert not flags["TAL.PROG"] and not flags["TAL"] and flags["TAL.CURR"]


def test_every_change_is_logged_versioned_and_undoable(loaded: Project) -> None:
    start = snapshot(loaded)
    v0 = codebook_info(loaded)["version"]
    steps = [
        lambda: add_code(loaded, "TEC.NEW", "TEC", "New", "新", actor="wang"),
        lambda: rename_code(loaded, "TAL.PROG", new_key="TAL.P2", name_en="Programmes 2", actor="wang"),
        lambda: edit_code(loaded, "TAL.CURR", definition="d", actor="wang"),
        lambda: move_code(loaded, "TAL.CURR", "TEC", actor="wang"),
        lambda: merge_codes(loaded, "TAL.CURR", "TAL.P2", actor="wang"),
        lambda: retire_code(loaded, "TEC", actor="wang"),
    ]
    states = [start]
    for i, step in enumerate(steps, 1):
        step()
        assert codebook_info(loaded)["version"] == v0 + i
        states.append(snapshot(loaded))
    with loaded.read() as s:
        actions = [e.action for e in s.exec(select(Event).where(Event.entity.like("codebook_%")))]
    for action in (
        "codebook.add",
        "codebook.rename",
        "codebook.edit",
        "codebook.move",
        "codebook.merge",
        "codebook.retire",
    ):
        assert action in actions
    for i in range(len(steps), 0, -1):
        undo_last_codebook_change(loaded, actor="wang")
        now = snapshot(loaded)
        expected = states[i - 1]
        assert now[0] == expected[0] and now[1] == expected[1] and now[3] == expected[3]
        assert now[2]["sha256"] == expected[2]["sha256"]
        assert now[2]["version"] > states[-1][2]["version"]  # versions never go back
    # undoing the initial load would delete codes that carry segments
    with pytest.raises(
        QualcodeError, match="cannot undo load: code TAL.(PROG|CURR) has been applied to text since"
    ):
        undo_last_codebook_change(loaded, actor="wang")
    assert snapshot(loaded)[:2] == start[:2]


def test_undo_of_a_first_load_empties_the_codebook(project: Project, tmp_path: Path) -> None:
    load_codebook(project, write(tmp_path, SMALL), actor="wang")
    undo_last_codebook_change(project, actor="wang")
    assert list_codes(project) == []
    assert current_codebook(project).typology is None and codebook_info(project)["id"] is None


def test_undo_refuses_when_data_moved_on(loaded: Project) -> None:
    add_code(loaded, "TEC.NEW", "TEC", "New", "", actor="wang")
    code_segment(loaded, "TEC.NEW", "lin", 1, 3)
    before = snapshot(loaded)
    with pytest.raises(
        QualcodeError, match="cannot undo add: code TEC.NEW has been applied to text since; retire it instead"
    ):
        undo_last_codebook_change(loaded, actor="wang")
    assert snapshot(loaded) == before


def test_nothing_to_undo(project: Project) -> None:
    with pytest.raises(QualcodeError, match="no codebook change to undo"):
        undo_last_codebook_change(project, actor="wang")


def test_evolving_without_codebook(project: Project) -> None:
    with pytest.raises(QualcodeError, match="has no codebook yet"):
        retire_code(project, "TAL")


def test_load_refuses_to_break_guide_links_and_retire_missing_clears_them(
    loaded: Project, tmp_path: Path
) -> None:
    with loaded.write() as s:
        s.add(Question(key="Q1", order=1, text_en="Programmes?", code_key="TEC.RND"))
        s.add(Question(key="Q2", order=2, text_en="Platforms?", code_key="TEC.CTP"))
        s.add(Question(key="Q3", order=3, text_en="Other?", code_key="TAL"))
    before = snapshot(loaded)
    fewer = SMALL.replace("      - {key: TEC.RND, name_en: Joint R&D}\n", "")
    path = write(tmp_path, fewer, "fewer.yaml")
    with pytest.raises(
        QualcodeError,
        match=r"interview-guide questions whose code_key names codes it no longer "
        r"has: Q1 \(TEC.RND\)\. .*--retire-missing",
    ):
        load_codebook(loaded, path)
    assert snapshot(loaded) == before

    def links() -> dict[str, str | None]:
        with loaded.read() as s:
            return {q.key: q.code_key for q in s.exec(select(Question))}

    assert links() == {"Q1": "TEC.RND", "Q2": "TEC.CTP", "Q3": "TAL"}
    result = load_codebook(loaded, path, retire_missing=True)
    assert result["guide_links_cleared"] == ["Q1 (TEC.RND)"] and result["retired"] == []
    assert links() == {"Q1": None, "Q2": "TEC.CTP", "Q3": "TAL"}
    assert "TEC.RND" not in [c["key"] for c in list_codes(loaded)]
    undo_last_codebook_change(loaded, actor="wang")
    assert links() == {"Q1": "TEC.RND", "Q2": "TEC.CTP", "Q3": "TAL"}
    assert "TEC.RND" in [c["key"] for c in list_codes(loaded)]


def test_load_lists_orphaned_segments_and_guide_links_together(loaded: Project, tmp_path: Path) -> None:
    with loaded.write() as s:
        s.add(Question(key="Q9", order=9, text_en="Curricula?", code_key="TAL.CURR"))
    smaller = SMALL.replace("      - {key: TAL.CURR, name_en: Curricula, name_zh: 课程}\n", "")
    with pytest.raises(
        QualcodeError,
        match=r"orphan coded segments of codes it no longer has: TAL.CURR \(2\); "
        r"and leave interview-guide questions .*: Q9 \(TAL.CURR\)",
    ):
        load_codebook(loaded, write(tmp_path, smaller, "smaller.yaml"))
    result = load_codebook(loaded, write(tmp_path, smaller, "smaller.yaml"), retire_missing=True)
    # the code is kept (retired) for its segments, but nothing is auto-coded into a retired code
    assert result["retired"] == ["TAL.CURR"] and result["guide_links_cleared"] == ["Q9 (TAL.CURR)"]

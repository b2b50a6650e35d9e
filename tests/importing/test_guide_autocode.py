from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.core.errors import NotFoundError, QualcodeError
from qualcode.services.coding.autocode import autocode, undo_autocode
from qualcode.services.sources.documents import show_document
from qualcode.services.sources.guide import guide_questions, load_guide_file, review, set_unit_question
from qualcode.services.sources.importing import import_paths
from qualcode.store.models import Code, Coder, Event, Segment
from tests.importing.helpers import EN_TRANSCRIPT, GUIDE_YAML, ZH_TRANSCRIPT, write


@pytest.fixture
def loaded(project, tmp_path: Path):
    import_paths(
        project, [write(tmp_path / "en.txt", EN_TRANSCRIPT), write(tmp_path / "zh.txt", ZH_TRANSCRIPT)]
    )
    load_guide_file(project, write(tmp_path / "guide.yaml", GUIDE_YAML))
    with project.write() as session:
        for key in ("CTX", "GOV", "TAL", "SPK", "PRAC"):
            session.add(Code(key=key, name_en=key))
    return project


def question_keys(project, name: str) -> list[str | None]:
    return [
        u["question_key"] for u in show_document(project, name)["units"] if u["speaker_role"] == "respondent"
    ]


def segment_count(project) -> int:
    with project.read() as session:
        return session.exec(select(func.count()).select_from(Segment)).one()[0]


def test_guide_yaml_and_csv(project, tmp_path: Path) -> None:
    assert load_guide_file(project, write(tmp_path / "g.yaml", GUIDE_YAML))["questions"] == 5
    csv_guide = "key,text_en,text_zh,order,code_key\nA,First?,第一？,2,\nB,Second?,第二？,1,TAL\n"
    load_guide_file(project, write(tmp_path / "g.csv", csv_guide))
    assert [(q["key"], q["code_key"]) for q in guide_questions(project)] == [("B", "TAL"), ("A", None)]


def test_guide_with_duplicate_keys_loads_nothing(project, tmp_path: Path) -> None:
    load_guide_file(project, write(tmp_path / "g.yaml", GUIDE_YAML))
    bad = write(tmp_path / "dup.csv", "key,text_en\nQ1,a\nQ2,b\nQ1,c\n")
    with pytest.raises(QualcodeError, match=r"^dup.csv: duplicate question keys Q1; nothing was loaded$"):
        load_guide_file(project, bad)
    assert [q["key"] for q in guide_questions(project)] == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    with pytest.raises(QualcodeError, match=r"^g.txt: a guide must be .yaml"):
        load_guide_file(project, write(tmp_path / "g.txt", "x"))


def test_loading_the_guide_realigns_imported_documents(loaded) -> None:
    assert question_keys(loaded, "en") == ["Q1", "Q1", "Q3", "Q3"]
    assert question_keys(loaded, "zh") == ["Q1", "Q3", "Q3", "Q4"]


def test_review_flags_weak_links_and_missing_questions(loaded) -> None:
    data = review(loaded)
    flagged = {(r["document"], r["seq"]): r["question_source"] for r in data["flagged"]}
    assert flagged == {("en", 4): "carried", ("en", 8): "merged"}
    assert data["missing"] == {"en": ["Q2", "Q4", "Q5"], "zh": ["Q2", "Q5"]}


def test_review_shows_what_was_asked_and_the_linked_question_text(loaded) -> None:
    rows = {(r["document"], r["seq"]): r for r in review(loaded)["flagged"]}
    carried = rows[("en", 4)]
    assert carried["question_key"] == "Q1"
    assert carried["question_text"] == "Please describe your work and your role in the consortium."
    assert carried["asked"] == "Could you give an example?"
    assert rows[("en", 8)]["asked"].startswith("Then Q3 and Q4 together")


def test_lead_corrects_a_link(loaded) -> None:
    result = set_unit_question(loaded, "en", 8, "Q4", actor="lead")
    assert result == {
        "document": "en",
        "seq": 8,
        "question_key": "Q4",
        "question_confidence": 1.0,
        "question_source": "manual",
    }
    assert ("en", 8) not in {(r["document"], r["seq"]) for r in review(loaded)["flagged"]}
    with loaded.read() as session:
        event = session.exec(select(Event).where(Event.action == "align")).scalars().one()
    assert event.actor == "lead" and '"question_source": "merged"' in event.before
    # a later re-alignment (new guide) keeps the correction
    assert question_keys(loaded, "en")[-1] == "Q4"
    with pytest.raises(QualcodeError, match="no guide question 'Q42'"):
        set_unit_question(loaded, "en", 8, "Q42", actor="lead")
    with pytest.raises(NotFoundError, match="'en' has no unit 99"):
        set_unit_question(loaded, "en", 99, "Q1", actor="lead")


def test_correcting_an_interviewer_turn_moves_its_answers(loaded) -> None:
    set_unit_question(loaded, "en", 3, "Q2", actor="lead")
    assert question_keys(loaded, "en") == ["Q1", "Q2", "Q3", "Q3"]


def test_autocode_by_question_preview_apply_undo(loaded) -> None:
    preview = autocode(loaded, "question", dry_run=True)
    assert preview.run_id is None and segment_count(loaded) == 0
    assert preview.counts == {"CTX": {"en": 2, "zh": 1}, "TAL": {"en": 2, "zh": 2}}
    applied = autocode(loaded, "question", actor="lead")
    assert applied.counts == preview.counts and segment_count(loaded) == 7
    with loaded.read() as session:
        coder = session.exec(select(Coder).where(Coder.name == "auto:question")).scalars().one()
        segment = session.exec(select(Segment).where(Segment.coder_id == coder.id)).scalars().first()
    text = show_document(loaded, "en")["text"]
    assert text[segment.start : segment.end] == "I coordinate the consortium council for the city."
    again = autocode(loaded, "question")
    assert (again.total, again.skipped_existing, again.run_id) == (0, 7, None)
    assert undo_autocode(loaded, applied.run_id) == 7
    assert segment_count(loaded) == 0
    with pytest.raises(QualcodeError, match="already undone"):
        undo_autocode(loaded, applied.run_id)
    with pytest.raises(NotFoundError):
        undo_autocode(loaded, "nope")


def test_autocode_by_speaker(loaded) -> None:
    result = autocode(loaded, "speaker", mapping={"张主任": "SPK"})
    assert result.counts == {"SPK": {"zh": 2}}
    with pytest.raises(QualcodeError, match="unknown code key"):
        autocode(loaded, "speaker", mapping={"respondent": "NOPE"})


def test_autocode_chinese_keyword_by_match_sentence_and_turn(loaded) -> None:
    text = show_document(loaded, "zh")["text"]
    match = autocode(loaded, "pattern", mapping={"实训基地": "PRAC"}, literal=True, dry_run=True)
    assert match.counts == {"PRAC": {"zh": 1}}
    autocode(loaded, "pattern", mapping={"校企|企业": "PRAC"}, scope="sentence")
    with loaded.read() as session:
        spans = sorted((s.start, s.end) for s in session.exec(select(Segment)).scalars())
    assert [text[s:e] for s, e in spans] == [
        "我们根据园区企业的岗位需求调整专业。",
        "我补充一点，课程由校企共同开发。",
        "我们和企业共建了实训基地。",
    ]
    turn = autocode(loaded, "pattern", mapping={"秘书处": "CTX"}, scope="turn", dry_run=True)
    assert turn.counts == {"CTX": {"zh": 1}}
    with pytest.raises(QualcodeError, match="bad regular expression"):
        autocode(loaded, "pattern", mapping={"(": "CTX"})


def test_generic_undo_and_redo_replay_an_autocode_run(loaded) -> None:
    from qualcode.services.coding.undo import redo, undo

    applied = autocode(loaded, "question", actor="lead")
    assert segment_count(loaded) == applied.total == 7
    assert len(undo(loaded, "lead")) == 7
    assert segment_count(loaded) == 0
    assert len(redo(loaded, "lead")) == 7
    assert segment_count(loaded) == 7


def test_english_sentence_scope(loaded) -> None:
    result = autocode(loaded, "pattern", mapping={r"\bfirms?\b": "TAL"}, scope="sentence")
    text = show_document(loaded, "en")["text"]
    with loaded.read() as session:
        quotes = sorted(text[s.start : s.end] for s in session.exec(select(Segment)).scalars())
    assert quotes == [
        "Both are planned with the firms in the park.",
        "Firms sit on every programme committee.",
    ]
    assert result.counts == {"TAL": {"en": 2}}


def test_guide_naming_codes_the_codebook_lacks_is_refused(project, tmp_path: Path) -> None:
    with project.write() as session:
        for key in ("CTX", "GOV"):
            session.add(Code(key=key, name_en=key))
    with pytest.raises(
        QualcodeError,
        match=r"guide.yaml: code_key names codes the project's codebook does not "
        r"have: Q3 \(TAL\); add them to the codebook or fix the guide",
    ):
        load_guide_file(project, write(tmp_path / "guide.yaml", GUIDE_YAML))
    assert guide_questions(project) == []


def test_autocode_never_applies_a_retired_or_uncodable_code(loaded) -> None:
    with loaded.write() as session:
        session.add(Code(key="OLD", name_en="old", retired=True))
        session.add(Code(key="DIM", name_en="dimension", level="dimension", codable=False))
    with pytest.raises(QualcodeError, match=r"cannot auto-code with OLD: the code is retired"):
        autocode(loaded, "speaker", mapping={"respondent": "OLD"}, dry_run=True)
    with pytest.raises(
        QualcodeError, match=r"cannot auto-code with DIM: it is a dimension, not a codable code"
    ):
        autocode(loaded, "pattern", mapping={"课程": "DIM"})
    assert segment_count(loaded) == 0


def test_guide_csv_with_chinese_headers_and_unknown_columns(project, tmp_path: Path) -> None:
    path = tmp_path / "guide.csv"
    path.write_text(
        "编号,中文问题,英文问题,顺序,备注\nQ1,请介绍您的工作,Describe your work,2,先问\n",
        encoding="utf-8-sig",
    )
    load_guide_file(project, path)
    assert guide_questions(project) == [
        {
            "key": "Q1",
            "order": 2,
            "text_en": "Describe your work",
            "text_zh": "请介绍您的工作",
            "code_key": None,
        }
    ]
    path.write_text("key,text_en,wording\nQ1,Describe,Describe your work\n", encoding="utf-8")
    with pytest.raises(
        QualcodeError,
        match=r"guide.csv: unknown column 'wording'; use key, text_en, text_zh, order, "
        r"code_key \(or 编号, 中文, 英文, 顺序, 代码\)",
    ):
        load_guide_file(project, path)
    assert guide_questions(project)[0]["text_en"] == "Describe your work"

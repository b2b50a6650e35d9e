import pytest

from qualcode.core.alignment import (
    REVIEW_BELOW,
    GuideQuestion,
    align_units,
    chinese_number,
    link_question,
    marker_numbers,
    needs_review,
)
from qualcode.core.transcript import parse_transcript
from tests.importing.helpers import EN_TRANSCRIPT, ZH_TRANSCRIPT

GUIDE = [
    GuideQuestion(
        "Q1",
        "Please describe your work and your role in the consortium.",
        "请简单介绍您的工作及您在联合体中的角色。",
        1,
    ),
    GuideQuestion(
        "Q2",
        "How was the consortium formed, who leads it, and how is it governed?",
        "联合体是如何组建的？由谁牵头？治理结构如何？",
        2,
    ),
    GuideQuestion(
        "Q3",
        "How do programme design and curriculum development respond to industry needs?",
        "在专业设置和课程开发方面，联合体如何对接产业需求？",
        3,
    ),
    GuideQuestion(
        "Q4",
        "What is done in teaching practice, internships/training bases and teacher development?",
        "实践教学、实习实训和师资队伍建设方面有哪些做法？",
        4,
    ),
]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("三", 3),
        ("7", 7),
        ("两", 2),
        ("兩", 2),
        ("三四", None),
    ],
)
def test_chinese_numbers(text: str, expected: int | None) -> None:
    assert chinese_number(text) == expected


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("Q3. How", [3]),
        ("Question 4: and", [4]),
        ("问题3：", [3]),
        ("第三个问题，", [3]),
        ("第3题", [3]),
        ("问题十二", [12]),
        ("Q3 and Q4", [3, 4]),
        ("FAQ3 is not a marker", []),
        ("这个问题很好", []),
        ("問題3：", [3]),
        ("第三個問題，", [3]),
        ("第兩題", [2]),
        ("這個問題很好", []),
    ],
)
def test_markers(text: str, numbers: list[int]) -> None:
    assert marker_numbers(text) == numbers


def test_link_by_marker_fuzzy_and_merge() -> None:
    assert link_question("访谈者：第三个问题", GUIDE).question_key == "Q3"
    fuzzy = link_question("访谈者：那么在专业设置和课程开发方面，联合体怎么对接产业需求？", GUIDE)
    assert (fuzzy.question_key, fuzzy.source) == ("Q3", "fuzzy")
    assert REVIEW_BELOW <= fuzzy.confidence < 1.0
    merged = link_question("Interviewer: Q3 and Q4 together", GUIDE)
    assert (merged.question_key, merged.source) == ("Q3", "merged")
    assert needs_review(merged.question_key, merged.confidence, merged.source)
    assert link_question("Interviewer: Thanks a lot, that is all.", GUIDE).question_key is None
    assert link_question("Interviewer: Q9?", GUIDE).question_key is None  # not in the guide: no guess


def test_transcript_that_skips_and_merges_questions() -> None:
    units = parse_transcript(EN_TRANSCRIPT).units
    align_units(EN_TRANSCRIPT, units, GUIDE)
    answers = [(u.question_key, u.question_source) for u in units if u.speaker_role == "respondent"]
    assert answers == [("Q1", "marker"), ("Q1", "carried"), ("Q3", "fuzzy"), ("Q3", "merged")]
    flagged = [
        needs_review(u.question_key, u.question_confidence, u.question_source)
        for u in units
        if u.speaker_role == "respondent"
    ]
    assert flagged == [False, True, False, True]
    assert units[5].question_confidence == pytest.approx(0.857, abs=0.01)
    assert "Q2" not in {u.question_key for u in units}


def test_chinese_transcript_and_second_respondent() -> None:
    units = parse_transcript(ZH_TRANSCRIPT).units
    align_units(ZH_TRANSCRIPT, units, GUIDE)
    assert [u.question_key for u in units] == ["Q1", "Q1", "Q3", "Q3", "Q3", "Q4", "Q4"]


def test_without_guide_markers_still_give_keys() -> None:
    units = parse_transcript(ZH_TRANSCRIPT).units
    align_units(ZH_TRANSCRIPT, units, [])
    assert [u.question_key for u in units] == ["Q1", "Q1", "Q3", "Q3", "Q3", "Q4", "Q4"]


def test_manual_links_are_kept_and_lead_the_answers_after_them() -> None:
    units = parse_transcript(EN_TRANSCRIPT).units
    units[2].question_key, units[2].question_confidence, units[2].question_source = "Q2", 1.0, "manual"
    align_units(EN_TRANSCRIPT, units, GUIDE)
    assert (units[2].question_key, units[3].question_key, units[3].question_source) == ("Q2", "Q2", "manual")


def test_paraphrases_get_a_weak_link_to_the_right_question() -> None:
    guide = GUIDE + [
        GuideQuestion(
            "Q6",
            "How are research results transferred and innovations incubated?",
            "科研成果转化和创新孵化的情况如何？",
            6,
        )
    ]
    english = link_question(
        "Interviewer: What about transferring results and incubating new ventures?", guide
    )
    chinese = link_question("访谈者：那实践教学和老师培养这一块呢？", guide)
    assert (english.question_key, chinese.question_key) == ("Q6", "Q4")
    assert english.source == chinese.source == "fuzzy"
    assert english.confidence < REVIEW_BELOW and chinese.confidence < REVIEW_BELOW
    assert link_question("Interviewer: Could you give an example?", guide).question_key is None


def test_a_short_question_is_not_linked_by_a_shared_phrase_alone() -> None:
    # "the consortium" occurs in Q1 and Q10 too: character similarity ties them (0.68 each)
    # above the question the content words name; the weak link must go to Q2, and be reviewed.
    guide = GUIDE + [GuideQuestion("Q10", "What do you recommend to improve the consortium?", None, 10)]
    link = link_question("Interviewer: How was the consortium formed?", guide)
    assert link.question_key == "Q2" and needs_review(link.question_key, link.confidence, link.source)
    strong = link_question("Interviewer: How was the consortium formed, and who leads it?", guide)
    assert strong.question_key == "Q2"

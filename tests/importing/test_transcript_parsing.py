import pytest

from qualcode.core.transcript import (
    INTERVIEWER,
    RESPONDENT,
    SpeakerRules,
    detect_language,
    parse_header,
    parse_transcript,
)
from tests.importing.helpers import EN_TRANSCRIPT, ZH_TRANSCRIPT


def spans(text: str, rules: SpeakerRules | None = None) -> list[tuple[str | None, str | None, str]]:
    return [(u.speaker, u.speaker_role, text[u.start : u.end]) for u in parse_transcript(text, rules).units]


def test_english_header_and_turns() -> None:
    parsed = parse_transcript(EN_TRANSCRIPT)
    assert parsed.attributes == {
        "Case": "Haibin consortium",
        "City": "Haibin",
        "Role": "Government official",
        "Date": "2024-05-01",
        "Interviewer": "Wang",
    }
    got = spans(EN_TRANSCRIPT)
    assert got[0] == (
        "Interviewer",
        INTERVIEWER,
        "Q1. Please describe your work and your role in the consortium.",
    )
    assert got[1] == ("Respondent", RESPONDENT, "I coordinate the consortium council for the city.")
    assert [role for _, role, _ in got] == [INTERVIEWER, RESPONDENT] * 4


def test_chinese_header_full_width_colon_and_named_speaker() -> None:
    parsed = parse_transcript(ZH_TRANSCRIPT)
    assert parsed.attributes["城市"] == "海滨市"
    assert parsed.attributes["身份"] == "院校领导"
    got = spans(ZH_TRANSCRIPT)
    assert got[4] == ("张主任", RESPONDENT, "我补充一点，课程由校企共同开发。")
    assert got[-1] == ("张主任", RESPONDENT, "我们和企业共建了实训基地。")
    assert got[0] == ("访谈者", INTERVIEWER, "问题1，请您先介绍一下您的工作。")


def test_interviewer_as_first_dialogue_line_is_not_a_header() -> None:
    text = "Interviewer: Hello there.\nRespondent: Hi.\n\nInterviewer: Q1 first question\nRespondent: An answer.\n"
    attributes, body = parse_header(text)
    assert (attributes, body) == ({}, 0)
    assert len(spans(text)) == 4


def test_short_labels_mixed_languages_and_multiline_turns() -> None:
    text = "Q: What do you do?\nA: I teach.\nI also run the lab.\n\n问：还有吗？\n答：没有了。\nI: Thanks.\nR: Welcome.\n"
    assert spans(text) == [
        ("Q", INTERVIEWER, "What do you do?"),
        ("A", RESPONDENT, "I teach.\nI also run the lab."),
        ("问", INTERVIEWER, "还有吗？"),
        ("答", RESPONDENT, "没有了。"),
        ("I", INTERVIEWER, "Thanks."),
        ("R", RESPONDENT, "Welcome."),
    ]


def test_named_speakers_need_two_turns_and_mapping_sets_roles() -> None:
    text = "王老师：第一个问题。\n张主任：好的。\n例如：这只是举例。\n王老师：谢谢。\n张主任：不客气。\n"
    got = spans(text)
    assert [s for s, _, _ in got] == [
        "王老师",
        "张主任",
        "王老师",
        "张主任",
    ]  # 例如 appears once: not a speaker
    assert "例如：这只是举例。" in got[1][2]
    mapped = spans(text, SpeakerRules(roles={"王老师": INTERVIEWER}))
    assert [r for _, r, _ in mapped] == [INTERVIEWER, RESPONDENT, INTERVIEWER, RESPONDENT]


def test_header_interviewer_name_is_an_interviewer_speaker() -> None:
    text = "Case: X\nInterviewer: Chen\n\nChen: Q1 please?\nLi: Sure.\nChen: Q2?\nLi: Yes.\n"
    assert [r for _, r, _ in spans(text)] == [INTERVIEWER, RESPONDENT] * 2


def test_no_labels_gives_paragraph_units() -> None:
    text = "First paragraph\nstill first.\n\nSecond paragraph.\n"
    units = parse_transcript(text).units
    assert [(u.kind, text[u.start : u.end]) for u in units] == [
        ("paragraph", "First paragraph\nstill first."),
        ("paragraph", "Second paragraph."),
    ]


def test_offsets_are_code_points_in_the_text() -> None:
    for unit in parse_transcript(ZH_TRANSCRIPT).units:
        assert 0 <= unit.start < unit.end <= len(ZH_TRANSCRIPT)
        assert not ZH_TRANSCRIPT[unit.start].isspace() and not ZH_TRANSCRIPT[unit.end - 1].isspace()


def test_language() -> None:
    assert detect_language(ZH_TRANSCRIPT) == "zh"
    assert detect_language(EN_TRANSCRIPT) == "en"
    assert detect_language("12345 ...") is None


def test_markdown_bold_labels_and_named_respondents() -> None:
    text = (
        "**Interviewer:** Q1, your role?\n**Respondent (Director Zhang):** I chair the council.\n\n"
        "访谈者：问题2？\n受访者（张主任）：市政府牵头。\n__Interviewer__: thanks\n"
    )
    assert spans(text) == [
        ("Interviewer", INTERVIEWER, "Q1, your role?"),
        ("Director Zhang", RESPONDENT, "I chair the council."),
        ("访谈者", INTERVIEWER, "问题2？"),
        ("张主任", RESPONDENT, "市政府牵头。"),
        ("Interviewer", INTERVIEWER, "thanks"),
    ]


def test_custom_labels() -> None:
    rules = SpeakerRules(labels={"研究员": INTERVIEWER, "专家": RESPONDENT}, named=False)
    text = "研究员：请谈谈平台。\n专家：平台服务了三十家企业。\nInterviewer: not a label here\n"
    assert [(s, r) for s, r, _ in spans(text, rules)] == [("研究员", INTERVIEWER), ("专家", RESPONDENT)]


def test_markdown_bold_header_keys() -> None:
    attributes, _ = parse_header("**City:** Haibin\n**Role**: expert\n\n**Interviewer:** Q1?\n")
    assert attributes == {"City": "Haibin", "Role": "expert"}


def test_traditional_chinese_labels_from_taiwan_and_hong_kong() -> None:
    # Big5 transcripts are written in traditional characters: 訪談者/受訪者, 問/答.
    text = "案例：台中\n\n訪談者：請問聯合體如何運作？\n受訪者：由市政府主導。\n問：還有呢？\n答：企業參與不深。\n採訪者：謝謝。\n被訪者：不客氣。"
    assert [(s, r) for s, r, _ in spans(text)] == [
        ("訪談者", INTERVIEWER),
        ("受訪者", RESPONDENT),
        ("問", INTERVIEWER),
        ("答", RESPONDENT),
        ("採訪者", INTERVIEWER),
        ("被訪者", RESPONDENT),
    ]
    assert spans(text)[1][2] == "由市政府主導。"
    from qualcode.core.transcript import header_key_variants

    assert "聯合體" in header_key_variants("Consortium") and "訪談者" in header_key_variants("访谈者")


@pytest.mark.parametrize(
    "title", ["# 访谈记录 03", "海滨市产教联合体访谈记录", "Interview 3 – Haibin", "**Interview 3**"]
)
def test_a_title_line_before_the_header_does_not_hide_it(title: str) -> None:
    text = f"{title}\n\n城市：海滨市\nRole: official\n\n访谈者：问题1？\n受访者：好。\n"
    parsed = parse_transcript(text)
    assert parsed.attributes == {"城市": "海滨市", "Role": "official"}
    assert [text[u.start : u.end] for u in parsed.units] == ["问题1？", "好。"]


def test_a_title_alone_is_not_a_header() -> None:
    text = "Interview 3\n\nInterviewer: Q1?\nRespondent: Fine.\n"
    assert parse_header(text) == ({}, 0)

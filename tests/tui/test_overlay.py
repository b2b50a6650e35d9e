"""Span arithmetic behind the transcript view (pure, no screen)."""

from itertools import pairwise

from qualcode.core.code_search import filter_tree, rank
from qualcode.core.overlay import Piece, disagreement_pieces, elementary_intervals, sentence_at, turn_body


def test_elementary_intervals_split_overlaps() -> None:
    pieces = elementary_intervals([(0, 10, "A"), (5, 15, "B"), (20, 25, "A")])
    assert pieces == [
        Piece(0, 5, frozenset("A")),
        Piece(5, 10, frozenset("AB")),
        Piece(10, 15, frozenset("B")),
        Piece(20, 25, frozenset("A")),
    ]


def test_elementary_intervals_same_label_twice_and_empty() -> None:
    assert elementary_intervals([(0, 4, "A"), (2, 6, "A"), (3, 3, "B")]) == [
        Piece(0, 2, frozenset("A")),
        Piece(2, 4, frozenset("A")),
        Piece(4, 6, frozenset("A")),
    ]
    assert elementary_intervals([]) == []


def test_elementary_intervals_cover_exactly_the_union() -> None:
    import random

    rng = random.Random(5)
    spans = [
        (s, s + rng.randint(1, 30), rng.choice("ABCD")) for s in (rng.randint(0, 200) for _ in range(60))
    ]
    pieces = elementary_intervals(spans)
    for p in pieces:
        for pos in (p.start, p.end - 1):
            assert p.labels == frozenset(lab for s, e, lab in spans if s <= pos < e)
    covered = {i for s, e, _ in spans for i in range(s, e)}
    assert covered == {i for p in pieces for i in range(p.start, p.end)}
    assert all(a.end <= b.start for a, b in pairwise(pieces))


def test_sentences_chinese_and_english() -> None:
    zh = "受访者：先出方案。再去动员企业！好吗？"
    assert zh[slice(*sentence_at(zh, zh.index("动员")))] == "再去动员企业！"
    assert zh[slice(*sentence_at(zh, 5))] == "受访者：先出方案。"
    en = "It began. Companies joined later! Fine?"
    assert en[slice(*sentence_at(en, en.index("joined")))] == "Companies joined later!"
    assert sentence_at("", 0) == (0, 0)
    assert sentence_at("a\nbc", 3) == (2, 4)


def test_turn_body_drops_the_speaker_label() -> None:
    text = "受访者：我们建了基地。\n"
    assert text[slice(*turn_body(text, 0, len(text)))] == "我们建了基地。"
    assert turn_body("Respondent: yes", 0, 15) == (12, 15)
    assert turn_body("no label here", 0, 13) == (0, 13)


def test_disagreements_between_coders() -> None:
    spans = [(0, 10, "a", "X"), (0, 10, "b", "X"), (10, 20, "a", "Y"), (12, 20, "b", "Z")]
    got = [(s, e, agree) for s, e, agree, _ in disagreement_pieces(spans, ["a", "b"])]
    assert got == [(0, 10, True), (10, 12, False), (12, 20, False)]


CODES = [
    {"key": "TAL", "parent": None, "name_en": "Talent", "name_zh": "人才"},
    {"key": "TAL.TRAIN", "parent": "TAL", "name_en": "Training base", "name_zh": "实训基地"},
    {"key": "ADM", "parent": None, "name_en": "Administrative", "name_zh": "行政"},
    {"key": "ADM.GOV", "parent": "ADM", "name_en": "Government leadership", "name_zh": "政府主导"},
]


def test_filter_keeps_ancestors_and_matches_all_languages() -> None:
    assert filter_tree(CODES, "实训") == {"TAL", "TAL.TRAIN"}
    assert filter_tree(CODES, "adm.gov") == {"ADM", "ADM.GOV"}
    assert filter_tree(CODES, "leadership") == {"ADM", "ADM.GOV"}
    assert filter_tree(CODES, "zzz") == set()


def test_rank_prefers_exact_then_prefix_then_fuzzy() -> None:
    assert [c["key"] for c in rank(CODES, "tal")][:2] == ["TAL", "TAL.TRAIN"]
    assert rank(CODES, "政府")[0]["key"] == "ADM.GOV"
    assert rank(CODES, "goverment")[0]["key"] == "ADM.GOV"  # a typo still finds it
    assert len(rank(CODES, "")) == 4

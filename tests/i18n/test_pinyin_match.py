"""The one rule that matches typed queries against Chinese and English labels (pinyin included)."""

import pytest

from qualcode.core import code_search
from qualcode.core.script_match import EXACT, PINYIN, PINYIN_INSIDE, PREFIX, SUBSTRING, score


@pytest.mark.parametrize(
    "query",
    ["rencaigongying", "rencai", "rcgy", "RCGY", "rcg", "rencaigy", "rcgongying", "ren cai", "ren'cai"],
)
def test_full_pinyin_initials_and_mixed_find_the_name_from_its_start(query: str) -> None:
    assert score(query, "人才供应") == PINYIN


@pytest.mark.parametrize("query", ["réncái", "ren2cai2gong1ying4", "Rén Cái"])
def test_tones_are_ignored(query: str) -> None:
    assert score(query, "人才供应") == PINYIN


def test_syllables_further_in_rank_below_the_start() -> None:
    assert score("gongying", "人才供应") == PINYIN_INSIDE
    assert score("gy", "人才供应") == PINYIN_INSIDE


@pytest.mark.parametrize("query", ["rcgx", "rcgyx", "yingrc", "xyz", "rencaiz"])
def test_letters_that_spell_other_syllables_do_not_match(query: str) -> None:
    assert score(query, "人才供应") == 0


def test_polyphonic_characters_read_as_in_the_phrase() -> None:
    assert score("yinhang", "银行") == PINYIN  # 行 is hang in 银行
    assert score("chongqing", "重庆") == PINYIN  # 重 is chong in 重庆
    assert score("zhongqing", "重庆") == 0
    assert score("hang", "行") == PINYIN and score("xing", "行") == PINYIN  # alone: any reading


def test_u_umlaut_typed_as_v_or_u() -> None:
    assert score("lvse", "绿色") == PINYIN
    assert score("luse", "绿色") == PINYIN
    assert score("lüse", "绿色") == PINYIN


def test_characters_rank_above_pinyin_and_english_still_matches() -> None:
    assert score("人才供应", "人才供应") == EXACT
    assert score("人才", "人才供应") == PREFIX
    assert score("供应", "人才供应") == SUBSTRING
    assert score("supply", "Talent supply") == SUBSTRING
    assert score("ts", "Talent supply") == 0  # initials are a pinyin rule, not an English one


def test_mixed_scripts_in_one_label() -> None:
    assert score("qyhz", "校企合作 (QYHZ)") > 0
    assert score("xqhz", "校企合作 (QYHZ)") == PINYIN


CODES = [
    {"key": "TAL.SUP", "name_en": "Talent supply", "name_zh": "人才供应", "codable": True},
    {"key": "TAL.TRAIN", "name_en": "Training", "name_zh": "人才培养", "codable": True},
    {"key": "ADM.GOV", "name_en": "Government", "name_zh": "政府", "codable": True},
]


def test_code_search_ranks_and_filters_by_pinyin() -> None:
    assert [c["key"] for c in code_search.rank(CODES, "rcgy")] == ["TAL.SUP"]
    assert [c["key"] for c in code_search.rank(CODES, "rencai")] == ["TAL.SUP", "TAL.TRAIN"]
    assert code_search.filter_tree(CODES, "zf") == {"ADM.GOV"}

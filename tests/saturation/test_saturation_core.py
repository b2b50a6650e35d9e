"""The saturation maths: interview order, the discovery curve, the reserve check, levels."""

import pytest

from qualcode.core.saturation import date_key, discovery_curve, interview_order, level_item, reserve_check


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-12", (2024, 5, 12)),
        ("2024/5/2", (2024, 5, 2)),
        ("2024年5月12日", (2024, 5, 12)),
        ("2024.05", (2024, 5, 0)),
        ("May 2024", None),
        ("", None),
        (None, None),
        ("2024-13-01", None),
    ],
)
def test_date_key(text: str | None, expected: tuple[int, int, int] | None) -> None:
    assert date_key(text) == expected


def test_order_by_date_then_import() -> None:
    order, how, undated = interview_order(
        [1, 2, 3, 4], {1: "2024-06-01", 2: "2024年5月3日", 3: None, 4: "2024-05-20"}
    )
    assert order == [2, 4, 1, 3] and how == "date_then_import" and undated == [3]
    assert interview_order([3, 1], {}) == ([3, 1], "import", [3, 1])
    assert interview_order([1, 2], {1: "2024-02-01", 2: "2024-01-01"})[:2] == ([2, 1], "date")


def test_curve_finds_the_last_new_interview() -> None:
    curve = discovery_curve([10, 11, 12, 13], {10: {"A", "B"}, 11: {"B", "C"}, 12: {"A"}, 13: set()})
    assert [s.new for s in curve.steps] == [("A", "B"), ("C",), (), ()]
    assert [s.cumulative for s in curve.steps] == [2, 3, 3, 3]
    assert curve.total == 3 and curve.last_new_at == 2 and curve.quiet_tail == 2
    assert discovery_curve([], {}).last_new_at == 0


def test_reserve_check_statuses() -> None:
    found = {1: {"A"}, 2: {"B"}, 3: {"A", "C"}}
    assert reserve_check([1, 2, 3], [3], found).only_in_reserves == ("C",)
    assert reserve_check([1, 2, 3], [3], found).status == "not_saturated"
    assert reserve_check([1, 2, 3], [2], {1: {"A", "B"}, 2: {"B"}}).status == "saturated"
    assert reserve_check([1, 2], [], found).status == "no_reserves"
    pending = reserve_check([1, 2], [2, 3], {1: {"A"}, 2: {"A"}}, coded={1, 2})
    assert pending.status == "pending" and pending.uncoded_reserves == (3,)
    # a reserve coded with nothing found is coded: nothing new, so saturated
    assert reserve_check([1, 2], [2], {1: {"A"}}, coded={1, 2}).status == "saturated"


def test_levels() -> None:
    chain = [("TAL", "dimension"), ("TAL.EDU", "category"), ("TAL.PROG", "code")]
    assert level_item(chain, "code") == "TAL.PROG"
    assert level_item(chain, "category") == "TAL.EDU"
    assert level_item(chain, "dimension") == "TAL"
    assert level_item([("TAL", "dimension"), ("TAL.X", "code")], "category") is None
    assert level_item([("ROOT", "code")], "dimension") == "ROOT"
    with pytest.raises(ValueError):
        level_item(chain, "theme")

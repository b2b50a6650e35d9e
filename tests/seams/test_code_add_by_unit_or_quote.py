"""`code add --unit SEQ` codes a whole answer; `--quote TEXT` codes the one place the text occurs."""

import json

import pytest

from tests.foundation.test_cli import assert_user_error, qc

TEXT = (
    "访谈者：请介绍一下。\n受访者：我们开了储能专业。储能专业很热门。\nInterviewer: And?\nRespondent: Fine."
)


@pytest.fixture
def project(tmp_path) -> str:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from qualcode.store.db import init_project
    from qualcode.store.models import Document, Unit
    from tests.foundation.helpers import seed

    target = str(tmp_path / "p")
    opened = init_project(target)
    seed(opened, TEXT)
    answer = TEXT.index("我们")
    with opened.write() as s:
        doc = s.exec(select(Document)).one()
        s.add(Unit(document_id=doc.id, seq=1, speaker="访谈者", speaker_role="interviewer", start=4, end=10))
        s.add(
            Unit(
                document_id=doc.id,
                seq=2,
                speaker="受访者",
                speaker_role="respondent",
                start=answer,
                end=TEXT.index("\nInterviewer"),
            )
        )
    opened.dispose()
    return target


def _add(project: str, *how: str, check: bool = True):  # type: ignore[no-untyped-def]
    args = ("code", "add", project, "--coder", "lin", "--doc", "doc1", "--code", "TAL.PROG", *how)
    return qc(*args, "--format", "json", check=check)


def test_unit_codes_the_whole_answer(project: str) -> None:
    seg = json.loads(_add(project, "--unit", "2").stdout)
    assert seg["text"] == "我们开了储能专业。储能专业很热门。"
    assert (seg["start"], seg["end"]) == (TEXT.index("我们"), TEXT.index("\nInterviewer"))


def test_a_unique_quote_is_coded_where_it_occurs(project: str) -> None:
    seg = json.loads(_add(project, "--quote", "我们开了储能专业").stdout)
    assert (seg["start"], seg["text"]) == (TEXT.index("我们"), "我们开了储能专业")
    seg = json.loads(_add(project, "--quote", "Fine").stdout)
    assert seg["end"] == len(TEXT) - 1


def test_an_ambiguous_quote_is_refused_with_every_candidate(project: str) -> None:
    result = _add(project, "--quote", "储能专业", check=False)
    assert result.returncode == 2 and result.stdout == ""
    first, *candidates = result.stderr.strip().splitlines()
    assert first.startswith("error: the quote occurs 2 times in doc1")
    starts = [TEXT.index("储能专业"), TEXT.index("储能专业", TEXT.index("储能专业") + 1)]
    assert [line.split(")")[0].strip() for line in candidates] == [f"[{s}, {s + 4}" for s in starts]
    assert all("«储能专业»" in line for line in candidates)
    assert json.loads(qc("code", "list", project, "--format", "json").stdout) == []


def test_a_missing_quote_is_refused_with_the_closest_passage(project: str) -> None:
    result = _add(project, "--quote", "我们开设了储能专业", check=False)
    assert result.returncode == 2
    first, candidate = result.stderr.strip().splitlines()
    assert first == "error: the quote does not occur in doc1; the closest passage is:"
    assert "储能专业" in candidate
    assert_user_error(_add(project, "--quote", "nothing like it at all xyz", check=False), "does not occur")


def test_one_way_to_say_the_span(project: str) -> None:
    assert_user_error(_add(project, "--unit", "2", "--start", "0", check=False), "in one way")
    assert_user_error(_add(project, "--start", "0", check=False), "--end")
    assert_user_error(_add(project, "--unit", "7", check=False), "no unit 7")
    assert json.loads(qc("code", "list", project, "--format", "json").stdout) == []

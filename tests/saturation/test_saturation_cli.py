"""`qualcode saturation` end to end: curves per source, a code only in a reserve is flagged,
sentences in both languages, blind mode, bad input."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import cli

REPO = Path(__file__).resolve().parents[2]
CODEBOOK = REPO / "codebooks" / "industry-education-consortium.yaml"
TEXT = "Date: {date}\nCity: Qingshan\n\n访谈者：请介绍一下联合体。\n受访者：我们建了实训基地，也开了新专业。"


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def project(tmp_path: Path) -> str:
    folder = str(tmp_path / "p")
    run("init", folder, "--codebook", str(CODEBOOK))
    files = []
    for name, date in [
        ("i1", "2024-05-01"),
        ("i2", "2024-05-03"),
        ("i3", "2024-05-02"),
        ("i4", "2024-06-01"),
    ]:
        path = tmp_path / f"{name}.txt"
        path.write_text(TEXT.format(date=date), encoding="utf-8")
        files.append(str(path))
    run("import", folder, *files)
    for coder in ("lin", "chen"):
        run("coders", "add", folder, coder)
    plan = {  # document -> (lin's codes, chen's codes)
        "i1": (["TAL.PRAC"], ["TAL.PRAC"]),
        "i3": (["TAL.PROG"], ["TAL.PRAC"]),
        "i2": (["TAL.PRAC"], ["TAL.PROG"]),
        "i4": (["TEC.RND"], []),  # only lin found TEC.RND, and only in the reserve
    }
    for doc, (lin, chen) in plan.items():
        for coder, codes in (("lin", lin), ("chen", chen)):
            for code in codes:
                run(
                    "code",
                    "add",
                    folder,
                    "--coder",
                    coder,
                    "--doc",
                    doc,
                    "--code",
                    code,
                    "--start",
                    "40",
                    "--end",
                    "44",
                )
            run("code", "done", folder, "--coder", coder, "--doc", doc)
    return folder


def test_curves_and_reserve_check(project: str) -> None:
    report = json.loads(run("saturation", project, "--reserve", "i4", "--format", "json"))
    assert report["interviews"] == ["i1", "i3", "i2", "i4"] and report["order"] == "date"
    assert report["reserves"] == ["i4"]
    sources = {(s["source"], s["coder"]): s for s in report["sources"]}
    assert set(sources) == {("coder", "chen"), ("coder", "lin"), ("union", None)}
    lin = sources[("coder", "lin")]["levels"]["code"]
    assert [step["new"] for step in lin["curve"]["steps"]] == [["TAL.PRAC"], ["TAL.PROG"], [], ["TEC.RND"]]
    assert lin["curve"]["last_new_document"] == "i4"
    check = lin["reserve_check"]
    assert check["status"] == "not_saturated" and check["only_in_reserves"] == ["TEC.RND"]
    assert "TEC.RND" in check["sentence"]["en"] and "预留访谈" in check["sentence"]["zh_CN"]
    assert "TEC.RND" in check["sentence"]["zh_CN"] and "尚未达到理论饱和" in check["sentence"]["zh_CN"]
    # chen coded the reserve and found nothing in it: nothing new, saturation supported
    assert sources[("coder", "chen")]["levels"]["code"]["reserve_check"]["status"] == "saturated"
    # a dimension only in the reserve is flagged at every level
    union = sources[("union", None)]["levels"]
    assert union["dimension"]["reserve_check"]["only_in_reserves"] == ["TEC"]
    assert union["category"]["reserve_check"]["only_in_reserves"] == ["TEC.PLAT"]


def test_table_and_markdown_state_both_languages(project: str) -> None:
    run("saturation", project, "--reserve", "i4")
    table = run("saturation", project, "--by", "dimension")
    assert "saturation was not reached" in table and "尚未达到理论饱和" in table
    markdown = run("--lang", "zh_CN", "saturation", project, "--format", "md")
    assert markdown.startswith("# 理论饱和检验") and "| # | 访谈 | 新出现 | 累计 |" in markdown


def test_unreserve_and_no_reserves(project: str) -> None:
    run("saturation", project, "--reserve", "i4")
    report = json.loads(run("saturation", project, "--unreserve", "i4", "--format", "json"))
    assert report["reserves"] == []
    assert report["sources"][0]["levels"]["code"]["reserve_check"]["status"] == "no_reserves"


def test_unknown_reserve_document_is_refused(project: str) -> None:
    from qualcode.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["saturation", project, "--reserve", "nope"])
    assert exit_info.value.code == 2
    report = json.loads(run("saturation", project, "--format", "json"))
    assert report["reserves"] == []


def test_blind_mode_shows_a_coder_their_own_curve(project: str) -> None:
    run("coders", "add", project, "wang", "--role", "lead")
    run("blind", "on", project, "--as", "wang")
    report = json.loads(run("saturation", project, "--as", "lin", "--format", "json"))
    assert [(s["source"], s["coder"]) for s in report["sources"]] == [("coder", "lin")]

"""What the commands print, in Chinese: no English sentence left in the human output, and the
machine-readable output (`--format json`, `--json`) byte-identical under `--lang en` and
`--lang zh_CN`, one test per command family, on the demo project."""

import json
import shutil
from pathlib import Path

import pytest

from qualcode import i18n
from tests.i18n.untranslated import english_sentences, english_words
from tests.test_stats_cli import qc

CODERS = ("chen", "lin", "wang")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from qualcode.services.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "p"
    project, _summary = build_demo(path)
    project.dispose()
    return path


@pytest.fixture(scope="module")
def names(demo: Path) -> list[str]:
    """What the demo's data calls people, documents and cases: shown as stored in any language."""
    rc, out, _err = qc("docs", "list", str(demo), "--format", "json")
    assert rc == 0
    return [*CODERS, str(demo), *(d["name"] for d in json.loads(out))]


@pytest.fixture(autouse=True)
def _english_after() -> object:
    yield
    i18n.set_language(i18n.ENGLISH)


def _both(*argv: str) -> tuple[str, str]:
    english = qc("--lang", "en", *argv)
    chinese = qc("--lang", "zh_CN", *argv)
    assert english[0] == chinese[0] == 0, (argv, english[2], chinese[2])
    return english[1], chinese[1]


def _stats_csv(tmp_path: Path) -> Path:
    path = tmp_path / "t.csv"
    path.write_text("unit,a,b,c\n1,1,1,2\n2,2,2,2\n3,1,1,1\n4,3,3,1\n5,2,2,2\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ("info", "{p}", "--format", "json", "--as", "wang"),
        ("coders", "list", "{p}", "--format", "json"),
        ("docs", "list", "{p}", "--format", "json"),
        ("codebook", "show", "{p}", "--format", "json", "--as", "wang"),
        ("typology", "{p}", "--format", "json", "--as", "wang"),
        ("adjudicate", "list", "{p}", "--document", "haibin-col-zh", "--format", "json", "--as", "wang"),
        ("agree", "{p}", "--format", "json", "--bootstrap", "0", "--as", "wang"),
        ("blind", "status", "{p}", "--format", "json"),
        ("attributes", "list", "{p}", "--format", "json"),
        ("settings", "show", "{p}", "--format", "json"),
        ("configuration", "{p}", "--format", "json", "--as", "wang"),
        ("saturation", "{p}", "--format", "json", "--as", "wang"),
    ],
)
def test_json_is_byte_identical_in_both_languages(demo: Path, argv: tuple[str, ...]) -> None:
    english, chinese = _both(*(a.format(p=demo) for a in argv))
    json.loads(english)
    assert chinese == english


def test_stats_json_is_byte_identical_in_both_languages(tmp_path: Path) -> None:
    english, chinese = _both("stats", "agreement", str(_stats_csv(tmp_path)), "--json")
    assert chinese == english


def test_merge_json_is_identical_and_the_report_chinese(demo: Path, tmp_path: Path, names: list[str]) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(demo, copy)
    rc, _out, err = qc(
        "code", "add", str(copy), "--coder", "chen", "--doc", "haibin-col-zh", "--code", "TAL.PROG",
        "--start", "0", "--end", "4",
    )  # fmt: skip
    assert rc == 0, err
    argv = ("merge", str(demo), str(copy), "--dry-run", "--as", "wang")
    english, chinese = _both(*argv, "--format", "json")
    assert chinese == english and json.loads(english)["dry_run"] is True
    english, chinese = _both(*argv)
    assert "would add" in english and "将添加" in chinese
    # The change described inside a line is the report's own description (also in the JSON).
    lines = [line for line in chinese.splitlines() if "将添加 " not in line]
    assert english_sentences("\n".join(lines), [*names, str(copy)]) == []


def test_suggest_assist_and_blind_status_in_chinese(demo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(demo, copy)
    _en, on = _both("suggest", "assist", str(copy), "on", "--as", "wang")
    _en, off = _both("suggest", "assist", str(copy), "off", "--as", "wang")
    assert (on.strip(), off.strip()) == ("辅助编码已开启", "辅助编码已关闭")
    english, chinese = _both("blind", "status", str(copy))
    assert (english.strip(), chinese.strip()) == ("blind mode: on", "盲编码模式：开启")


def test_attributes_set_result_in_chinese(demo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(demo, copy)

    def set_note(value: str) -> str:
        argv = ("attributes", "set", str(copy), "haibin-col-zh", "Note", value, "--by", "wang")
        rc, out, err = qc("--lang", "zh_CN", *argv)
        assert rc == 0, err
        return out.strip()

    assert set_note("pilot") == "haibin-col-zh：Note = pilot"
    assert set_note("pilot") == "haibin-col-zh：Note 未改变"
    assert set_note("") == "haibin-col-zh：已删除 Note"


@pytest.mark.parametrize(
    "argv",
    [
        ("info", "{p}", "--as", "wang"),
        ("coders", "list", "{p}"),
        ("docs", "list", "{p}"),
        ("adjudicate", "list", "{p}", "--document", "haibin-col-zh", "--as", "wang"),
        ("configuration", "{p}", "--as", "wang"),
        ("agree", "{p}", "--bootstrap", "0", "--as", "wang"),
    ],
)
def test_human_output_has_no_english_sentence(demo: Path, names: list[str], argv: tuple[str, ...]) -> None:
    english, chinese = _both(*(a.format(p=demo) for a in argv))
    # encodings and language codes are stored values; auto:* and consensus name pseudo-coders
    allow = [*names, "utf-8", "zh", "en", "auto:*", "consensus"]
    assert english_words(english, allow), "the check must be able to see English"
    assert english_sentences(chinese, allow) == []


def test_typology_table_in_chinese_with_the_codebook_s_type_names(demo: Path, names: list[str]) -> None:
    english, chinese = _both("typology", str(demo), "--as", "wang")
    assert "政府统筹主导型" in chinese and "Government" in english
    assert "规则" in chinese and "rule" in english  # the basis of the types
    assert english_sentences(chinese, [*names, "Consortium", "consortium-models"]) == []


def test_stats_table_in_chinese(tmp_path: Path) -> None:
    english, chinese = _both("stats", "agreement", str(_stats_csv(tmp_path)))
    assert "percent agreement" in english and "百分比一致性" in chinese
    assert english_sentences(chinese) == []


def test_demo_says_who_is_who_in_chinese(tmp_path: Path) -> None:
    rc, out, err = qc("--lang", "zh_CN", "demo", "--path", str(tmp_path / "d"), "--no-tui")
    assert rc == 0, err
    assert "编码员：chen、lin；组长：wang" in out
    assert english_sentences(out, [*CODERS, str(tmp_path / "d")]) == []


def test_the_english_finder_sees_english_and_spares_keys_names_and_paths() -> None:
    assert english_words("assisted coding is on") == ["assisted", "coding", "is", "on"]
    assert english_words("编码 TAL.PROG 与 GOV_LED；α = 0.8，Gwet's AC1") == []
    assert english_words("见 /tmp/x/demo-project 与 --coder chen，按 ctrl+p", ["chen"]) == []
    assert english_words("编码员：chen，lead: wang", ["chen", "wang"]) == ["lead"]

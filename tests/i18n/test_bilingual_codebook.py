"""The bilingual codebook: Chinese definition, inclusion, exclusion and example beside the English
ones, in YAML, the store (schema v5), validation warnings, .qdc and the workbook's Codebook sheet."""

import shutil
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qualcode.core.codebook import BILINGUAL_FIELDS
from qualcode.io.codebook_yaml import parse_codebook, read_codebook_warnings
from qualcode.io.codebook_yaml_writer import dump_codebook
from qualcode.io.refi.qdc import codebook_to_qdc, read_qdc
from qualcode.services.codebook.curation import list_codes, load_codebook
from qualcode.store.db import init_project, open_project, schema_version
from qualcode.store.migrations import SCHEMA_VERSION
from tests.foundation.test_cli import qc

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "codebooks" / "industry-education-consortium.yaml"
NEW_COLUMNS = ("short_definition_zh", "definition_zh", "inclusion_zh", "exclusion_zh")

# A file as round 1 wrote them: no Chinese definitions. Its hash, computed by the round-1 code
# (main before this change), must not move: exports cite it.
ROUND_1 = """\
codebook:
  id: round-one
  version: "1"
  title_en: A codebook written in round 1
codes:
  - key: TAL
    name_en: Talent resource supply
    name_zh: 人才资源供给
    definition: Everything about people.
    children:
      - key: TAL.CURR
        name_en: Curriculum co-development
        name_zh: 课程与教材共建
        short_definition: Courses written with firms.
        inclusion: Enterprise cases in courses.
        exclusion: Outdated curricula.
        examples:
          en: We wrote three workbooks together.
          zh: 我们合编了三本活页教材。
"""
ROUND_1_SHA256 = "34bb56e5a36ea226dbd930f9c20ab1c14b687aafe4d82ca5eee9a83ab58ecda3"

BILINGUAL = """\
codebook:
  id: both
  version: "1"
codes:
  - key: TAL
    name_en: Talent resource supply
    name_zh: 人才资源供给
    children:
      - key: TAL.CURR
        name_en: Curriculum co-development
        name_zh: 课程与教材共建
        short_definition: Courses written with firms.
        short_definition_zh: 与企业共同编写的课程。
        definition: Joint work on curricula.
        definition_zh: 学校与企业共同开发课程。
        inclusion: Enterprise cases in courses.
        inclusion_zh: 把企业案例引入课程。
        exclusion: Outdated curricula.
        exclusion_zh: 课程落后于产业。
        examples:
          en: We wrote three workbooks together.
          zh: 我们合编了三本活页教材。
"""


def test_a_round_1_file_stays_valid_with_its_hash_and_no_chinese_texts() -> None:
    book = parse_codebook(ROUND_1)
    assert book.sha256() == ROUND_1_SHA256
    curr = book.get("TAL.CURR")
    assert curr.definition_zh is None and curr.inclusion_zh is None
    # written back, it reads back equal and gains no empty Chinese fields
    text = dump_codebook(book)
    assert "_zh:" not in text.replace("name_zh:", "")
    assert parse_codebook(text).sha256() == ROUND_1_SHA256


def test_chinese_texts_read_write_and_change_the_hash() -> None:
    book = parse_codebook(BILINGUAL)
    curr = book.get("TAL.CURR")
    assert curr.definition_zh == "学校与企业共同开发课程。" and curr.exclusion_zh == "课程落后于产业。"
    again = parse_codebook(dump_codebook(book))
    assert again.content() == book.content()
    curr.definition_zh = "改过的定义。"
    assert book.sha256() != again.sha256()


def test_text_in_gives_one_language_and_none_where_missing() -> None:
    curr = parse_codebook(BILINGUAL).get("TAL.CURR")
    zh, en = curr.text_in("zh_CN"), curr.text_in("en")
    assert (zh.name, zh.definition, zh.inclusion, zh.example) == (
        "课程与教材共建",
        "学校与企业共同开发课程。",
        "把企业案例引入课程。",
        "我们合编了三本活页教材。",
    )
    assert (en.name, en.definition, en.exclusion) == (
        "Curriculum co-development",
        "Joint work on curricula.",
        "Outdated curricula.",
    )
    assert curr.text_in("zh-Hans") == zh
    r1 = parse_codebook(ROUND_1).get("TAL.CURR")
    assert r1.text_in("zh_CN").definition is None and r1.text_in("zh_CN").name == "课程与教材共建"


def test_validate_warns_about_one_language_only_and_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "r1.yaml"
    path.write_text(ROUND_1, encoding="utf-8")
    _book, warnings = read_codebook_warnings(path)
    # TAL: definition; TAL.CURR: short_definition, inclusion, exclusion
    assert len(warnings) == 4
    assert any(
        w.startswith(f"{path}:9:17: warning: TAL: definition is written but definition_zh is empty")
        for w in warnings
    ), warnings
    result = qc("codebook", "validate", str(path), check=False)
    assert result.returncode == 0
    assert "valid codebook round-one" in result.stdout
    assert "4 warnings" in result.stderr and "inclusion_zh is empty" in result.stderr
    strict = qc("codebook", "validate", "--strict", str(path), check=False)
    assert strict.returncode == 2 and "4 warnings" in strict.stderr


def test_a_name_in_one_language_only_is_a_warning_too() -> None:
    book = parse_codebook(BILINGUAL.replace("        name_zh: 课程与教材共建\n", ""))
    assert [p.where for p in book.warnings()] == [("code", "TAL.CURR", "name_en")]


def test_a_bilingual_file_has_no_warnings(tmp_path: Path) -> None:
    path = tmp_path / "both.yaml"
    path.write_text(BILINGUAL, encoding="utf-8")
    assert read_codebook_warnings(path)[1] == []
    result = qc("codebook", "validate", "--strict", str(path))
    assert "warning" not in result.stderr


def test_shipped_codebook_is_complete_in_both_languages() -> None:
    book, warnings = read_codebook_warnings(SHIPPED)
    assert warnings == []
    for node in book.nodes:
        for _what, en, zh in BILINGUAL_FIELDS:
            if getattr(node, en):
                assert getattr(node, zh), (node.key, zh)
        zh_texts = [getattr(node, zh) for _w, _e, zh in BILINGUAL_FIELDS if getattr(node, zh)]
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in zh_texts), node.key
    assert sum(1 for n in book.nodes if n.definition_zh) >= 40


def test_qdc_carries_both_languages_and_reads_them_back() -> None:
    book = parse_codebook(BILINGUAL)
    data = codebook_to_qdc(book)
    text = data.decode("utf-8")
    assert (
        "Definition (zh): 学校与企业共同开发课程。" in text and "Definition: Joint work on curricula." in text
    )
    back = read_qdc(data, book.id).book.get("TAL.CURR")
    for _what, en, zh in BILINGUAL_FIELDS:
        assert getattr(back, en) == getattr(book.get("TAL.CURR"), en)
        assert getattr(back, zh) == getattr(book.get("TAL.CURR"), zh)


def _make_v4_project(folder: Path) -> None:
    """A project as schema v4 left it: the codes table without the Chinese text columns."""
    project = init_project(str(folder))
    load_codebook(project, SHIPPED)
    project.dispose()
    with sqlite3.connect(folder / "qualcode.db") as conn:
        conn.execute("UPDATE codes SET definition_zh = NULL")  # v4 had none
        for column in NEW_COLUMNS:
            conn.execute(f"ALTER TABLE codes DROP COLUMN {column}")
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")


def test_a_v4_project_is_upgraded_to_v5_keeping_its_codebook(tmp_path: Path) -> None:
    assert SCHEMA_VERSION == 5
    folder = tmp_path / "old"
    _make_v4_project(folder)
    with sqlite3.connect(folder / "qualcode.db") as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(codes)")}
        assert not columns & set(NEW_COLUMNS)
        before = conn.execute("SELECT key, definition, inclusion FROM codes ORDER BY key").fetchall()
    project = open_project(str(folder))
    try:
        assert schema_version(project.engine) == 5
        assert list((folder / "backups").glob("qualcode-before-upgrade-v4-*.db"))
        rows = {r["key"]: r for r in list_codes(project)}
        assert [(k, rows[k]["definition"], rows[k]["inclusion"]) for k, _d, _i in before] == before
        assert all(rows[k]["definition_zh"] is None for k in rows)
        # the upgraded project takes the bilingual codebook
        load_codebook(project, SHIPPED)
        rows = {r["key"]: r for r in list_codes(project)}
        assert rows["TAL.PROG"]["definition_zh"].startswith("学校开设哪些专业")
    finally:
        project.dispose()


def test_workbook_codebook_sheet_has_both_languages(tmp_path: Path) -> None:
    from qualcode.services.exchange.workbook import export_workbook

    project = init_project(str(tmp_path / "p"))
    try:
        load_codebook(project, SHIPPED)
        path = export_workbook(project, tmp_path / "out.xlsx", sheets=["Codebook"])
    finally:
        project.dispose()
    sheet = load_workbook(path, read_only=True)["Codebook"]
    rows = list(sheet.iter_rows(values_only=True))
    index = {name: i for i, name in enumerate(rows[0])}
    prog = next(r for r in rows if r[0] == "TAL.PROG")
    for _what, en, zh in BILINGUAL_FIELDS:
        assert prog[index[en]] and prog[index[zh]], (en, zh)
    assert prog[index["inclusion_zh"]].startswith("新设、合并或撤销专业")


@pytest.mark.parametrize("name", ["project-v1"])
def test_round_1_fixture_project_opens_at_v5(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    shutil.copytree(ROOT / "tests" / "fixtures" / name, folder)
    project = open_project(str(folder))
    try:
        assert schema_version(project.engine) == SCHEMA_VERSION
        assert all(r["definition_zh"] is None for r in list_codes(project))
    finally:
        project.dispose()


def test_cli_edit_sets_the_chinese_texts(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    project = init_project(str(folder))
    load_codebook(project, SHIPPED)
    project.dispose()
    qc(
        "codebook",
        "edit",
        str(folder),
        "TAL.CURR",
        "--definition-zh",
        "新的中文定义。",
        "--exclusion-zh",
        "不含实习。",
    )
    project = open_project(str(folder))
    try:
        row = next(r for r in list_codes(project) if r["key"] == "TAL.CURR")
    finally:
        project.dispose()
    assert (row["definition_zh"], row["exclusion_zh"]) == ("新的中文定义。", "不含实习。")
    assert row["definition"].startswith("Joint work")  # the English text is untouched

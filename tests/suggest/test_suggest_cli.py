"""`qualcode suggest` on the command line: outputs, errors (exit 2, nothing changed), lean install."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.suggest_corpus import build_corpus, human_rows
from tests.test_stats_cli import qc


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    project, _ = build_corpus(tmp_path_factory.mktemp("cli"), n_docs=8)
    project.dispose()
    folder = str(project.folder)
    rc, out, err = qc("suggest", "train", folder, "--from", "consensus", "--format", "json")
    assert rc == 0, err
    assert json.loads(out)["coder"] == "model:1"
    return folder


def test_train_table_says_what_was_modelled(tmp_path: Path) -> None:
    project, _ = build_corpus(tmp_path, n_docs=4)
    rc, out, err = qc("suggest", "train", str(project.folder), "--min-positive", "14")
    assert rc == 0, err
    assert "model:1" in out and "modelled" in out


def test_evaluate_formats(project_dir: str, tmp_path: Path) -> None:
    rc, out, err = qc("suggest", "evaluate", project_dir, "--bootstrap", "50", "--format", "json")
    assert rc == 0, err
    report = json.loads(out)
    assert [c["code"] for c in report["codes"]] == ["RAND", "WORD"]
    assert report["model"] == "model:1" and report["reference"] == "consensus"
    rc, out, _ = qc("suggest", "evaluate", project_dir, "--bootstrap", "50")
    assert rc == 0 and "WORD" in out and "Verdict rule" in out
    md = tmp_path / "e.md"
    rc, _, err = qc(
        "suggest", "evaluate", project_dir, "--bootstrap", "50", "--format", "md", "--out", str(md)
    )
    assert rc == 0, err
    text = md.read_text(encoding="utf-8")
    assert "| WORD |" in text and "grouped by document" in text and "| code | chen | lin |" in text
    xlsx = tmp_path / "e.xlsx"
    rc, _, err = qc(
        "suggest", "evaluate", project_dir, "--bootstrap", "20", "--format", "xlsx", "--out", str(xlsx)
    )
    assert rc == 0, err
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx)["suggester"]
    assert sheet["A1"].value == "code" and {sheet["A2"].value, sheet["A3"].value} == {"RAND", "WORD"}


def test_apply_list_accept_reject_via_cli(project_dir: str) -> None:
    rc, out, err = qc("suggest", "apply", project_dir, "--docs", "d00,d01", "--format", "json")
    assert rc == 0, err
    assert json.loads(out)["documents"] == 2
    rc, out, err = qc("suggest", "list", project_dir, "--as", "lead", "--format", "json")
    rows = json.loads(out)
    assert rc == 0 and rows and {r["document"] for r in rows} <= {"d00", "d01"}
    assert all(r["owner"] == "model:1" and 0 <= r["probability"] <= 1 for r in rows)
    assert rows[0]["provenance"]["backend"] == "offline"
    rc, out, err = qc("suggest", "reject", project_dir, str(rows[0]["id"]), "--as", "lead")
    assert rc == 0, err
    rc, _, err = qc("suggest", "reject", project_dir, str(rows[0]["id"]), "--as", "lead")
    assert rc == 2 and err.startswith("error:") and "already rejected" in err
    rc, _, err = qc("code", "undo", project_dir, "--coder", "lead")
    assert rc == 0, err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["suggest", "train", "{p}", "--from", "nobody"], "--from must be"),
        (["suggest", "apply", "{p}", "--model", "99"], "no suggester with id 99"),
        (["suggest", "apply", "{p}", "--codes", "DIM.NOPE"], "unknown code"),
        (["suggest", "apply", "{p}", "--min-probability", "2"], "between 0 and 1"),
        (["suggest", "evaluate", "{p}", "--good", "0.5", "--caution", "0.9"], "thresholds"),
        (["suggest", "evaluate", "{p}", "--format", "xlsx"], "needs --out"),
        (["suggest", "accept", "{p}", "99999", "--as", "lin"], "no suggestion with id 99999"),
        (["suggest", "assist", "{p}", "on", "--as", "lin"], "only a lead"),
        (["suggest", "list", "{p}"], "--as NAME"),
    ],
)
def test_errors_exit_2_and_change_nothing(project_dir: str, args: list[str], message: str) -> None:
    from qualcode.store.db import open_project

    project = open_project(project_dir)
    before = human_rows(project)
    rc, _, err = qc(*[a.replace("{p}", project_dir) for a in args])
    assert rc == 2 and err.startswith("error:") and message in err, err
    assert human_rows(project) == before
    project.dispose()


def test_without_the_assist_extra_suggest_says_how_to_install(project_dir: str) -> None:
    code = (
        "import sys; sys.modules['sklearn'] = None\n"
        "from qualcode.cli import main\n"
        f"main(['suggest', 'evaluate', {project_dir!r}])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "pip install 'qualcode[assist]'" in done.stderr and done.stderr.startswith("error:")


def test_evaluate_in_chinese_keeps_its_json(project_dir: str, tmp_path: Path) -> None:
    """The evaluation's table and Markdown speak the interface language (headings, verdicts, the
    rule); its JSON is the same bytes in both languages, verdicts included."""
    from tests.i18n.untranslated import english_sentences, english_words

    base = ("suggest", "evaluate", project_dir, "--bootstrap", "20")
    outputs = {lang: qc("--lang", lang, *base, "--format", "json") for lang in ("en", "zh_CN")}
    assert outputs["en"][0] == outputs["zh_CN"][0] == 0
    assert outputs["en"][1] == outputs["zh_CN"][1]
    verdicts = {c["verdict"] for c in json.loads(outputs["en"][1])["codes"]}
    assert verdicts <= {"suggest", "suggest with caution", "do not suggest"}
    allow = ["RAND", "WORD", "chen", "lin", "consensus", "model:1", "union", "document", "answer", "F1"]
    for fmt in ("table", "md"):
        english = qc("--lang", "en", *base, "--format", fmt)
        chinese = qc("--lang", "zh_CN", *base, "--format", fmt)
        assert english[0] == chinese[0] == 0, chinese[2]
        assert english_words(english[1], allow), "the check must be able to see English"
        assert english_sentences(chinese[1], allow) == [], fmt
        assert (
            "结论规则" in chinese[1] and "编码建议器评估" in chinese[1]
            if fmt == "md"
            else "结论" in chinese[1]
        )

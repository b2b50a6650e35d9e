"""The bad-input corpus: every defect class of issue 16 and of round 1, against the real CLI.

Each case builds its hostile input (tests/hardening/corpus.py), runs one command, and asserts
the harness's rule (tests/hardening/harness.py): refused in one `error:` line with the
project's tables byte-identical, or accepted with nothing a terminal would obey in the output.
Cases whose fix lands on another branch are marked xfail(strict=True) with that branch's name:
when it merges, the mark must go (a strict xfail that passes fails the run).
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hardening import corpus
from tests.hardening.harness import (
    HOSTILE,
    REPO,
    assert_clean_output,
    assert_one_line_error,
    assert_refused,
    fingerprint,
    run,
)

CODEBOOK = REPO / "codebooks" / "industry-education-consortium.yaml"
DOC = "interview"
TRANSCRIPT = "问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\nQ: And technology?\nA: Joint labs.\n"
OUTPUT: str | None = None  # harden-output has merged: its cases must pass
INPUT: str | None = None  # harden-input has merged: its cases must pass


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project made through the CLI: codebook, one transcript, a coder, a lead, segments."""
    root = tmp_path_factory.mktemp("template")
    project = root / "project"
    source = root / f"{DOC}.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    for args in (
        ["init", str(project)],
        ["codebook", "load", str(project), str(CODEBOOK)],
        ["import", str(project), str(source)],
        ["coders", "add", str(project), "alice"],
        ["coders", "add", str(project), "bob"],
        ["coders", "add", str(project), "lead", "--role", "lead"],
        ["code", "add", str(project), "--coder", "alice", "--doc", DOC, "--code", "TAL.CURR"]
        + ["--start", "0", "--end", "5", "--memo", "alice memo"],
        ["code", "add", str(project), "--coder", "bob", "--doc", DOC, "--code", "TAL.PRAC"]
        + ["--start", "2", "--end", "9"],
    ):
        outcome = run(args)
        assert outcome.code == 0, outcome
    return project


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(template, copy)
    return copy


@dataclass(frozen=True)
class Case:
    id: str
    defect: str  # the defect class, as listed in docs/hardening.md
    check: Callable[[Path, Path], None]  # (project folder, scratch folder)
    fixed_on: str | None = None  # another branch fixes it: strict xfail until that branch merges


CASES: list[Case] = []


def case(  # type: ignore[no-untyped-def]
    defect: str, fixed_on: str | None = None, ids: list[str] | None = None, failing: set[str] | None = None
):
    """Register a check; with `ids`, one case per id (the check takes the id as a third argument).

    `fixed_on` names the branch that fixes the defect; `failing` lists the ids that still fail
    here (all of them when not given). Ids that already pass carry no mark.
    """

    def register(fn):  # type: ignore[no-untyped-def]
        if ids is None:
            CASES.append(Case(fn.__name__, defect, fn, fixed_on))
        else:
            for name in ids:
                owner = fixed_on if failing is None or name in failing else None
                CASES.append(Case(f"{fn.__name__}[{name}]", defect, lambda p, t, n=name: fn(p, t, n), owner))
        return fn

    return register


def _p(project: Path) -> str:
    return str(project)


def _project_opens(project: Path) -> None:
    outcome = run(["info", _p(project), "--as", "lead", "--format", "json"])
    assert outcome.code == 0, outcome


# =============================================================== 7. hostile names (this branch)


@case("hostile names", ids=list(corpus.HOSTILE_NAMES))
def coder_name_refused(project: Path, tmp: Path, which: str) -> None:
    assert_refused(project, ["coders", "add", _p(project), corpus.HOSTILE_NAMES[which]], "name")


@case("hostile names", ids=list(corpus.HOSTILE_NAMES))
def code_name_in_yaml_refused(project: Path, tmp: Path, which: str) -> None:
    name = corpus.yaml_escaped(corpus.HOSTILE_NAMES[which])
    book = corpus.codebook_yaml(tmp, "book.yaml", name_en=name)
    assert_refused(project, ["codebook", "load", _p(project), str(book)])
    checked = run(["codebook", "validate", str(book)])  # validate lists every problem, one per line
    assert checked.code == 2 and "name" in checked.stderr and "Traceback" not in checked.stderr, checked
    assert not HOSTILE & set(checked.stderr), checked


@case("hostile names", ids=["osc52-clipboard", "right-to-left-override", "zero-width-space"])
def code_name_in_cli_refused(project: Path, tmp: Path, which: str) -> None:
    name = corpus.HOSTILE_NAMES[which]
    assert_refused(project, ["codebook", "rename", _p(project), "TAL.CURR", "--en", name])


# XML 1.0 cannot even hold C0 controls (the parser refuses the archive); whitespace in a user's
# name is collapsed to single spaces on import, as for every vendor's names.
@case(
    "hostile names", ids=["osc52-clipboard", "right-to-left-override", "zero-width-space", "delete", "c1-csi"]
)
def coder_name_in_qdpx_refused(project: Path, tmp: Path, which: str) -> None:
    import uuid

    user, code, source = (str(uuid.uuid4()) for _ in range(3))
    xml = corpus.qde(
        users=[(user, corpus.xml_attr(corpus.HOSTILE_NAMES[which]))],
        codes=[(code, "plain code")],
        sources=[(source, "hostile", corpus.selection(str(uuid.uuid4()), 0, 4, user, code))],
    )
    archive = corpus.qdpx(tmp, "names.qdpx", xml, {source: "some text here"})
    assert_refused(
        project, ["import", _p(project), str(archive)], "xml" if which == "osc52-clipboard" else "name"
    )


@case("hostile names", ids=["osc52-clipboard", "zero-width-space"])
def coder_name_in_merged_copy_refused(project: Path, tmp: Path, which: str) -> None:
    copy = tmp / "copy"
    shutil.copytree(project, copy)
    with sqlite3.connect(copy / "qualcode.db") as conn:  # an older qualcode (or a hand edit) stored it
        conn.execute("UPDATE coders SET name = ? WHERE name = 'bob'", (corpus.HOSTILE_NAMES[which],))
    assert_refused(project, ["merge", _p(project), str(copy)], "name")


@case("hostile names")
def nfd_and_nfc_are_one_coder(project: Path, tmp: Path) -> None:
    assert run(["coders", "add", _p(project), corpus.NFC_NAME]).code == 0
    assert_refused(project, ["coders", "add", _p(project), corpus.NFD_NAME], "already exists")
    outcome = run(["code", "list", _p(project), "--coder", corpus.NFD_NAME, "--format", "json"])
    assert outcome.code == 0, outcome


@case("hostile names", ids=["clear-screen", "osc52-clipboard", "c1-csi", "right-to-left-override", "bell"])
def stored_text_is_escaped_in_listings(project: Path, tmp: Path, which: str) -> None:
    hostile = corpus.HOSTILE_NAMES[which]
    ordinary = "答：我们与企业共建实训基地，共享教师和设备。\n" * 30  # so the file is not taken for binary
    source = tmp / "ansi.txt"
    source.write_text(f"问：第一问{hostile}？\n" + ordinary, encoding="utf-8")
    imported = run(["import", _p(project), str(source)])
    assert imported.code == 0, imported
    stored = json.loads(run(["docs", "show", _p(project), "ansi", "--format", "json"]).stdout)["text"]
    assert hostile in stored  # stored as it came; only the display escapes
    added = run(
        ["code", "add", _p(project), "--coder", "alice", "--doc", "ansi", "--code", "TAL.CURR"]
        + ["--start", "0", "--end", str(len(hostile) + 8), "--memo", hostile]
    )
    assert added.code == 0, added
    shown = run(["docs", "show", _p(project), "ansi"])
    assert_clean_output(shown)
    assert "第一问" in shown.stdout and shown.stdout.count("\n") >= 30  # lines kept
    for args in (
        ["code", "list", _p(project), "--doc", "ansi"],
        ["adjudicate", "list", _p(project), "--document", "ansi"],
    ):
        assert_clean_output(run(args))


@case("hostile names")
def markup_in_a_name_is_shown_literally(project: Path, tmp: Path) -> None:
    name = "[link=https://example.invalid]click[/link]"
    assert run(["coders", "add", _p(project), name]).code == 0
    listed = run(["coders", "list", _p(project)])
    assert_clean_output(listed)
    assert "[link=" in listed.stdout


# =============================================================== 10. blind mode (this branch)


def _blind(project: Path) -> None:
    assert run(["blind", "on", _p(project), "--as", "lead"]).code == 0


@case("blind leaks")
def codebook_show_needs_a_name_while_blind(project: Path, tmp: Path) -> None:
    _blind(project)
    assert_refused(project, ["codebook", "show", _p(project)], "--as")


@case("blind leaks")
def codebook_show_counts_only_own_segments_for_a_coder(project: Path, tmp: Path) -> None:
    _blind(project)
    rows = json.loads(run(["codebook", "show", _p(project), "--as", "alice", "--format", "json"]).stdout)
    counts = {r["key"]: r["segments"] for r in rows}
    assert counts["TAL.CURR"] == 1 and counts["TAL.PRAC"] == 0  # bob's segment is not counted
    rows = json.loads(run(["codebook", "show", _p(project), "--as", "lead", "--format", "json"]).stdout)
    assert {r["key"]: r["segments"] for r in rows}["TAL.PRAC"] == 1


@case("blind leaks")
def adjudicate_log_is_for_leads_while_blind(project: Path, tmp: Path) -> None:
    for coder in ("alice", "bob"):  # adjudication compares coders where they marked the document done
        assert run(["code", "done", _p(project), "--coder", coder, "--doc", DOC]).code == 0
    places = json.loads(
        run(["adjudicate", "list", _p(project), "--document", DOC, "--as", "lead", "--format", "json"]).stdout
    )["places"]
    seg = places[0]["segments"][0]["id"]
    assert run(["adjudicate", "accept", _p(project), str(seg), "--by", "lead"]).code == 0
    _blind(project)
    assert_refused(project, ["adjudicate", "log", _p(project), "--as", "alice"], "blind mode")
    assert_refused(project, ["adjudicate", "log", _p(project)], "--as")
    assert run(["adjudicate", "log", _p(project), "--as", "lead"]).code == 0


# =============================================================== 1. output paths (harden-output)


@case(
    "output paths",
    OUTPUT,
    ids=["export-qdpx", "codebook-yaml", "codebook-qdc", "agree-out", "typology-out"],
    failing={"export-qdpx", "codebook-yaml", "codebook-qdc"},
)
def output_over_own_database_refused(project: Path, tmp: Path, which: str) -> None:
    db = str(project / "qualcode.db")
    args = {
        "export-qdpx": ["export", _p(project), "--as", "lead", "--qdpx", db],
        "codebook-yaml": ["codebook", "export", _p(project), "--yaml", db],
        "codebook-qdc": ["codebook", "export", _p(project), "--qdc", db],
        "agree-out": ["agree", _p(project), "--as", "lead", "--format", "json", "--out", db],
        "typology-out": ["typology", _p(project), "--as", "lead", "--format", "json", "--out", db],
    }[which]
    assert_refused(project, args)
    _project_opens(project)


@case("output paths", OUTPUT, ids=["dotdot", "symlink", "project-file"])
def output_over_own_files_by_another_spelling_refused(project: Path, tmp: Path, which: str) -> None:
    if which == "dotdot":
        target = str(project / ".." / project.name / "qualcode.db")
    elif which == "symlink":
        (tmp / "link.xlsx").symlink_to(project / "qualcode.db")
        target = str(tmp / "link.xlsx")
    else:
        target = str(project / "qualcode-project.toml")
    assert_refused(project, ["codebook", "export", _p(project), "--yaml", target])
    _project_opens(project)


@case("output paths", OUTPUT)
def output_over_another_file_needs_force(project: Path, tmp: Path) -> None:
    other = tmp / "notes.yaml"
    other.write_text("precious", encoding="utf-8")
    assert_refused(project, ["codebook", "export", _p(project), "--yaml", str(other)], "--force")
    assert other.read_text(encoding="utf-8") == "precious"


# =============================================================== 2. zip bombs (harden-output)


@case("zip bombs", OUTPUT)
def docx_bomb_bounded_by_max_size(project: Path, tmp: Path) -> None:
    bomb = corpus.docx_bomb(tmp, inflated_mb=3)
    assert bomb.stat().st_size < 200_000
    assert_refused(project, ["import", _p(project), str(bomb), "--max-size", "1"])


@case("zip bombs", OUTPUT)
def xlsx_bomb_bounded_by_max_size(project: Path, tmp: Path) -> None:
    bomb = corpus.xlsx_bomb(tmp, inflated_mb=3)
    assert bomb.stat().st_size < 200_000
    assert_refused(project, ["import", _p(project), str(bomb), "--max-size", "1"])


# =============================================================== 3. deep structures (harden-input)


def _refused_or_exportable(project: Path, tmp: Path, args: list[str]) -> None:
    before = fingerprint(project)
    outcome = run(args)
    if outcome.code != 0:
        assert_one_line_error(outcome)
        assert fingerprint(project) == before
        return
    exported = run(["codebook", "export", _p(project), "--yaml", str(tmp / "back.yaml")])
    assert exported.code == 0, exported  # never accept what cannot be exported


@case("deep structures")
def deep_qdc_codebook(project: Path, tmp: Path) -> None:
    _refused_or_exportable(project, tmp, ["codebook", "load", _p(project), str(corpus.deep_qdc(tmp, 5000))])


@case("deep structures")
def long_yaml_parent_chain(project: Path, tmp: Path) -> None:
    path = corpus.deep_yaml_codebook(tmp, 3000)
    _refused_or_exportable(project, tmp, ["codebook", "load", _p(project), str(path)])


@case("deep structures")
def two_hundred_levels_load_and_export(project: Path, tmp: Path) -> None:
    path = corpus.deep_yaml_codebook(tmp, 200)
    _refused_or_exportable(project, tmp, ["codebook", "load", _p(project), str(path)])


# =============================================================== 4. YAML tags (harden-input)


@case("YAML tags", INPUT, ids=["unknown-tag", "python-name"])
def yaml_tag_refused_with_position(project: Path, tmp: Path, which: str) -> None:
    value = {"unknown-tag": "!foo bar", "python-name": "!!python/name:os.system"}[which]
    book = corpus.codebook_yaml(tmp, "tags.yaml", name_en=value)
    assert_refused(project, ["codebook", "load", _p(project), str(book)], "tags.yaml:7:14: the YAML tag")


# =============================================================== 5. wrong text (harden-input)


@case("wrong encodings", INPUT, ids=["mixed", "stray-byte"], failing={"stray-byte"})
def undetectable_text_refused_naming_encoding(project: Path, tmp: Path, which: str) -> None:
    path = corpus.mixed_encodings(tmp) if which == "mixed" else corpus.ascii_with_stray_byte(tmp)
    assert_refused(project, ["import", _p(project), str(path)], "--encoding")


@case("CSV/xlsx oddities", INPUT)
def csv_unterminated_quote_refused_with_row(project: Path, tmp: Path) -> None:
    assert_refused(project, ["import", _p(project), str(corpus.csv_unterminated_quote(tmp))], "row")


@case("CSV/xlsx oddities")
def xlsx_formula_without_cached_value_not_stored_empty(project: Path, tmp: Path) -> None:
    path = corpus.xlsx_formula_without_cache(tmp)
    before = fingerprint(project)
    outcome = run(["import", _p(project), str(path)])
    if outcome.code == 2:
        assert_one_line_error(outcome)
        assert fingerprint(project) == before
        return
    assert outcome.code == 0, outcome
    assert "formula" in (outcome.stdout + outcome.stderr).lower()  # at least a warning


# =============================================================== 6. duplicate GUIDs (harden-input)


@case("duplicate GUIDs", INPUT, ids=["code", "user", "source"])
def duplicate_guid_in_qdpx_not_silent(project: Path, tmp: Path, which: str) -> None:
    import uuid

    user, code, code2, source = (str(uuid.uuid4()) for _ in range(4))
    users = [(user, "ann")] + ([(user, "ann2")] if which == "user" else [])
    codes = [(code, "first")] + ([(code, "second")] if which == "code" else [(code2, "second")])
    sel = corpus.selection(str(uuid.uuid4()), 0, 4, user, code)
    sources = [(source, "s1", sel)] + ([(source, "s2", "")] if which == "source" else [])
    archive = corpus.qdpx(
        tmp, "dup.qdpx", corpus.qde(users=users, codes=codes, sources=sources), {source: "abcdef"}
    )
    before = fingerprint(project)
    outcome = run(["import", _p(project), str(archive)])
    if outcome.code == 2:
        assert_one_line_error(outcome, code if which == "code" else None)
        assert fingerprint(project) == before
    else:
        assert outcome.code == 0 and "duplicate" in (outcome.stdout + outcome.stderr).lower(), outcome


# =============================================================== 8. disk full (harden-output)


@case("disk full", OUTPUT, ids=["csv", "xlsx", "qdpx"], failing={"qdpx"})
def export_to_a_full_disk(project: Path, tmp: Path, which: str) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    outcome = assert_refused(project, ["export", _p(project), "--as", "lead", f"--{which}", "/dev/full"])
    assert "full" in outcome.stderr.lower()


# =============================================================== 9. formula injection (harden-output)


@case("formula injection", OUTPUT)
def code_list_csv_guards_formulas(project: Path, tmp: Path) -> None:
    added = run(
        ["code", "add", _p(project), "--coder", "alice", "--doc", DOC, "--code", "TAL.CURR"]
        + ["--start", "20", "--end", "24", "--memo", "=1+1"]
    )
    assert added.code == 0
    outcome = run(["code", "list", _p(project), "--format", "csv"])
    assert outcome.code == 0
    assert ",=1+1" not in outcome.stdout and '"=1+1"' not in outcome.stdout


@case("formula injection", OUTPUT)
def code_list_csv_quotes_a_leading_cr(project: Path, tmp: Path) -> None:
    import csv
    import io

    added = run(
        ["code", "add", _p(project), "--coder", "alice", "--doc", DOC, "--code", "TAL.CURR"]
        + ["--start", "20", "--end", "24", "--memo", "\rsplit"]
    )
    assert added.code == 0
    rows = list(csv.DictReader(io.StringIO(run(["code", "list", _p(project), "--format", "csv"]).stdout)))
    assert len(rows) == 3 and all(row["code"] for row in rows)


@case("formula injection")
def export_xlsx_guards_formulas(project: Path, tmp: Path) -> None:
    from openpyxl import load_workbook

    run(
        ["code", "add", _p(project), "--coder", "alice", "--doc", DOC, "--code", "TAL.CURR"]
        + ["--start", "20", "--end", "24", "--memo", "=HYPERLINK(\"http://x\")"]
    )
    out = tmp / "w.xlsx"
    assert run(["export", _p(project), "--as", "lead", "--xlsx", str(out)]).code == 0
    book = load_workbook(out)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c for c in cells if c.value.startswith("=") and c.data_type == "f"]


# =============================================================== 11. smaller ones (harden-input)


@case("smaller ones", INPUT)
def pattern_outside_the_folder(project: Path, tmp: Path) -> None:
    assert_refused(project, ["import", _p(project), str(tmp), "--pattern", "/etc/*"])


@case("smaller ones", INPUT)
def project_file_not_utf8(project: Path, tmp: Path) -> None:
    corpus.not_utf8_project_file(project)
    assert_one_line_error(run(["info", _p(project)]))


@case("smaller ones", INPUT)
def code_update_without_change_logs_nothing(project: Path, tmp: Path) -> None:
    rows = json.loads(run(["code", "list", _p(project), "--coder", "alice", "--format", "json"]).stdout)
    seg = rows[0]
    before = fingerprint(project)
    outcome = run(
        [
            "code",
            "update",
            _p(project),
            "--id",
            str(seg["id"]),
            "--coder",
            "alice",
            "--start",
            str(seg["start"]),
        ]
    )
    assert outcome.code in (0, 2), outcome
    assert fingerprint(project) == before


@case("smaller ones")
def nul_in_yaml_one_line(project: Path, tmp: Path) -> None:
    book = corpus.codebook_yaml_raw(tmp, "nul.yaml", "codebook:\n  id: x\x00y\ncodes: []\n")
    assert_refused(project, ["codebook", "load", _p(project), str(book)])


@case("smaller ones", INPUT, ids=["fifo", "dev-zero"])
def special_files_named_as_such(project: Path, tmp: Path, which: str) -> None:
    if which == "fifo":
        path = tmp / "pipe.txt"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    outcome = assert_refused(project, ["import", _p(project), str(path)])
    assert "no such file" not in outcome.stderr


# =============================================================== round 1: still refused


@case("hostile archives")
def zip_slip_refused(project: Path, tmp: Path) -> None:
    assert_refused(project, ["import", _p(project), str(corpus.zip_slip(tmp))])
    assert not (tmp.parent / "escaped.txt").exists()


@case("XML attacks", ids=["billion-laughs", "external-entity"])
def xml_attack_refused(project: Path, tmp: Path, which: str) -> None:
    prolog = (
        corpus.billion_laughs()
        if which == "billion-laughs"
        else '<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    )
    archive = corpus.qdpx(
        tmp,
        "xml.qdpx",
        corpus.qde(prolog=prolog, codes=[("a" * 8, "&lol9;" if which == "billion-laughs" else "&x;")]),
    )
    assert_refused(project, ["import", _p(project), str(archive)])


@case("rule language", ids=["dunder", "call", "huge-power"])
def typology_rule_injection_refused(project: Path, tmp: Path, which: str) -> None:
    rule = {
        "dunder": "__import__('os').system('id')",
        "call": "open('/etc/passwd')",
        "huge-power": "9 ** 9 ** 9 > 1",
    }[which]
    extra = (
        f"typology:\n  types:\n    - id: T1\n      name_en: one\n      rule: {corpus.yaml_escaped(rule)}\n"
    )
    book = corpus.codebook_yaml(tmp, "rules.yaml", extra=extra)
    assert_refused(project, ["codebook", "load", _p(project), str(book)])


@case("SQL-injection strings", ids=[str(i) for i in range(len(corpus.SQL_INJECTION))])
def sql_injection_strings_are_just_names(project: Path, tmp: Path, which: str) -> None:
    text = corpus.SQL_INJECTION[int(which)]
    assert_refused(project, ["code", "list", _p(project), "--coder", text], "unknown coder")
    assert_refused(project, ["docs", "show", _p(project), text])


@case("read-only folders")
def export_into_read_only_folder(project: Path, tmp: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert_refused(project, ["export", _p(project), "--as", "lead", "--csv", str(folder / "x.csv")])
    finally:
        folder.chmod(0o700)


@case("SIGKILL during writes")
def sigkill_during_import_keeps_the_project(project: Path, tmp: Path) -> None:
    big = tmp / "long.txt"
    big.write_text("问：这是一个很长的访谈吗？\n答：是的。\n" * 40_000, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "qualcode", "import", _p(project), str(big)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(project / "qualcode.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    listed = json.loads(run(["docs", "list", _p(project), "--format", "json"]).stdout)
    names = {d["name"] for d in listed}
    assert DOC in names
    if "long" in names:  # all or nothing
        shown = json.loads(run(["docs", "show", _p(project), "long", "--format", "json"]).stdout)
        assert shown["text"] == big.read_text(encoding="utf-8")


def _param(c: Case):  # type: ignore[no-untyped-def]
    marks = [pytest.mark.xfail(strict=True, reason=c.fixed_on)] if c.fixed_on else []
    return pytest.param(c, id=c.id, marks=marks)


@pytest.mark.parametrize("item", [_param(c) for c in CASES])
def test_corpus(item: Case, project: Path, tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    item.check(project, scratch)

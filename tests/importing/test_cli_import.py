import json
from pathlib import Path

import pytest

from qualcode.cli import main
from tests.importing.helpers import EN_TRANSCRIPT, GUIDE_YAML, ZH_TRANSCRIPT, write


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    from qualcode.store.db import init_project

    init_project(str(tmp_path / "p")).dispose()
    return tmp_path / "p"


def test_import_json_summary_and_exit_code(proj: Path, tmp_path: Path, capsys) -> None:
    good = write(tmp_path / "in" / "zh.txt", ZH_TRANSCRIPT, "gb18030")
    bad = tmp_path / "in" / "empty.txt"
    bad.write_bytes(b"")
    code, out, err = run(capsys, "import", proj, tmp_path / "in", "--format", "json")
    data = json.loads(out)
    assert code == 2
    assert set(data) == {"imported", "skipped", "failed"}
    assert [r["document"] for r in data["imported"]] == ["zh"]
    assert data["failed"] == [{"file": str(bad), "error": "empty.txt: the file is empty"}]
    code, out, _ = run(capsys, "import", proj, good, "--format", "json")
    assert code == 0
    assert json.loads(out)["skipped"] == [
        {"file": str(good), "reason": "same text already imported", "existing": "zh"}
    ]


def test_docs_list_and_show(proj: Path, tmp_path: Path, capsys) -> None:
    run(capsys, "import", proj, write(tmp_path / "en.txt", EN_TRANSCRIPT))
    code, out, _ = run(capsys, "docs", "list", proj, "--format", "json")
    [doc] = json.loads(out)
    assert code == 0
    assert {"name", "sha256", "encoding", "language", "attributes", "units"} <= set(doc)
    assert doc["units"] == {"interviewer": 4, "respondent": 4}
    code, out, _ = run(capsys, "docs", "show", proj, "en", "--format", "json")
    shown = json.loads(out)
    assert shown["text"] == EN_TRANSCRIPT
    assert set(shown["units"][0]) >= {
        "seq",
        "start",
        "end",
        "speaker",
        "speaker_role",
        "question_key",
        "question_confidence",
    }
    code, out, _ = run(capsys, "docs", "show", proj, "en")
    assert code == 0 and out.endswith(EN_TRANSCRIPT)
    code, _, err = run(capsys, "docs", "show", proj, "ghost")
    assert code == 2 and err.startswith("error: no document named 'ghost'")


def test_encoding_option_and_bad_encoding(proj: Path, tmp_path: Path, capsys) -> None:
    path = write(tmp_path / "zh.txt", ZH_TRANSCRIPT, "gb18030")
    code, out, _ = run(capsys, "import", proj, path, "--encoding", "utf-8", "--format", "json")
    assert code == 2 and "not valid utf-8" in json.loads(out)["failed"][0]["error"]
    code, out, _ = run(capsys, "import", proj, path, "--encoding", "gbk", "--format", "json")
    assert code == 0 and json.loads(out)["imported"][0]["encoding"] == "gbk"


def test_import_text_summary(proj: Path, tmp_path: Path, capsys) -> None:
    code, out, _ = run(capsys, "import", proj, write(tmp_path / "en.txt", EN_TRANSCRIPT))
    assert code == 0 and "1 imported, 0 skipped, 0 failed" in out


def test_map_option_for_csv(proj: Path, tmp_path: Path, capsys) -> None:
    path = write(tmp_path / "s.csv", "who,q,said\nR1,Q1,yes\n")
    code, out, _ = run(
        capsys,
        "import",
        proj,
        path,
        "--map",
        "who=document",
        "--map",
        "said=answer",
        "--map",
        "q=question",
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["imported"][0]["document"] == "R1"
    code, _, err = run(capsys, "import", proj, path, "--map", "who")
    assert code == 2 and "expected LEFT=RIGHT" in err


def test_guide_and_autocode_commands(proj: Path, tmp_path: Path, capsys) -> None:
    run(capsys, "import", proj, write(tmp_path / "en.txt", EN_TRANSCRIPT))
    code, out, _ = run(capsys, "guide", "load", proj, write(tmp_path / "g.yaml", GUIDE_YAML))
    assert code == 0 and out.startswith("5 questions loaded")
    code, out, _ = run(capsys, "guide", "review", proj, "--format", "json")
    assert [r["seq"] for r in json.loads(out)["flagged"]] == [4, 8]
    code, out, _ = run(capsys, "guide", "align", proj, "en", "8", "Q4")
    assert code == 0 and "en unit 8 -> Q4" in out
    from qualcode.store.db import open_project
    from qualcode.store.models import Code

    opened = open_project(str(proj))
    with opened.write() as session:
        session.add(Code(key="TAL", name_en="talent"))
    opened.dispose()
    code, out, _ = run(
        capsys, "autocode", proj, "--by", "pattern", "--map", "firms=TAL", "--dry-run", "--format", "json"
    )
    assert code == 0 and json.loads(out)["counts"] == {"TAL": {"en": 2}}
    code, out, _ = run(capsys, "autocode", proj, "--by", "pattern", "--map", "firms=TAL", "--format", "json")
    run_id = json.loads(out)["run_id"]
    code, out, _ = run(capsys, "autocode", "undo", proj, run_id)
    assert code == 0 and out.startswith("removed 2 segments")


def test_bad_options_are_one_line_before_anything_is_read(proj: Path, tmp_path: Path, capsys) -> None:
    good = write(tmp_path / "in" / "zh.txt", ZH_TRANSCRIPT)
    other = write(tmp_path / "in" / "en.txt", EN_TRANSCRIPT)
    code, out, err = run(capsys, "import", proj, good, other, "--encoding", "klingon")
    assert (code, out, err) == (
        2,
        "",
        "error: unknown encoding 'klingon' (for example: gb18030, big5, utf-16)\n",
    )
    code, out, err = run(capsys, "import", proj, good, "--max-size", "0")
    assert (code, out, err) == (2, "", "error: --max-size must be more than 0 MB\n")
    code, out, _ = run(capsys, "info", proj, "--format", "json")
    assert json.loads(out)["documents"] == 0


def test_failures_print_one_line_each_and_small_sizes_stay_readable(
    proj: Path, tmp_path: Path, capsys
) -> None:
    good = write(tmp_path / "in" / "zh.txt", ZH_TRANSCRIPT)
    code, out, err = run(capsys, "import", proj, good, "--max-size", "0.0001")
    size = good.stat().st_size / 1024
    assert code == 2
    assert (
        err
        == f"error: {good}: zh.txt: {size:.1f} KB is over the 0.0001 MB limit (raise it with --max-size)\n"
    )

"""One Markdown table writer: a cell's pipe or line break never breaks the table's shape."""

from qualcode.io.markdown_table import markdown_table


def test_cells_with_pipes_and_line_breaks_keep_the_table_shape() -> None:
    lines = markdown_table(["a|b", "c"], [["x|y", "one\ntwo"], [None, 3]])
    assert lines == [
        "| a\\|b | c |",
        "|---|---|",
        "| x\\|y | one<br>two |",
        "|  | 3 |",
    ]
    # Every line has as many unescaped cell separators as the header.
    counts = {line.replace("\\|", "").count("|") for line in lines}
    assert counts == {3}


def test_commands_print_markdown_through_the_one_writer() -> None:
    """The commands that print `--format md` tables call the shared writer, not a copy."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "qualcode"
    for module in ("cli/evidence.py", "cli/configuration.py", "io/agreement_report.py"):
        text = (root / module).read_text(encoding="utf-8")
        assert "markdown_table(" in text, module
        assert '"|" + "---|"' not in text, module


def test_an_excerpt_with_a_pipe_or_line_break_stays_in_its_cell(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Transcript text quoted in the agreement report's disagreement table, and the pair labels
    (`chen|lin`) of its summary table, cannot add cells or rows."""
    from qualcode.io.agreement_report import report_markdown
    from qualcode.services.agreement.project_report import agreement_report
    from tests.agreement_project import build
    from tests.test_agreement_service import code, done

    project, ids = build(tmp_path)
    code(project, ids, "lin", "doc1", "TAL.BASE", "实训基地")
    code(project, ids, "chen", "doc1", "TAL.PROG", "储能专业")
    for coder in ("lin", "chen"):
        done(project, ids, coder, "doc1")
    report = agreement_report(project, n_boot=0)
    entry = next(c for c in report["codes"] if c["disagreements"])
    entry["disagreements"][0]["excerpt"] = "他说 | 我们\n不同意"
    lines = report_markdown(report).splitlines()
    ending = " | ".join(report["coders"]) + " |"
    header = lines.index(next(line for line in lines if line.startswith("| ") and line.endswith(ending)))
    table = lines[header : header + 2 + len(entry["disagreements"])]
    assert {line.replace("\\|", "").count("|") for line in table} == {len(report["coders"]) + 3}
    assert "他说 \\| 我们 不同意" in table[2]  # a line break in an excerpt reads as a space
    pairs = [line for line in lines if line.startswith("| pair |")]
    assert pairs and all("chen\\|lin" in line or "\\|wang" in line for line in pairs)
    summary_width = lines[lines.index(pairs[0]) - 1].replace("\\|", "").count("|")
    assert {line.replace("\\|", "").count("|") for line in pairs} == {summary_width}

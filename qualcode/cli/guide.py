"""`qualcode guide`: the interview guide and the question each answer is linked to."""

import click

from qualcode.cli._common import (
    FORMAT_OPTION,
    PROJECT_ARG,
    echo_json,
    echo_line,
    echo_table,
    open_cli_project,
)
from qualcode.i18n import N_, _

ACTOR_OPTION = click.option("--actor", envvar="QUALCODE_CODER", help=N_("Who makes the change (event log)."))


@click.group("guide")
def guide() -> None:
    """Load the interview guide and review question alignment."""


@guide.command("load")
@PROJECT_ARG
@click.argument("file", type=click.Path(dir_okay=False))
@ACTOR_OPTION
@FORMAT_OPTION
def load(project: str, file: str, actor: str | None, fmt: str) -> None:
    """Replace the guide with FILE (YAML or CSV: key, text_en, text_zh, order, code_key) and re-align."""
    from qualcode.services.sources.guide import load_guide_file

    result = load_guide_file(open_cli_project(project), file, actor=actor)
    if fmt == "json":
        echo_json(result)
    else:
        echo_line(
            _("{questions} questions loaded; {units_changed} units re-aligned").format(
                questions=result['questions'], units_changed=result['units_changed']
            )
        )


@guide.command("show")
@PROJECT_ARG
@FORMAT_OPTION
def show(project: str, fmt: str) -> None:
    """The guide's questions in order."""
    from qualcode.services.sources.guide import guide_questions

    rows = guide_questions(open_cli_project(project))
    if fmt == "json":
        echo_json(rows)
    else:
        echo_table(
            [(r["key"], r["text_en"], r["text_zh"], r["code_key"]) for r in rows],
            [_("key"), _("EN"), "中文", _("code")],
        )


@guide.command("align")
@PROJECT_ARG
@click.argument("document")
@click.argument("seq", type=int)
@click.argument("key")
@ACTOR_OPTION
@FORMAT_OPTION
def align(project: str, document: str, seq: int, key: str, actor: str | None, fmt: str) -> None:
    """Link unit SEQ of DOCUMENT to guide question KEY (`none` for no question)."""
    from qualcode.services.sources.guide import set_unit_question

    result = set_unit_question(
        open_cli_project(project), document, seq, None if key.lower() == "none" else key, actor
    )
    if fmt == "json":
        echo_json(result)
    else:
        line = (
            _("{document} unit {seq} -> {question}")
            if result["question_key"]
            else _("{document} unit {seq} -> no question")
        )
        echo_line(
            line.format(document=result["document"], seq=result["seq"], question=result["question_key"])
        )


@guide.command("review")
@PROJECT_ARG
@FORMAT_OPTION
def review(project: str, fmt: str) -> None:
    """Answers with a missing or weak question link, and questions a document never reaches."""
    from qualcode.core.alignment import link_source_label
    from qualcode.services.sources.guide import review as review_units

    data = review_units(open_cli_project(project))
    if fmt == "json":
        echo_json(data)
        return
    echo_table(
        [
            (
                r["document"],
                r["seq"],
                r["asked"] or "-",
                r["question_key"] or "-",
                r["question_text"] or "-",
                "-" if r["question_confidence"] is None else f"{r['question_confidence']:.2f}",
                link_source_label(r["question_source"]) if r["question_source"] else "-",
                r["excerpt"],
            )
            for r in data["flagged"]
        ],
        [
            _("document"),
            _("seq"),
            _("asked"),
            _("question"),
            _("question text"),
            _("confidence"),
            _("source"),
            _("answer"),
        ],
        title=_("answers to review"),
    )
    for name, keys in data["missing"].items():
        echo_line(_("{name}: no answer linked to {keys}").format(name=name, keys=', '.join(keys)))

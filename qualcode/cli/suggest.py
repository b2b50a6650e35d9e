"""`qualcode suggest`: train, evaluate and apply the offline suggester; review suggestions."""

from typing import TYPE_CHECKING, Any

import click

from qualcode.cli._common import AS_OPTION, FORCE_OPTION, PROJECT_ARG, echo_json, echo_table, open_cli_project
from qualcode.i18n import N_, _, pgettext
from qualcode.i18n.messages import localise

if TYPE_CHECKING:  # the services load only when a command runs (start-up time)
    from qualcode.services.suggest.rows import EvaluatedCoefficient, Evaluation
from qualcode.io.markdown_table import markdown_table


def _split(values: tuple[str, ...]) -> list[str] | None:
    out = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return out or None


@click.group("suggest")
def suggest() -> None:
    """A machine coder trained on your team's coding, measured like any coder, reviewed by people.

    Needs the optional libraries: pip install 'qualcode[assist]'.
    """


@suggest.command("train")
@PROJECT_ARG
@click.option(
    "--from",
    "source",
    default="union",
    show_default=True,
    help=N_("Learn from: consensus, union (any coder who marked the document done), or one coder's name."),
)
@click.option("--unit", type=click.Choice(["answer", "sentence"]), default="answer", show_default=True)
@click.option(
    "--min-positive", type=int, default=None, help=N_("Codes with fewer positive units are not modelled.")
)
@click.option(
    "--jieba", "use_jieba", is_flag=True, help=N_("Add jieba word features to the character n-grams.")
)
@AS_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def train_cmd(
    project: str,
    source: str,
    unit: str,
    min_positive: int | None,
    use_jieba: bool,
    viewer: str | None,
    fmt: str,
) -> None:
    """Train one classifier per code on units people coded (documents marked done) and store it in the project."""
    from qualcode.services.suggest.training import train

    result = train(
        open_cli_project(project),
        source=source,
        unit=unit,
        params={"min_positive": min_positive, "jieba": use_jieba or None},
        actor=viewer,
    )
    if fmt == "json":
        echo_json(result)
        return
    rows: list[tuple[Any, ...]] = [(k, n, "modelled") for k, n in result["codes_modelled"].items()]
    rows += [(k, "", f"not modelled: {why}") for k, why in result["codes_skipped"].items()]
    echo_table(
        rows,
        [_("code"), _("positive units"), _("status")],
        title=_("{coder} trained").format(coder=result["coder"]),
    )
    click.echo(
        _(
            "{coder}: {n_units} units from {count} documents, learned from {source}; {count2} codes modelled, {count3} not modelled."
        ).format(
            coder=result['coder'],
            n_units=result['n_units'],
            count=len(result['documents']),
            source=result['source'],
            count2=len(result['codes_modelled']),
            count3=len(result['codes_skipped']),
        )
    )


def _fmt(c: "EvaluatedCoefficient | None") -> str:
    if not c or c.get("value") is None:
        return pgettext("agreement table", "undefined")
    value, low, high = c["value"], c.get("ci_low"), c.get("ci_high")
    if low is None or high is None:
        return f"{value:.3f}"
    return f"{value:.3f} [{low:.3f}, {high:.3f}]"


def _rows(report: "Evaluation") -> list[tuple[Any, ...]]:
    from qualcode.core.suggest import verdict_label

    rows = []
    for e in report["codes"]:
        rate = (e.get("reviews") or {}).get("acceptance_rate")
        rows.append(
            (
                e["code"],
                e["positives"],
                _fmt(e.get("alpha_vs_reference")),
                _fmt(e.get("alpha_coders_ceiling")),
                _fmt(e.get("f1")),
                e.get("alpha_vs_reference", {}).get("n_units", ""),
                "" if rate is None else f"{rate:.0%}",
                verdict_label(e.get("verdict", "")),
            )
        )
    return rows


# Column headings of the evaluation table, translated when shown.
HEADERS = [
    N_("code"),
    N_("positives"),
    N_("alpha vs reference"),
    N_("coders' alpha (ceiling)"),
    N_("F1"),
    N_("units"),
    N_("accepted"),
    N_("verdict"),
]


def _headers() -> list[str]:
    return [_(h) for h in HEADERS]


def _markdown(report: "Evaluation") -> str:
    from qualcode.services.suggest.labels import group_label

    lines = [
        "# "
        + _("Suggester evaluation ({folds}-fold cross-validation grouped by {grouped_by})").format(
            folds=report["folds"], grouped_by=group_label(report["grouped_by"])
        ),
        "",
        _(
            "Learned from {source}; reference {reference}; {n_units} {unit} units in {n_groups} groups; "
            "bootstrap {bootstrap} resamples, seed {seed}."
        ).format_map(report),
        "",
        _("Verdict rule: {verdict_rule}.").format(verdict_rule=localise(report["verdict_rule"])),
        "",
        *markdown_table(_headers(), _rows(report)),
    ]
    per_coder = sorted({n for e in report["codes"] for n in e.get("alpha_vs_coders", {})})
    if per_coder:
        lines += ["", _("Alpha of the model against each coder:"), ""]
        lines += markdown_table(
            [_("code"), *per_coder],
            (
                [e["code"], *(_fmt(e["alpha_vs_coders"].get(n)) for n in per_coder)]
                for e in report["codes"]
                if "alpha_vs_coders" in e
            ),
        )
    return "\n".join(lines) + "\n"


@suggest.command("evaluate")
@PROJECT_ARG
@click.option(
    "--from", "source", default=None, help=N_("Learn from (default: as the newest stored model, else union).")
)
@click.option("--unit", type=click.Choice(["answer", "sentence"]), default=None)
@click.option(
    "--folds",
    type=int,
    default=5,
    show_default=True,
    help=N_("Cross-validation folds (grouped by case or respondent)."),
)
@click.option(
    "--threshold",
    type=float,
    default=0.5,
    show_default=True,
    help=N_("Probability at which the model applies a code."),
)
@click.option("--bootstrap", "n_boot", type=int, default=1000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--good", type=float, default=0.800, show_default=True, help=N_("Alpha for 'suggest'."))
@click.option(
    "--caution", type=float, default=0.667, show_default=True, help=N_("Alpha for 'suggest with caution'.")
)
@AS_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "md", "xlsx"]), default="table", show_default=True
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help=N_("Write the report here (needed for xlsx)."),
)
@FORCE_OPTION
def evaluate_cmd(
    project: str,
    source: str | None,
    unit: str | None,
    folds: int,
    threshold: float | None,
    n_boot: int,
    seed: int,
    good: float,
    caution: float,
    viewer: str | None,
    fmt: str,
    out: str | None,
    force: bool,
) -> None:
    """Cross-validate the suggester and measure it per code like a coder: alpha against each coder and
    consensus, the coders' own alpha as the ceiling, precision/recall/F1, a verdict per code."""
    from qualcode.core.errors import ValidationError
    from qualcode.core.suggest import VerdictRule
    from qualcode.services.suggest.evaluation import evaluate
    from qualcode.services.suggest.labels import group_label

    if fmt == "xlsx" and not out:
        raise ValidationError(_("--format xlsx needs --out FILE.xlsx"))
    if not 0.0 <= caution <= good <= 1.0:
        raise ValidationError(_("thresholds must satisfy 0 <= --caution <= --good <= 1"))
    opened = open_cli_project(project)
    report = evaluate(
        opened,
        source=source,
        unit=unit,
        folds=folds,
        threshold=threshold,
        n_boot=n_boot,
        seed=seed,
        rule=VerdictRule(good=good, caution=caution),
        viewer=viewer,
    )
    if fmt == "xlsx":
        from qualcode.services.outputs import write_table_output

        rows = [[*row, localise(report["verdict_rule"])] for row in _rows(report)]
        write_table_output(
            opened, str(out), [*_headers(), _("verdict rule")], rows, force=force, title="suggester"
        )
        click.echo(_("wrote {out}").format(out=out))
        return
    if fmt == "table":
        echo_table(
            _rows(report),
            _headers(),
            title=_("{folds}-fold grouped by {grouped_by}").format(
                folds=report["folds"], grouped_by=group_label(report["grouped_by"])
            ),
        )
        click.echo(_("Verdict rule: {verdict_rule}.").format(verdict_rule=localise(report['verdict_rule'])))
        return
    if fmt == "json":
        import json

        text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    else:
        text = _markdown(report)
    if not out:
        click.echo(text, nl=False)
        return
    from qualcode.services.outputs import write_text_output

    write_text_output(opened, out, text, force=force)
    click.echo(_("wrote {out}").format(out=out))


@suggest.command("apply")
@PROJECT_ARG
@click.option(
    "--backend",
    type=click.Choice(["offline", "openai-compatible"]),
    default="offline",
    show_default=True,
    help=N_("The trained offline model, or a chat-completions server (local or intranet)."),
)
@click.option(
    "--model", "model", default=None, help=N_("offline: model id (default the newest); server: model name.")
)
@click.option(
    "--url", default=None, help=N_("Server base URL, e.g. http://127.0.0.1:11434/v1 (openai-compatible).")
)
@click.option(
    "--allow-remote", is_flag=True, help=N_("Allow a server outside loopback and private networks.")
)
@click.option(
    "--pseudonymise", is_flag=True, help=N_("Replace speaker names before sending text to the server.")
)
@click.option("--temperature", type=float, default=0.0, show_default=True)
@click.option(
    "--timeout", type=float, default=120.0, show_default=True, help=N_("Seconds to wait per document.")
)
@click.option("--docs", multiple=True, help=N_("Documents (repeat or comma-separate; default: all)."))
@click.option(
    "--codes", multiple=True, help=N_("Codes (repeat or comma-separate; default: every modelled code).")
)
@click.option(
    "--min-probability",
    type=float,
    default=None,
    help=N_("offline: suggest where the probability reaches this (default: each code's threshold)."),
)
@click.option("--actor", envvar="QUALCODE_CODER", help=N_("Who runs it (event log)."))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def apply_cmd(
    project: str,
    backend: str,
    model: str | None,
    url: str | None,
    allow_remote: bool,
    pseudonymise: bool,
    temperature: float,
    timeout: float,
    docs: tuple[str, ...],
    codes: tuple[str, ...],
    min_probability: float | None,
    actor: str | None,
    fmt: str,
) -> None:
    """Write suggestions as the suggester's own layer (never anyone's coding) for people to review."""
    from qualcode.core.errors import ValidationError

    if backend == "openai-compatible":
        from qualcode.services.suggest.llm import apply_llm

        if not url or not model:
            raise ValidationError(_("--backend openai-compatible needs --url and --model NAME"))
        asked = apply_llm(
            open_cli_project(project),
            url=url,
            model=model,
            docs=_split(docs),
            codes=_split(codes),
            temperature=temperature,
            timeout=timeout,
            allow_remote=allow_remote,
            pseudonymise_names=pseudonymise,
            actor=actor,
        )
        if fmt == "json":
            echo_json(asked)
            return
        click.echo(
            _(
                "{coder}: {written} suggestions written for {documents} documents; {not_found} quotes not found in the text and {unknown_code} unknown codes were discarded."
            ).format_map(asked)
        )
        return
    from qualcode.services.suggest.applying import apply_model

    model_id = None
    if model is not None:
        try:
            model_id = int(model.removeprefix("model:"))
        except ValueError as exc:
            raise ValidationError(
                _("--model must be a model id such as 1 or model:1, not {model!r}").format(model=model)
            ) from exc
    result = apply_model(
        open_cli_project(project),
        model_id=model_id,
        docs=_split(docs),
        codes=_split(codes),
        min_probability=min_probability,
        actor=actor,
    )
    if fmt == "json":
        echo_json(result)
        return
    click.echo(
        _(
            "{coder}: {written} suggestions written for {units} units in {documents} documents ({replaced} unreviewed suggestions replaced)."
        ).format(
            coder=result['coder'],
            written=result['written'],
            units=result['units'],
            documents=result['documents'],
            replaced=result['replaced'],
        )
    )


@suggest.command("list")
@PROJECT_ARG
@AS_OPTION
@click.option("--doc", default=None)
@click.option(
    "--status", type=click.Choice(["open", "accepted", "rejected", "all"]), default="open", show_default=True
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_cmd(project: str, viewer: str | None, doc: str | None, status: str, fmt: str) -> None:
    """Suggestions you may see (in blind mode only while a lead allows assisted coding)."""
    from qualcode.core.errors import ValidationError
    from qualcode.services.suggest.layer import list_suggestions

    if viewer is None:
        raise ValidationError(_("say who reviews with --as NAME"))
    rows = list_suggestions(
        open_cli_project(project), viewer=viewer, document=doc, status=None if status == "all" else status
    )
    if fmt == "json":
        echo_json(rows)
        return
    echo_table(
        [
            (
                r["id"],
                r["document"],
                r["code"],
                f"[{r['start']}, {r['end']})",
                f"{r['probability']:.2f}" if r["probability"] is not None else "",
                r["owner"],
                r["status"],
            )
            for r in rows
        ],
        [_("id"), _("document"), _("code"), _("span"), _("probability"), _("by"), _("status")],
    )


def _review(action: str) -> click.Command:
    @click.command(action)
    @PROJECT_ARG
    @click.argument("suggestion_id", type=int)
    @AS_OPTION
    def cmd(project: str, suggestion_id: int, viewer: str | None) -> None:
        from qualcode.core.errors import ValidationError
        from qualcode.services.suggest import layer

        if viewer is None:
            raise ValidationError(_("say who {action}s with --as NAME").format(action=action))
        result = getattr(layer, action)(open_cli_project(project), suggestion_id, coder=viewer)
        echo_json(result)

    cmd.help = (
        "Accept a suggestion: it becomes your own segment (undo with `code undo`)."
        if action == "accept"
        else "Reject a suggestion (logged; undo with `code undo`)."
    )
    return cmd


suggest.add_command(_review("accept"))
suggest.add_command(_review("reject"))


@suggest.command("assist")
@PROJECT_ARG
@click.argument("state", type=click.Choice(["on", "off"]))
@AS_OPTION
def assist_cmd(project: str, state: str, viewer: str | None) -> None:
    """Assisted coding: whether coders see suggestions while blind mode is on (leads only)."""
    from qualcode.core.errors import ValidationError
    from qualcode.services.suggest.layer import set_assisted

    if viewer is None:
        raise ValidationError(_("only a lead may change assisted coding: add --as LEAD"))
    result = set_assisted(open_cli_project(project), state == "on", actor=viewer)
    click.echo(_("assisted coding is on") if result["assisted_coding"] else _("assisted coding is off"))


@suggest.command("models")
@PROJECT_ARG
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def models_cmd(project: str, fmt: str) -> None:
    """Stored suggesters and what they were trained on."""
    from qualcode.services.suggest.training import list_models

    rows = list_models(open_cli_project(project))
    if fmt == "json":
        echo_json(rows)
        return
    echo_table(
        [
            (r["coder"], r["created_at"][:19], r["source"], r["unit"], r["n_units"], r["codes_modelled"])
            for r in rows
        ],
        [_("model"), _("trained"), _("from"), _("unit"), _("units"), _("codes")],
    )

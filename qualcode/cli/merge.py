"""`qualcode merge TARGET SOURCE... [--dry-run] [--map-coder SRC=DST ...] [--add-codes]`."""

import click

from qualcode.cli._common import echo_json, echo_line, open_cli_project


def _parse_mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    from qualcode.core.errors import QualcodeError

    mapping: dict[str, str] = {}
    for pair in pairs:
        source, sep, target = pair.partition("=")
        if not sep or not source or not target:
            raise QualcodeError(f"--map-coder takes SOURCE_NAME=TARGET_NAME, not {pair!r}")
        if source in mapping and mapping[source] != target:
            raise QualcodeError(f"--map-coder maps {source!r} twice ({mapping[source]!r} and {target!r})")
        mapping[source] = target
    return mapping


def _print_report(report: dict) -> None:  # type: ignore[type-arg]
    verb = "would add" if report["dry_run"] else "added"
    echo_line(f"{'dry run: ' if report['dry_run'] else ''}merging into {report['target']}")
    for src in report["sources"]:
        echo_line(f"from {src['source']}:")
        renamed = {k: v for k, v in src["coders"].items() if k != v}
        if renamed:
            echo_line("  coders mapped: " + ", ".join(f"{k} -> {v}" for k, v in renamed.items()))
        if src["new_coders"]:
            echo_line(f"  {verb} coders: " + ", ".join(f"{k} ({v})" for k, v in src["new_coders"].items()))
        if src["new_codes"]:
            echo_line(f"  {verb} codes: " + ", ".join(src["new_codes"]))
        echo_line(
            f"  {verb} {src['new_documents']} documents, {src['segments_added']} segments "
            f"({src['segments_already_present']} already present), {src['memos_added']} memos, "
            f"{src['segment_memos_merged']} segment memos merged, {src['statuses_changed']} document statuses, "
            f"{src['cases_added']} cases, {src['case_members_added']} case members"
        )
        book = src["codebook"]
        if book["only_in_source"]:
            echo_line("  codes only in the source: " + ", ".join(book["only_in_source"]))
        if book["only_in_target"]:
            echo_line("  codes only in the target: " + ", ".join(book["only_in_target"]))
        for diff in book["changed"]:
            echo_line(
                f"  code {diff['key']}: {diff['field']} differs (target {diff['target']!r}, "
                f"source {diff['source']!r}; the target's is kept)"
            )
    if not report["would_change"]:
        click.echo("nothing to merge: the target already holds everything")


@click.command()
@click.argument("target")
@click.argument("sources", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Show what would change and write nothing.")
@click.option(
    "--map-coder",
    "map_coder",
    multiple=True,
    metavar="SRC=DST",
    help="Treat source coder SRC as target coder DST (repeatable).",
)
@click.option("--add-codes", is_flag=True, help="Copy codes the target's codebook lacks instead of refusing.")
@click.option("--as", "actor", default=None, envvar="QUALCODE_CODER", help="Who runs the merge (recorded).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def merge(
    target: str,
    sources: tuple[str, ...],
    dry_run: bool,
    map_coder: tuple[str, ...],
    add_codes: bool,
    actor: str | None,
    fmt: str,
) -> None:
    """Merge coders' offline copies (SOURCE...) into TARGET without losing or duplicating a segment.

    Documents match by text (SHA-256), codes by key, coders by name. Conflicts (a coder name
    with a different role, or with diverging coding of the same document; a code the target
    lacks; a document name with a different text) stop the merge and change nothing.
    """
    from qualcode.services.team.merge import merge_projects

    report = merge_projects(
        open_cli_project(target),
        list(sources),
        dry_run=dry_run,
        coder_map=_parse_mapping(map_coder),
        add_codes=add_codes,
        actor=actor,
    )
    if fmt == "json":
        echo_json(report)
    else:
        _print_report(report)

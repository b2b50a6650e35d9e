"""`qualcode merge TARGET SOURCE...` and `qualcode merge resolve TARGET SOURCE [ID...] --take SIDE`."""

from typing import Any

import click

from qualcode.cli._common import echo_json, echo_line, open_cli_project
from qualcode.core.participation import role_label
from qualcode.i18n import N_, _, join_list, pgettext


def _parse_mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    from qualcode.core.errors import QualcodeError

    mapping: dict[str, str] = {}
    for pair in pairs:
        source, sep, target = pair.partition("=")
        if not sep or not source or not target:
            raise QualcodeError(
                _("--map-coder takes SOURCE_NAME=TARGET_NAME, not {pair!r}").format(pair=pair)
            )
        if source in mapping and mapping[source] != target:
            raise QualcodeError(
                _("--map-coder maps {source!r} twice ({mapping!r} and {target!r})").format(
                    source=source, mapping=mapping[source], target=target
                )
            )
        mapping[source] = target
    return mapping


def _print_union(src: dict[str, Any], dry_run: bool) -> None:
    renamed = {k: v for k, v in src["coders"].items() if k != v}
    if renamed:
        echo_line(
            _("  coders mapped: {pairs}").format(pairs=join_list(f"{k} -> {v}" for k, v in renamed.items()))
        )
    new_coders = join_list(f"{k} ({role_label(v)})" for k, v in src["new_coders"].items())
    if new_coders:
        line = _("  would add coders: {coders}") if dry_run else _("  added coders: {coders}")
        echo_line(line.format(coders=new_coders))
    if src["new_codes"]:
        line = _("  would add codes: {codes}") if dry_run else _("  added codes: {codes}")
        echo_line(line.format(codes=join_list(src["new_codes"])))
    counts = (
        _(
            "  would add {new_documents} documents, {segments_added} segments ({segments_already_present} "
            "already present), {memos_added} memos, {segment_memos_merged} segment memos merged, "
            "{statuses_changed} document statuses, {cases_added} cases, {case_members_added} case members"
        )
        if dry_run
        else _(
            "  added {new_documents} documents, {segments_added} segments ({segments_already_present} "
            "already present), {memos_added} memos, {segment_memos_merged} segment memos merged, "
            "{statuses_changed} document statuses, {cases_added} cases, {case_members_added} case members"
        )
    )
    echo_line(counts.format_map(src))
    book = src["codebook"]
    if book["only_in_source"]:
        echo_line(_("  codes only in the source: {codes}").format(codes=join_list(book["only_in_source"])))
    if book["only_in_target"]:
        echo_line(_("  codes only in the target: {codes}").format(codes=join_list(book["only_in_target"])))
    for diff in book["changed"]:
        echo_line(
            _(
                "  code {key}: {field} differs (target {target!r}, source {source!r}; the target's is kept)"
            ).format(key=diff["key"], field=diff["field"], target=diff["target"], source=diff["source"])
        )


# What a three-way merge does with one change, said the same way in a dry run and a real one.
_ACTIONS = {
    ("add", True): N_("would add {what}"),
    ("add", False): N_("added {what}"),
    ("remove", True): N_("would remove {was}"),
    ("remove", False): N_("removed {was}"),
    ("change", True): N_("would change {was} to {what}"),
    ("change", False): N_("changed {was} to {what}"),
}
# The kinds of conflict a three-way merge reports (docs/team.md); the JSON keeps the key.
_CONFLICT_KINDS = {
    "changed_on_both_sides": N_("changed on both sides"),
    "removed_and_edited": N_("removed on one side, edited on the other"),
    "codebook_orphans": N_("codebook and coding out of step"),
}


def _print_threeway(src: dict[str, Any], dry_run: bool) -> None:
    renamed = {k: v for k, v in src["coders"].items() if k != v}
    if renamed:
        echo_line(
            _("  coders recognised: {pairs}").format(
                pairs=join_list(
                    _("{source} is {target}").format(source=k, target=v) for k, v in renamed.items()
                )
            )
        )
    if src["new_coders"]:
        echo_line(
            _("  new coders: {coders}").format(
                coders=join_list(f"{k} ({role_label(v)})" for k, v in src["new_coders"].items())
            )
        )
    if src["new_documents"]:
        echo_line(_("  new documents: {new_documents}").format(new_documents=src["new_documents"]))
    for action in src["actions"]:
        line = _(_ACTIONS[(action["action"], dry_run)]).format(what=action["source"], was=action["target"])
        echo_line(f"  {line}")
    if not src["actions"]:
        echo_line(_("  no changes to coding, memos, statuses or the codebook"))
    if src["already_present"]:
        echo_line(
            _("  {already_present} of the copy's changes are already in the target").format(
                already_present=src["already_present"]
            )
        )
    for item in src["resolved"]:
        line = (
            _("  conflict {id} settled: the target's version is kept")
            if item["take"] == "target"
            else _("  conflict {id} settled: the source's version is kept")
        )
        echo_line(line.format(id=item["id"]))
    for item in src["conflicts"]:
        kind = _CONFLICT_KINDS.get(item["kind"])
        echo_line(
            _("  CONFLICT {id} ({kind}), left as the target has it:").format(
                id=item["id"], kind=_(kind) if kind else item["kind"].replace("_", " ")
            )
        )
        removed = pgettext("merge side", "removed")
        echo_line(_("    target: {what}").format(what=item["target"] or removed))
        echo_line(_("    source: {what}").format(what=item["source"] or removed))
    if src["conflicts"]:
        echo_line(
            _(
                "  settle them with `qualcode merge resolve TARGET SOURCE ID... --take target|source` (or --all)"
            )
        )


def _print_report(report: dict[str, Any]) -> None:
    dry_run = report["dry_run"]
    line = _("dry run: merging into {target}") if dry_run else _("merging into {target}")
    echo_line(line.format(target=report["target"]))
    for src in report["sources"]:
        mode = (
            pgettext("merge mode", "union") if src["mode"] == "union" else pgettext("merge mode", "three-way")
        )
        echo_line(_("from {source} ({mode}):").format(source=src["source"], mode=mode))
        for warning in src["warnings"]:
            echo_line(_("warning: {warning}").format(warning=warning), err=True)
        if src["mode"] == "union":
            _print_union(src, dry_run)
        else:
            _print_threeway(src, dry_run)
    if report["backup"]:
        echo_line(_("backup of the target before the merge: {backup}").format(backup=report["backup"]))
    if not report["would_change"]:
        echo_line(_("nothing to merge: the target already holds everything"))


class _MergeGroup(click.Group):
    """`merge TARGET SOURCE...` runs a merge; `merge resolve ...` settles its conflicts."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_MergeGroup)
def merge() -> None:
    """Merge coders' offline copies of a project into one.

    \b
    qualcode merge TARGET SOURCE... [--dry-run] [--on-conflict leave|target|source]
    qualcode merge resolve TARGET SOURCE [ID...] --take target|source [--all]

    A copy of the project (e.g. a plain copy of its folder) is merged three-way from its event
    log: its additions, removals, edits, memo edits, done marks and codebook changes arrive;
    conflicts are listed and left as the target has them until settled. A project that
    shares no history with the target is merged as a union (nothing is removed).

    Options of a merge: --dry-run, --on-conflict, --map-coder SRC=DST, --add-codes, --as NAME,
    --format text|json (details: `qualcode merge run --help`). See docs/team.md.
    """


def _options(fn: Any) -> Any:
    for option in reversed(
        [
            click.option(
                "--map-coder",
                "map_coder",
                multiple=True,
                metavar="SRC=DST",
                help=N_("Treat source coder SRC as target coder DST (repeatable)."),
            ),
            click.option(
                "--add-codes",
                is_flag=True,
                help=N_("Union merges: copy codes the target's codebook lacks instead of refusing."),
            ),
            click.option(
                "--as",
                "actor",
                default=None,
                envvar="QUALCODE_CODER",
                help=N_("Who runs the merge (recorded)."),
            ),
            click.option(
                "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
            ),
        ]
    ):
        fn = option(fn)
    return fn


@merge.command("run", hidden=True)
@click.argument("target")
@click.argument("sources", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help=N_("Show what would change and write nothing."))
@click.option(
    "--on-conflict",
    type=click.Choice(["leave", "target", "source"]),
    default="leave",
    show_default=True,
    help=N_("Leave conflicts for `merge resolve`, or settle them all for one side."),
)
@_options
def run(
    target: str,
    sources: tuple[str, ...],
    dry_run: bool,
    on_conflict: str,
    map_coder: tuple[str, ...],
    add_codes: bool,
    actor: str | None,
    fmt: str,
) -> None:
    """Merge SOURCE... into TARGET (see `qualcode merge --help`)."""
    from qualcode.services.team.merge import merge_projects

    report = merge_projects(
        open_cli_project(target),
        list(sources),
        dry_run=dry_run,
        coder_map=_parse_mapping(map_coder),
        add_codes=add_codes,
        actor=actor,
        policy=None if on_conflict == "leave" else on_conflict,
    )
    if fmt == "json":
        echo_json(report)
    else:
        _print_report(report)


@merge.command()
@click.argument("target")
@click.argument("source")
@click.argument("ids", nargs=-1)
@click.option(
    "--take", type=click.Choice(["target", "source"]), required=True, help=N_("Whose version to keep.")
)
@click.option("--all", "all_", is_flag=True, help=N_("Settle every open conflict of SOURCE this way."))
@_options
def resolve(
    target: str,
    source: str,
    ids: tuple[str, ...],
    take: str,
    all_: bool,
    map_coder: tuple[str, ...],
    add_codes: bool,
    actor: str | None,
    fmt: str,
) -> None:
    """Settle conflicts a merge of SOURCE into TARGET listed (by id, or a unique start of one).

    Also merges whatever else SOURCE still brings, as `qualcode merge` would.
    """
    from qualcode.core.errors import QualcodeError
    from qualcode.services.team.merge import merge_projects, open_conflict_ids

    if all_ == bool(ids):
        raise QualcodeError(_("name the conflicts to settle, or give --all (not both)"))
    project = open_cli_project(target)
    mapping = _parse_mapping(map_coder)
    chosen = None if all_ else open_conflict_ids(project, source, list(ids), coder_map=mapping)
    report = merge_projects(
        project,
        [source],
        coder_map=mapping,
        add_codes=add_codes,
        actor=actor,
        take=None if chosen is None else {i: take for i in chosen},
        policy=take if all_ else None,
    )
    if fmt == "json":
        echo_json(report)
    else:
        _print_report(report)

"""`qualcode adjudicate list|accept|edit|reject`: record consensus decisions."""

import click

from qualcode.cli._common import (
    AS_OPTION,
    FORMAT_OPTION,
    PROJECT_ARG,
    echo_json,
    echo_line,
    echo_table,
    open_cli_project,
)
from qualcode.i18n import N_, _, join_list, pgettext
from qualcode.i18n.messages import localise


@click.group()
def adjudicate() -> None:
    """Review disagreements and record consensus coding (raw codings are kept)."""


@adjudicate.command("list")
@PROJECT_ARG
@click.option("--document", required=True, help=N_("Document name."))
@click.option("--code", default=None, help=N_("Only this code."))
@click.option(
    "--coders",
    default=None,
    help=N_("Comma-separated coders to compare (default: the participation rule, as in `agree`)."),
)
@AS_OPTION
@FORMAT_OPTION
def list_(
    project: str, document: str, code: str | None, coders: str | None, viewer: str | None, fmt: str
) -> None:
    """List the places in DOCUMENT where coders' segments differ (in blind mode: leads only)."""
    from qualcode.services.agreement.consensus import disagreement_listing

    names = [c.strip() for c in coders.split(",") if c.strip()] if coders else None
    listing = disagreement_listing(open_cli_project(project), document, code, names, viewer=viewer)
    if fmt == "json":
        echo_json(listing)
        return
    rows = []
    for p in listing["places"]:
        segs = "; ".join(
            f"#{s['id']} {s['coder']} [{s['start']}, {s['end']}) {s['text'][:30]}" for s in p["segments"]
        )
        state = (
            pgettext("place state", "rejected")
            if p["rejected"]
            else (pgettext("place state", "consensus") if p["consensus"] else pgettext("place state", "open"))
        )
        rows.append([p["code"], f"[{p['start']}, {p['end']})", segs, ", ".join(p["coders_without"]), state])
    echo_table(
        rows,
        [_("code"), _("place"), _("segments"), _("not coded by"), _("state")],
        title=_("Disagreements in {document}").format(document=document),
    )
    click.echo(
        _("compared: {coders}").format(coders=join_list(listing["coders"]))
        if listing["coders"]
        else _("compared: nobody")
    )
    for item in listing["not_compared"]:
        click.echo(
            _("not compared: {coder} ({reason})").format(coder=item['coder'], reason=localise(item['reason']))
        )
    click.echo(
        _("who is compared: {participation_rule}").format(participation_rule=_(listing["participation_rule"]))
    )
    for note in listing["notes"]:
        click.echo(_("note: {note}").format(note=note))


@adjudicate.command("accept")
@PROJECT_ARG
@click.argument("segment_ids", nargs=-1, type=int, required=True)
@click.option("--by", "decided_by", required=True, help=N_("The lead who decides."))
def accept(project: str, segment_ids: tuple[int, ...], decided_by: str) -> None:
    """Take the segments SEGMENT_IDS as they are into the consensus."""
    from qualcode.services.agreement.consensus import accept as accept_segments

    for seg in accept_segments(open_cli_project(project), list(segment_ids), decided_by):
        echo_line(
            _("consensus #{id}: {code} [{start}, {end}) in {document}").format(
                id=seg['id'], code=seg['code'], start=seg['start'], end=seg['end'], document=seg['document']
            )
        )


@adjudicate.command("edit")
@PROJECT_ARG
@click.option("--document", required=True)
@click.option("--code", required=True)
@click.option("--start", type=int, required=True)
@click.option("--end", type=int, required=True)
@click.option("--by", "decided_by", required=True, help=N_("The lead who decides."))
@click.option("--memo", default=None)
@click.option(
    "--from", "sources", default=None, help=N_("Comma-separated ids of the segments this decision merges.")
)
def edit(
    project: str,
    document: str,
    code: str,
    start: int,
    end: int,
    decided_by: str,
    memo: str | None,
    sources: str | None,
) -> None:
    """Record a consensus segment with boundaries set by the lead."""
    from qualcode.services.agreement.consensus import accept_edited

    try:
        ids = [int(x) for x in sources.split(",")] if sources else None
    except ValueError:
        raise click.BadParameter(
            f"expected comma-separated segment ids, got {sources!r}", param_hint="--from"
        ) from None
    seg = accept_edited(open_cli_project(project), document, code, start, end, decided_by, memo, ids)
    echo_line(
        _("consensus #{id}: {code} [{start}, {end}) in {document}").format(
            id=seg['id'], code=seg['code'], start=seg['start'], end=seg['end'], document=seg['document']
        )
    )


@adjudicate.command("reject")
@PROJECT_ARG
@click.option("--document", required=True)
@click.option("--code", required=True)
@click.option("--start", type=int, required=True)
@click.option("--end", type=int, required=True)
@click.option("--by", "decided_by", required=True, help=N_("The lead who decides."))
@click.option("--reason", default=None)
def reject(
    project: str, document: str, code: str, start: int, end: int, decided_by: str, reason: str | None
) -> None:
    """Decide that CODE does not apply at [start, end) (logged; no consensus segment)."""
    from qualcode.services.agreement.consensus import reject as reject_place

    r = reject_place(open_cli_project(project), document, code, start, end, decided_by, reason)
    echo_line(
        _("rejected {code} [{start}, {end}) in {document} (decided by {decided_by})").format(
            code=r['code'], start=r['start'], end=r['end'], document=r['document'], decided_by=r['decided_by']
        )
    )


@adjudicate.command("log")
@PROJECT_ARG
@click.option("--document", default=None, help=N_("Only decisions in this document."))
@AS_OPTION
@FORMAT_OPTION
def log(project: str, document: str | None, viewer: str | None, fmt: str) -> None:
    """Show every consensus decision: when, who decided, what and where (leads only in blind mode)."""
    from qualcode.services.agreement.consensus import decisions

    rows = decisions(open_cli_project(project), document, viewer)
    if fmt == "json":
        echo_json(rows)
        return
    echo_table(
        (
            [
                r["at"][:19],
                r["decided_by"],
                r["decision"],
                r["document"],
                r["code"],
                f"[{r['start']}, {r['end']})",
                r.get("reason") or "",
            ]
            for r in rows
        ),
        [_("when"), _("decided by"), _("decision"), _("document"), _("code"), _("span"), _("reason")],
        title=_("Consensus decisions"),
    )

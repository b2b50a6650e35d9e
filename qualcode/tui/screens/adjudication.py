"""The lead's adjudication screen: for each place where coders differ, accept A, accept B, keep both,
edit the span, or reject. Decisions become segments of the `consensus` coder; raw codings are kept.
"""

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Select, Static

from qualcode.i18n import N_, _, join_list
from qualcode.i18n.messages import localise, localise_all
from qualcode.services.agreement import consensus
from qualcode.services.agreement.rows import DisagreementListing, DisagreementPlace
from qualcode.services.coding import undo, workbench
from qualcode.tui.failures import CANNOT_LOAD, Failed
from qualcode.tui.relabel import add_columns, relabel_columns
from qualcode.tui.safe_text import markup_safe, plain
from qualcode.tui.screens.base import QualcodeScreen
from qualcode.tui.screens.text_prompt import LinePrompt
from qualcode.tui.widgets.key_bar import KeyBar


def _b(key: str, action: str, desc: str, tip: str, show: bool = True) -> Binding:
    return Binding(key, action, desc, show=show, id=f"adjudicate.{action}", tooltip=tip)


def _who(listing: DisagreementListing) -> str:
    """The compared coders, the others with the reason, and the rule, for the line above the table."""
    lines = [_("Compared: {coders}").format(coders=join_list(listing["coders"]) or _("nobody"))]
    lines += [
        _("Not compared: {coder} ({reason})").format(coder=item["coder"], reason=localise(item["reason"]))
        for item in listing["not_compared"]
    ]
    lines += localise_all(listing["notes"])
    lines.append(_("Who is compared: {rule}").format(rule=_(listing["participation_rule"])))
    return "\n".join(lines)


COLUMNS = (N_("code"), N_("span"), N_("A"), N_("B"), N_("others"), N_("without"), N_("decision"))
DECISIONS = {"rejected": N_("rejected"), "consensus": N_("consensus"), "open": N_("open")}


def _decision(place: DisagreementPlace) -> str:
    return "rejected" if place["rejected"] else ("consensus" if place["consensus"] else "open")


class AdjudicationScreen(QualcodeScreen[None]):
    TITLE = N_("Adjudication")
    BINDINGS = [
        Binding(
            "escape", "app.pop_screen", N_("Back"), id="adjudicate.back", tooltip=N_("Back to the workbench")
        ),
        _b("a", "accept_a", N_("Accept A"), N_("Take the first coder's segment into the consensus")),
        _b("b", "accept_b", N_("Accept B"), N_("Take the second coder's segment into the consensus")),
        _b("k", "keep_both", N_("Keep both"), N_("Take every coder's segment here into the consensus")),
        _b("e", "edit", N_("Edit"), N_("Record a consensus segment with boundaries you type")),
        _b("x", "reject", N_("Reject"), N_("Decide that the code does not apply here")),
        _b("u", "undo", N_("Undo"), N_("Undo your last decision")),
        _b("ctrl+j", "jump", N_("Jump"), N_("Open the place in the transcript")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.places: list[DisagreementPlace] = []
        self.listing: DisagreementListing | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="screen-body"):
            with Horizontal(classes="toolbar"):
                docs = self.attempt(
                    lambda: workbench.documents_overview(self.app.project, self.app.coder),
                    title=CANNOT_LOAD,
                )
                if isinstance(docs, Failed):
                    docs = []
                yield Select([(d["name"], d["name"]) for d in docs], prompt=_("document"), id="j-doc")
            yield Static("", id="j-who", classes="context")
            yield DataTable(id="j-table", cursor_type="row", zebra_stripes=True, classes="results")
            yield Static("", id="j-detail", classes="context")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        add_columns(table, COLUMNS)
        self.title = _(self.TITLE)

    def relabel(self) -> None:
        self.title = _(self.TITLE)
        self.query_one("#j-doc", Select).prompt = _("document")
        table = self.query_one(DataTable)
        relabel_columns(table, COLUMNS)
        if self.listing is not None:
            self.query_one("#j-who", Static).update(markup_safe(_who(self.listing)))
        for i, p in enumerate(self.places):
            table.update_cell(str(i), COLUMNS[-1], _(DECISIONS[_decision(p)]))
        self._detail()

    @property
    def document(self) -> str | None:
        value = self.query_one("#j-doc", Select).value
        return value if isinstance(value, str) else None

    @on(Select.Changed, "#j-doc")
    def reload(self) -> None:
        if self.document is None:
            return
        project, lead, document = self.app.project, self.app.coder, self.document
        # Who is compared is the participation rule's decision, the same as `agree` and the CLI.
        listing = self.attempt(
            lambda: consensus.disagreement_listing(project, document, viewer=lead), title=CANNOT_LOAD
        )
        if isinstance(listing, Failed):
            return
        self.places, self.listing = listing["places"], listing
        self.query_one("#j-who", Static).update(markup_safe(_who(listing)))
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for i, p in enumerate(self.places):
            segs = p["segments"]
            who = [f"{s['coder']} {s['start']}-{s['end']}" for s in segs]
            decision = _(DECISIONS[_decision(p)])
            table.add_row(
                plain(p["code"]),
                plain(f"{p['start']}-{p['end']}"),
                plain(who[0] if who else ""),
                plain(who[1] if len(who) > 1 else ""),
                plain(", ".join(who[2:])),
                plain(", ".join(p["coders_without"])),
                plain(decision),
                key=str(i),
            )
        if self.places:
            table.move_cursor(row=min(keep, len(self.places) - 1))
            table.focus()

    def current(self) -> DisagreementPlace | None:
        table = self.query_one(DataTable)
        return self.places[table.cursor_row] if self.places and table.cursor_row < len(self.places) else None

    @on(DataTable.RowHighlighted, "#j-table")
    def _detail(self) -> None:
        p = self.current()
        if p is not None:
            lines = [
                f"[b]{markup_safe(s['coder'])}[/b] {s['start']}-{s['end']}: {markup_safe(s['text'])}"
                for s in p["segments"]
            ]
            if p["coders_without"]:
                lines.append(
                    "[dim]"
                    + _("nothing here: {coders}").format(coders=markup_safe(join_list(p["coders_without"])))
                    + "[/]"
                )
            self.query_one("#j-detail", Static).update("\n".join(lines))

    def _decide(self, work: Callable[[], object], done: str) -> None:
        if not isinstance(self.attempt(work), Failed):
            self.notify(done)
        self.reload()  # what is stored, after a success or a failure

    def _accept(self, which: int | None) -> None:
        p = self.current()
        if p is None:
            return
        segs = p["segments"] if which is None else p["segments"][which : which + 1]
        if not segs:
            self.notify(_("There is no such segment here."), severity="warning")
            return
        ids = [s["id"] for s in segs]
        self._decide(
            lambda: consensus.accept(self.app.project, ids, self.app.coder),
            _("accepted {coders} for {code}").format(
                coders=join_list(s["coder"] for s in segs), code=p["code"]
            ),
        )

    def action_accept_a(self) -> None:
        self._accept(0)

    def action_accept_b(self) -> None:
        self._accept(1)

    def action_keep_both(self) -> None:
        self._accept(None)

    def action_edit(self) -> None:
        p = self.current()
        if p is None:
            return

        def save(value: str | None) -> None:
            if not value:
                return
            try:
                start, end = (int(x) for x in value.replace(" ", "").split("-"))
            except ValueError:
                self.notify(
                    _("write the span as start-end, e.g. {start}-{end}").format(
                        start=p["start"], end=p["end"]
                    ),
                    severity="error",
                )
                return
            self._decide(
                lambda: consensus.accept_edited(
                    self.app.project,
                    p["document"],
                    p["code"],
                    start,
                    end,
                    self.app.coder,
                    source_segments=[s["id"] for s in p["segments"]],
                ),
                _("consensus {code} {start}-{end}").format(code=p["code"], start=start, end=end),
            )

        self.app.push_screen(
            LinePrompt(
                _("Consensus span for {code} (start-end)").format(code=p["code"]),
                value=f"{p['start']}-{p['end']}",
            ),
            save,
        )

    def action_reject(self) -> None:
        p = self.current()
        if p is not None:
            self._decide(
                lambda: consensus.reject(
                    self.app.project,
                    p["document"],
                    p["code"],
                    p["start"],
                    p["end"],
                    self.app.coder,
                ),
                _("rejected {code} here").format(code=p["code"]),
            )

    def action_undo(self) -> None:
        self._decide(lambda: undo.undo(self.app.project, self.app.coder), _("undone"))

    def action_jump(self) -> None:
        p = self.current()
        if p is not None:
            self.app.jump_to(p["document"], p["start"], p["end"])

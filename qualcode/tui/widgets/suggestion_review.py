"""The review loop for machine suggestions: one suggestion at a time, accept, reject or skip.

Shown under the transcript while the coder has suggestions on (`g` in the workbench). Each
decision calls the suggestion service, which commits and logs it as the coder's own undoable
action; the widget then tells the screen to reload what is stored. In blind mode suggestions
stay off unless a lead turned assisted coding on (services/suggest/layer.py decides).
"""

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from qualcode.i18n import N_, _
from qualcode.services.suggest import layer
from qualcode.services.suggest.rows import SuggestionRow
from qualcode.tui.failures import NOT_SAVED, failure_text

# How suggestions are named in the transcript and segment lists: never a real code key.
MARK = "?"


def as_segment(row: SuggestionRow) -> dict[str, Any]:
    """A suggestion as a row for the transcript and segment list, styled quietly there."""
    return {
        "id": f"suggestion-{row['id']}",
        "start": row["start"],
        "end": row["end"],
        "code": f"{MARK}{row['code']}",
        "coder": row["owner"],
        "memo": "" if row["probability"] is None else f"p={row['probability']:.2f}",
        "color": None,
        "suggested": True,
    }


class SuggestionReview(Static, can_focus=True):
    """The current open suggestion of this document, and the keys that decide it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a",
            "accept",
            N_("Accept"),
            id="suggestions.accept",
            tooltip=N_("Accept: the suggestion becomes your own segment"),
        ),
        Binding(
            "x",
            "reject",
            N_("Reject"),
            id="suggestions.reject",
            tooltip=N_("Reject the suggestion (logged; undo with u)"),
        ),
        Binding("n", "next(1)", N_("Next"), id="suggestions.next", tooltip=N_("Go to the next suggestion")),
        Binding(
            "p",
            "next(-1)",
            N_("Previous"),
            show=False,
            id="suggestions.previous",
            tooltip=N_("Go to the previous suggestion"),
        ),
    ]

    @dataclass
    class Decided(Message):
        """A suggestion was accepted or rejected (committed): reload what is shown."""

        result: dict[str, Any]

    @dataclass
    class Shown(Message):
        """The suggestion under review is at [start, end): show it in the transcript."""

        start: int
        end: int

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.rows: list[SuggestionRow] = []
        self.index = 0
        self.project: Any = None
        self.coder = ""
        self.document: str | None = None

    def load(self, project: Any, coder: str, document: str | None) -> None:
        """(Re)read the open suggestions of `document`; log that the coder saw them."""
        self.project, self.coder = project, coder
        moved = document != self.document
        self.document = document
        current = self.current
        self.rows = []
        if document is not None:
            self.rows = layer.list_suggestions(project, viewer=coder, document=document)
            layer.note_shown(project, coder, document)
        ids = [r["id"] for r in self.rows]
        if moved or current is None:
            self.index = 0
        elif current["id"] in ids:
            self.index = ids.index(current["id"])
        self.index = min(self.index, max(len(self.rows) - 1, 0))
        self._render_current()

    @property
    def current(self) -> SuggestionRow | None:
        return self.rows[self.index] if self.rows else None

    def segments(self) -> list[dict[str, Any]]:
        return [as_segment(r) for r in self.rows]

    def _render_current(self, announce: bool = True) -> None:
        row = self.current
        if row is None:
            self.update(_("No open suggestions in this document."), layout=False)
            return
        p = "" if row["probability"] is None else f" · p={row['probability']:.2f}"
        self.update(
            _("Suggestion {number} of {count}: {code}{probability} by {owner}").format(
                number=self.index + 1,
                count=len(self.rows),
                code=f"[b]{row['code']}[/b]",
                probability=p,
                owner=row["owner"],
            )
            + "   [dim]"
            + _("a accept · x reject · n next · u undo")
            + "[/]",
            layout=False,
        )
        if announce:
            self.post_message(self.Shown(row["start"], row["end"]))

    def relabel(self) -> None:
        self._render_current(announce=False)  # the language changed: the selection stays

    def action_next(self, step: int) -> None:
        if self.rows:
            self.index = (self.index + step) % len(self.rows)
            self._render_current()

    def _decide(self, action: str) -> None:
        row = self.current
        if row is None:
            return
        try:
            result = getattr(layer, action)(self.project, row["id"], coder=self.coder)
        except Exception as exc:  # refused or unexpected: said, and the widget stays
            self.notify(failure_text(exc), severity="error", title=_(NOT_SAVED))
            return
        self.notify(
            _("Accepted {code}: it is now your segment.").format(code=row["code"])
            if action == "accept"
            else _("Rejected {code}.").format(code=row["code"]),
            timeout=2,
        )
        self.post_message(self.Decided(result))

    def action_accept(self) -> None:
        self._decide("accept")

    def action_reject(self) -> None:
        self._decide("reject")

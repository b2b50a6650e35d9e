"""The lead's question-alignment review: answers whose guide question is missing or uncertain."""

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from qualcode.core.errors import QualcodeError
from qualcode.i18n import N_, _, join_list, ngettext, translate_in
from qualcode.services.coding.workbench import open_document
from qualcode.services.sources.guide import guide_questions, review, set_unit_question
from qualcode.tui.relabel import add_columns, relabel_columns
from qualcode.tui.safe_text import markup_safe, plain
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.widgets.key_bar import KeyBar

NO_ANSWER = N_("not an answer to a guide question")
NO_QUESTION = "(none)"  # the picker's key for "no guide question": never a question's key
COLUMNS = (
    N_("document"),
    N_("turn"),
    N_("speaker"),
    N_("asked"),
    N_("question"),
    N_("confidence"),
    N_("source"),
    N_("answer"),
)


class GuideReviewScreen(Screen[None]):
    TITLE = N_("Question alignment review")
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="guide.back", tooltip="Back to the workbench"),
        Binding(
            "ctrl+e",
            "assign",
            "Set question",
            id="guide.assign",
            tooltip="Choose the question this answer answers",
        ),
        Binding("ctrl+j", "jump", "Jump", id="guide.jump", tooltip="Open the answer in the transcript"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.flagged: list[dict[str, Any]] = []
        self.missing: dict[str, list[str]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="screen-body"):
            yield Label("", id="g-status", classes="pane-title")
            yield DataTable(id="g-table", cursor_type="row", zebra_stripes=True, classes="results")
            yield Static("", id="g-missing", classes="context")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        add_columns(table, COLUMNS)
        self.title = _(self.TITLE)
        self.reload()
        table.focus()

    def relabel(self) -> None:
        self.title = _(self.TITLE)
        relabel_columns(self.query_one(DataTable), COLUMNS)
        self._show_status()

    def _show_status(self) -> None:
        count = len(self.flagged)
        self.query_one("#g-status", Label).update(
            ngettext("{count} answer to review", "{count} answers to review", count).format(count=count),
            layout=False,
        )
        self.query_one("#g-missing", Static).update(
            "[b]"
            + _("Questions a document never reaches:")
            + "[/b]\n"
            + "\n".join(f"{markup_safe(doc)}: {join_list(keys)}" for doc, keys in self.missing.items())
            if self.missing
            else _("Every document reaches every guide question.")
        )

    def reload(self) -> None:
        result = review(self.app.project)  # type: ignore[attr-defined]
        self.flagged = result["flagged"]
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for i, f in enumerate(self.flagged):
            confidence = f["question_confidence"]
            table.add_row(
                plain(f["document"]),
                plain(str(f["seq"])),
                plain(f["speaker"] or ""),
                plain((f["asked"] or "").replace("\n", " ")[:40]),
                plain(
                    f"{f['question_key']}: {f['question_text'] or ''}"[:50]
                    if f["question_key"]
                    else _("(none)")
                ),
                plain("" if confidence is None else f"{confidence:.2f}"),
                plain(f["question_source"] or ""),
                plain(f["excerpt"].replace("\n", " ")),
                key=str(i),
            )
        if self.flagged:
            table.move_cursor(row=min(keep, len(self.flagged) - 1))
        self.missing = result["missing"]
        self._show_status()

    def current(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        return (
            self.flagged[table.cursor_row] if self.flagged and table.cursor_row < len(self.flagged) else None
        )

    def action_assign(self) -> None:
        row = self.current()
        if row is None:
            return
        choices = [
            {
                "key": NO_QUESTION,
                "name_en": translate_in("en", NO_ANSWER),
                "name_zh": translate_in("zh_CN", NO_ANSWER),
                "codable": True,
            }
        ] + [
            {
                "key": q["key"],
                "name_en": q.get("text_en") or "",
                "name_zh": q.get("text_zh") or "",
                "codable": True,
            }
            for q in guide_questions(self.app.project)  # type: ignore[attr-defined]
        ]

        def chosen(key: str | None) -> None:
            if key is None:
                return
            try:
                set_unit_question(
                    self.app.project,
                    row["document"],
                    row["seq"],  # type: ignore[attr-defined]
                    None if key == NO_QUESTION else key,
                    actor=self.app.coder,
                )  # type: ignore[attr-defined]
            except QualcodeError as exc:
                self.notify(str(exc), severity="error", title=_("Not saved"))
            else:
                self.notify(
                    _("{document} turn {turn}: {question}").format(
                        document=row["document"], turn=row["seq"], question=key
                    )
                )
            self.reload()

        self.app.push_screen(
            CodePicker(
                choices,
                _("Question answered by {document} turn {turn}").format(
                    document=row["document"], turn=row["seq"]
                ),
            ),
            chosen,
        )

    @on(DataTable.RowSelected, "#g-table")
    def _selected(self) -> None:
        self.action_assign()

    def action_jump(self) -> None:
        row = self.current()
        if row is None:
            return
        units = open_document(self.app.project, row["document"])["units"]  # type: ignore[attr-defined]
        unit = next((u for u in units if u["seq"] == row["seq"]), None)
        if unit is not None:
            self.app.jump_to(row["document"], unit["start"], unit["end"])  # type: ignore[attr-defined]

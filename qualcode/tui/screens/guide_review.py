"""The lead's question-alignment review: answers whose guide question is missing or uncertain."""

from collections.abc import Sequence

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Label

from qualcode.core.alignment import link_source_label
from qualcode.i18n import N_, _
from qualcode.services.coding.workbench import open_document
from qualcode.services.sources.guide import guide_questions, review, set_unit_question
from qualcode.services.sources.rows import FlaggedAnswer
from qualcode.tui.failures import Failed
from qualcode.tui.safe_text import markup_safe, plain
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.screens.results import ResultsScreen

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


class GuideReviewScreen(ResultsScreen[FlaggedAnswer]):
    TITLE = N_("Question alignment review")
    PREFIX = "g"
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
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="guide.back", tooltip=N_("Back to the workbench")),
        Binding(
            "ctrl+e",
            "assign",
            N_("Set question"),
            id="guide.assign",
            tooltip=N_("Choose the question this answer answers"),
        ),
        Binding(
            "ctrl+j", "jump", N_("Jump"), id="guide.jump", tooltip=N_("Open the answer in the transcript")
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.missing: dict[str, list[str]] = {}

    @property
    def flagged(self) -> list[FlaggedAnswer]:
        return self.rows

    def compose_query(self) -> ComposeResult:
        yield Label("", id="g-status", classes="pane-title")

    def mounted(self) -> None:
        self.reload()
        self.results_table.focus()

    def fetch(self) -> list[FlaggedAnswer]:
        result = review(self.app.project)
        self.missing = result["missing"]
        return result["flagged"]

    def cells(self, row: FlaggedAnswer) -> Sequence[RenderableType]:
        confidence = row["question_confidence"]
        return (
            plain(row["document"]),
            plain(str(row["seq"])),
            plain(row["speaker"] or ""),
            plain((row["asked"] or "").replace("\n", " ")[:40]),
            plain(
                f"{row['question_key']}: {row['question_text'] or ''}"[:50]
                if row["question_key"]
                else NO_QUESTION
            ),
            plain("" if confidence is None else f"{confidence:.2f}"),
            plain(link_source_label(row["question_source"]) if row["question_source"] else ""),
            plain(row["excerpt"].replace("\n", " ")),
        )

    def loaded(self) -> None:
        self.query_one("#g-status", Label).update(f"{len(self.rows)} answers to review", layout=False)
        # The preview of this screen is what no answer shows: questions a document never reaches.
        self.show_preview(
            "[b]Questions a document never reaches:[/b]\n"
            + "\n".join(f"{markup_safe(doc)}: {', '.join(keys)}" for doc, keys in self.missing.items())
            if self.missing
            else "Every document reaches every guide question."
        )

    def location(self, row: FlaggedAnswer) -> tuple[str, int, int] | None:
        units = self.attempt(lambda: open_document(self.app.project, row["document"])["units"])
        if isinstance(units, Failed):
            return None
        unit = next((u for u in units if u["seq"] == row["seq"]), None)
        return None if unit is None else (row["document"], unit["start"], unit["end"])

    def choose(self) -> None:
        self.action_assign()

    def action_assign(self) -> None:
        row = self.current()
        if row is None:
            return
        questions = self.attempt(lambda: guide_questions(self.app.project))
        if isinstance(questions, Failed):
            return
        choices = [{"key": NO_QUESTION, "name_en": "not an answer to a guide question", "codable": True}] + [
            {
                "key": q["key"],
                "name_en": q.get("text_en") or "",
                "name_zh": q.get("text_zh") or "",
                "codable": True,
            }
            for q in questions
        ]

        def chosen(key: str | None) -> None:
            if key is None:
                return
            saved = self.attempt(
                lambda: set_unit_question(
                    self.app.project,
                    row["document"],
                    row["seq"],
                    None if key == NO_QUESTION else key,
                    actor=self.app.coder,
                )
            )
            if not isinstance(saved, Failed):
                self.notify(f"{row['document']} turn {row['seq']}: {key}")
            self.reload(keep_cursor=True)

        self.app.push_screen(
            CodePicker(
                choices,
                _("Question answered by {document} turn {turn}").format(
                    document=row["document"], turn=row["seq"]
                ),
            ),
            chosen,
        )

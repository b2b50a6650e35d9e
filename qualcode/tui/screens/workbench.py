"""The coder's main screen: documents, transcript, codebook and segments.

Every action calls a service that commits before returning; the screen then reloads what it
shows from the database, so what is on screen is what is stored, also after a failure.
"""

from bisect import bisect_right
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Label, Static

from qualcode.core.errors import QualcodeError
from qualcode.core.overlay import sentence_at, turn_body
from qualcode.core.transcript import speaker_label
from qualcode.i18n import N_, _, join_list
from qualcode.services.codebook.curation import list_codes
from qualcode.services.codebook.rows import CodeListing
from qualcode.services.coding import memos, undo, workbench
from qualcode.services.coding import segments as coding
from qualcode.services.coding.rows import CodedSegment, DocumentOverview, DocumentSegment
from qualcode.store.db import Project
from qualcode.tui.failures import CANNOT_LOAD, Failed
from qualcode.tui.messages import CodeChosen, CodeHighlighted, DocumentChosen, JumpTo, SegmentChosen
from qualcode.tui.screens.base import QualcodeScreen
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.screens.text_prompt import LinePrompt, MemoEditor
from qualcode.tui.widgets.code_details import CodeDetails
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.widgets.document_list import DocumentList
from qualcode.tui.widgets.key_bar import KeyBar
from qualcode.tui.widgets.segment_list import SegmentList
from qualcode.tui.widgets.suggestion_review import SuggestionReview
from qualcode.tui.widgets.transcript_view import TranscriptView, Turn
from qualcode.tui.widgets.translated_label import TranslatedLabel

T = TypeVar("T")

FILTER_PLACEHOLDER = N_("filter codes: key / English / 中文 / pinyin")
# A document's status for this coder, as the line above the transcript names it.


def _b(key: str, action: str, desc: str, tip: str, show: bool = True) -> Binding:
    name = action.replace("(", "_").rstrip(")")  # apply_pinned(3) -> apply_pinned_3: ids are unique
    return Binding(key, action, desc, show=show, id=f"workbench.{name}", tooltip=tip)


class WorkbenchScreen(QualcodeScreen[None]):
    TITLE = N_("Coding workbench")
    BINDINGS = [
        _b("c", "pick_code", N_("Code"), N_("Apply a code to the selection (fuzzy picker)")),
        *[
            _b(
                str(n),
                f"apply_pinned({n})",
                N_("Pinned code"),
                N_("Apply the code pinned to this number key"),
                show=False,
            )
            for n in range(1, 10)
        ],
        _b("t", "select_turn", N_("Turn"), N_("Select the whole speaker turn at the cursor")),
        _b("s", "select_sentence", N_("Sentence"), N_("Select the sentence at the cursor (。！？ .!?)")),
        _b(
            "v", "invivo", N_("In vivo"), N_("New code named from the selection, under a category you choose")
        ),
        _b("x", "remove_segment", N_("Remove"), N_("Remove my segment at the cursor")),
        _b("b", "set_bounds", N_("Bounds"), N_("Move my segment at the cursor to the selection"), show=False),
        _b("m", "segment_memo", N_("Memo"), N_("Write the memo of my segment at the cursor")),
        _b("n", "document_memo", N_("Doc memo"), N_("Add a memo to this document"), show=False),
        _b("k", "code_memo", N_("Code memo"), N_("Add a memo to the highlighted code"), show=False),
        _b("p", "pin_code", N_("Pin"), N_("Pin the highlighted code to a hotkey 1-9"), show=False),
        _b("d", "toggle_done", N_("Done"), N_("Mark this document done (or in progress again)")),
        _b("u", "undo", N_("Undo"), N_("Undo my last action (also ctrl+z; survives restarts)")),
        _b("r", "redo", N_("Redo"), N_("Redo my last undone action (also ctrl+y)")),
        _b(
            "slash",
            "filter_codes",
            N_("Filter"),
            N_("Filter the codebook by key, English or 中文"),
            show=False,
        ),
        _b(
            "w",
            "toggle_compare",
            N_("Compare"),
            N_("Show all coders' segments with disagreements marked"),
            show=False,
        ),
        _b(
            "g",
            "toggle_suggestions",
            N_("Suggest"),
            N_("Show machine suggestions and review them (a/x/n)"),
            show=False,
        ),
        _b(
            "l",
            "toggle_other_language",
            N_("Both languages"),
            N_("Show code names and definitions in the other language too"),
            show=False,
        ),
        _b("o", "focus_documents", N_("Docs"), N_("Go to the documents list"), show=False),
        _b("escape", "focus_text", N_("Text"), N_("Back to the transcript"), show=False),
        _b(
            "left_square_bracket",
            "toggle_pane('left')",
            N_("Documents"),
            N_("Show or hide the documents and segments pane (over the text when the terminal is narrow)"),
            show=False,
        ),
        _b(
            "right_square_bracket",
            "toggle_pane('right')",
            N_("Codebook"),
            N_("Show or hide the codebook pane (over the text when the terminal is narrow)"),
            show=False,
        ),
    ]
    # Below 110 columns the side panes leave the row and open over the transcript on demand;
    # below 160 they are narrower. The classes are set by Textual; workbench.tcss does the rest.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-medium"), (160, "-wide")]

    def __init__(self) -> None:
        super().__init__()
        self.document: str | None = None
        self.segments: list[DocumentSegment] = []
        self.codes: list[CodeListing] = []
        self.codes_by_key: dict[str, CodeListing] = {}
        self.pins: list[str | None] = []
        self.compare: list[str] | None = None
        self.status: dict[str, str] = {}
        self.my_counts: dict[str, int] = {}
        self.suggesting = False
        self.both_languages = False  # codes also named in the language that is not the interface's
        self._tier: str | None = None  # the breakpoint class of the last size

    @property
    def project(self) -> Project:
        return self.app.project

    @property
    def coder(self) -> str:
        return self.app.coder

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield TranslatedLabel(N_("Documents"), classes="pane-title")
                yield DocumentList(id="documents")
                yield TranslatedLabel(N_("At the cursor"), classes="pane-title")
                yield SegmentList(id="at-cursor")
                yield Label(_("In this document"), classes="pane-title", id="doc-seg-title")
                yield SegmentList(id="in-document")
            with Vertical(id="middle"):
                yield Static("", id="turn-info")
                yield TranscriptView(
                    id="transcript", blink=self.app.cursor_blink, ambiguous_width=self.app.ambiguous_width
                )
                yield SuggestionReview(id="suggestions")
                with Horizontal(id="bottom-line"):
                    yield Static("", id="pins")
                    yield Static(self._pane_keys(), id="pane-keys")
            with Vertical(id="right"):
                yield Input(placeholder=_(FILTER_PLACEHOLDER), id="code-filter")
                yield CodebookTree(id="codebook")
                yield CodeDetails(id="code-details")
        yield KeyBar()

    @staticmethod
    def _pane_keys() -> str:
        keys = {"left": "[b]\\[[/b]", "right": "[b]][/b]", "zoom": "[b]z[/b]"}
        return _("{left} documents  {right} codebook  {zoom} maximise").format(**keys)

    def on_mount(self) -> None:
        where = self.project.folder.name if self.project.folder is not None else self.project.display
        self.sub_title = f"{self.coder} · {where}"
        self.title = _(self.TITLE)
        self.reload_codes()
        self.query_one(CodeDetails).show(None)
        self.reload_pins()
        docs = self.reload_documents()
        if docs:
            self.open_document(docs[0]["name"])
        self.query_one(TranscriptView).focus()

    # ---- loading from the database -----------------------------------------------------------

    def reload_documents(self) -> list[DocumentOverview]:
        docs = workbench.documents_overview(self.project, self.coder)
        self.status = {d["name"]: d["status"] for d in docs}
        self.my_counts = {d["name"]: d["segments"] for d in docs}
        self.query_one(DocumentList).show(docs, self.document)
        return docs

    def reload_pins(self) -> None:
        self.pins = workbench.pinned_codes(self.project, self.coder)
        shown = [f"[b]{i}[/b] {key}" for i, key in enumerate(self.pins, 1) if key]
        self.query_one("#pins", Static).update("  ".join(shown) or "[dim]" + _("no pinned codes") + "[/]")

    def open_document(self, name: str, select: tuple[int, int] | None = None) -> None:
        data = workbench.open_document(self.project, name)
        self.document = name
        turns = [
            Turn(u["start"], u["end"], u["speaker"], u["speaker_role"], u["question_key"])
            for u in data["units"]
        ]
        view = self.query_one(TranscriptView)
        view.show_document(data["text"], turns)
        self.reload_segments()
        self.reload_documents()
        if select is not None:
            view.select_offsets(*select)
        self.title = name

    def reload_segments(self) -> None:
        if self.document is None:
            return
        coders = self.compare or [self.coder]
        self.segments = workbench.document_segments(
            self.project, self.document, viewer=self.coder, coders=coders
        )
        shown: list[Mapping[str, Any]] = list(self.segments)
        if self.suggesting:
            review = self.query_one(SuggestionReview)
            review.load(self.project, self.coder, self.document)
            shown = [*self.segments, *review.segments()]
        view = self.query_one(TranscriptView)
        view.set_segments(shown, compare=self.compare)
        self.query_one("#in-document", SegmentList).show(shown)
        self._update_segment_title()
        self.refresh_cursor_info(view.cursor_offset)

    def _update_segment_title(self) -> None:
        count = len(self.segments)
        title = (
            _("In this document ({count}) · comparing {coders}").format(
                count=count, coders=join_list(self.compare)
            )
            if self.compare
            else _("In this document ({count})").format(count=count)
        )
        # layout=False: a fixed one-line title; a layout pass would repaint every pane after each action
        self.query_one("#doc-seg-title", Label).update(title, layout=False)

    def refresh_cursor_info(self, offset: int) -> None:
        view = self.query_one(TranscriptView)
        start, end = view.selected_offsets
        if end > start:
            here = [s for s in self.segments if s["start"] < end and start < s["end"]]
        else:
            here = [s for s in self.segments if s["start"] <= offset < s["end"]]
        self.query_one("#at-cursor", SegmentList).show(here)
        turn = view.turn_at(offset)
        status = self.status.get(self.document or "", "")
        parts = [f"[b]{self.document or ''}[/b]", f"[dim]{coding.status_label(status)}[/]"]
        if turn is not None:
            role = speaker_label(turn.role) if turn.role else "?"
            if turn.speaker and turn.speaker.casefold() != role.casefold():
                parts.append(_("{speaker} ({role})").format(speaker=turn.speaker, role=role))
            else:  # "受访者 (受访者)" says nothing twice
                parts.append(turn.speaker or role)
            if turn.question:
                parts.append(_("question {key}").format(key=f"[b]{turn.question}[/b]"))
        parts.append(_("sel {start}-{end}").format(start=start, end=end) if end > start else f"@{offset}")
        self.query_one("#turn-info", Static).update("  ".join(parts), layout=False)

    # ---- one committed action, then a reload ------------------------------------------------

    def commit(
        self, work: Callable[[], T], done: str | Callable[[T], str], update: Callable[[T], bool] | None = None
    ) -> T | None:
        """Run a service call; confirm only after it returned (committed). Always reload after.

        `update`, if given, shows a successful result from the committed rows the service
        returned instead of reloading every segment; it returns False to ask for the full reload.
        After a failure the screen always reloads what is really stored.
        """
        result = self.attempt(work)
        self.reload_documents()
        if isinstance(result, Failed) or update is None or not update(result):
            self.reload_segments()
        if isinstance(result, Failed):
            return None
        self.notify(done(result) if callable(done) else done, timeout=2)
        return result

    def _need_selection(self) -> tuple[int, int] | None:
        start, end = self.query_one(TranscriptView).selected_offsets
        if self.document is None or end <= start:
            self.notify(
                _("Select some text first (shift+arrows, t for the turn, s for the sentence)."),
                severity="warning",
            )
            return None
        return (start, end)

    def my_segment_here(self) -> Mapping[str, Any] | None:
        table = self.query_one("#at-cursor", SegmentList)
        current = table.current
        if current is not None and current["coder"] == self.coder:
            return current
        mine = [s for s in table.rows_by_key.values() if s["coder"] == self.coder]
        if not mine:
            self.notify(_("None of your segments is at the cursor."), severity="warning")
            return None
        return mine[0]

    def apply_code(self, key: str) -> None:
        span = self._need_selection()
        if span is None or self.document is None:
            return
        document = self.document
        self.commit(
            lambda: coding.add_segment(
                self.project, coder=self.coder, document=document, code=key, start=span[0], end=span[1]
            ),
            _("coded {code} [{start}, {end})").format(code=key, start=span[0], end=span[1]),
            self._segment_added,
        )

    def _segment_added(self, added: CodedSegment) -> bool:
        """Show one committed segment (the row add_segment returned) without rereading the others.

        Rereading and diffing 5,000 segments cost more than everything else a key press does."""
        code = self.codes_by_key.get(added["code"])
        if self.compare is not None or code is None or added["document"] != self.document:
            return False
        mine = sum(1 for s in self.segments if s["coder"] == self.coder)
        if (
            self.my_counts.get(added["document"]) != mine + 1
        ):  # changed elsewhere too (another window): reload
            return False
        seg = workbench.document_segment(added, code)
        order = (seg["start"], seg["end"], seg["code"])  # the order document_segments returns
        at = bisect_right(self.segments, order, key=lambda s: (s["start"], s["end"], s["code"]))
        self.segments.insert(at, seg)
        view = self.query_one(TranscriptView)
        view.add_segment(seg)
        self.query_one("#in-document", SegmentList).add(seg)
        self._update_segment_title()
        self.refresh_cursor_info(view.cursor_offset)
        return True

    # ---- actions -----------------------------------------------------------------------------

    def action_pick_code(self) -> None:
        if self._need_selection() is None:
            return

        def chosen(key: str | None) -> None:
            if key:
                self.apply_code(key)

        self.app.push_screen(CodePicker(self.codes, both=self.both_languages), chosen)

    def reload_codes(self) -> None:
        self.codes = list_codes(self.project, self.coder)
        self.codes_by_key = {c["key"]: c for c in self.codes}
        for segment_list in self.query(SegmentList):
            segment_list.set_codes(self.codes_by_key)
        tree = self.query_one(CodebookTree)
        tree.load(self.codes)
        tree.apply_filter(self.query_one("#code-filter", Input).value)

    def action_invivo(self) -> None:
        span = self._need_selection()
        if span is None or self.document is None:
            return
        document = self.document
        words = self.query_one(TranscriptView).text[span[0] : span[1]].strip()[:60]

        def named(parent: str, name: str | None) -> None:
            if name and name.strip():
                self.commit(
                    lambda: workbench.invivo_code(
                        self.project,
                        coder=self.coder,
                        document=document,
                        start=span[0],
                        end=span[1],
                        parent=parent,
                        name=name,
                    ),
                    lambda made: _("new code {code} applied").format(code=made["code"]),
                )
                self.reload_codes()

        def chosen(parent: str | None) -> None:
            if parent:
                self.app.push_screen(
                    LinePrompt(_("Name of the new code under {parent}").format(parent=parent), value=words),
                    lambda name: named(parent, name),
                )

        categories = [c for c in self.codes if c.get("level") != "code" and not c.get("retired")]
        self.app.push_screen(
            CodePicker(
                categories, _("In-vivo code: under which category?"), codable=False, both=self.both_languages
            ),
            chosen,
        )

    def action_apply_pinned(self, slot: int) -> None:
        key = self.pins[slot - 1] if 0 < slot <= len(self.pins) else None
        if key is None:
            self.notify(
                _("Nothing is pinned to {slot} (press p on a code in the codebook).").format(slot=slot),
                severity="warning",
            )
            return
        self.apply_code(key)

    def action_select_turn(self) -> None:
        view = self.query_one(TranscriptView)
        turn = view.turn_at(view.cursor_offset)
        if turn is None:
            self.notify(_("The cursor is not inside a speaker turn."), severity="warning")
            return
        view.select_offsets(*turn_body(view.text, turn.start, turn.end))

    def action_select_sentence(self) -> None:
        view = self.query_one(TranscriptView)
        view.select_offsets(*sentence_at(view.text, view.cursor_offset))

    def action_remove_segment(self) -> None:
        seg = self.my_segment_here()
        if seg is not None:
            self.commit(
                lambda: coding.remove_segment(self.project, coder=self.coder, segment_id=seg["id"]),
                _("removed {code} [{start}, {end})").format(
                    code=seg["code"], start=seg["start"], end=seg["end"]
                ),
            )

    def action_set_bounds(self) -> None:
        seg = self.my_segment_here()
        span = self._need_selection()
        if seg is not None and span is not None:
            self.commit(
                lambda: coding.update_segment(
                    self.project, coder=self.coder, segment_id=seg["id"], start=span[0], end=span[1]
                ),
                _("{code} now [{start}, {end})").format(code=seg["code"], start=span[0], end=span[1]),
            )

    def action_segment_memo(self) -> None:
        seg = self.my_segment_here()
        if seg is None:
            return

        def save(text: str | None) -> None:
            if text is not None:
                self.commit(
                    lambda: coding.update_segment(
                        self.project,
                        coder=self.coder,
                        segment_id=seg["id"],
                        memo=text.strip() or None,
                        clear_memo=not text.strip(),
                    ),
                    _("memo saved"),
                )

        self.app.push_screen(
            MemoEditor(
                _("Memo on {code} [{start}, {end})").format(
                    code=seg["code"], start=seg["start"], end=seg["end"]
                ),
                seg.get("memo") or "",
            ),
            save,
        )

    def _add_memo(self, target_type: str, target: str | None, title: str) -> None:
        def save(text: str | None) -> None:
            if text and text.strip():
                self.commit(
                    lambda: memos.add_memo(
                        self.project, coder=self.coder, target_type=target_type, target=target, text=text
                    ),
                    _("memo saved"),
                )

        self.app.push_screen(MemoEditor(title), save)

    def action_document_memo(self) -> None:
        if self.document is not None:
            self._add_memo("document", self.document, _("Memo on {document}").format(document=self.document))

    def highlighted_code(self) -> str | None:
        node = self.query_one(CodebookTree).cursor_node
        return node.data if node is not None else None

    def action_code_memo(self) -> None:
        key = self.highlighted_code()
        if key is not None:
            self._add_memo("code", key, _("Memo on code {code}").format(code=key))

    def action_pin_code(self) -> None:
        key = self.highlighted_code()
        if key is None:
            self.notify(_("Highlight a code in the codebook first."), severity="warning")
            return

        def pin(slot: str | None) -> None:
            if slot and slot.strip().isdigit():
                self.commit(
                    lambda: workbench.pin_code(self.project, self.coder, int(slot), key),
                    _("{code} pinned to {slot}").format(code=key, slot=slot),
                )
                self.reload_pins()

        self.app.push_screen(
            LinePrompt(_("Pin {code} to hotkey (1-9)").format(code=key), placeholder="1-9"), pin
        )

    def action_toggle_done(self) -> None:
        if self.document is None:
            return
        document = self.document
        new = "in_progress" if self.status.get(document) == "done" else "done"
        self.commit(
            lambda: coding.set_document_status(self.project, coder=self.coder, document=document, status=new),
            _("{document}: done").format(document=document)
            if new == "done"
            else _("{document}: in progress").format(document=document),
        )

    def action_undo(self) -> None:
        self.commit(
            lambda: undo.undo(self.project, self.coder),
            lambda changed: (
                _("undid {action}").format(action=undo.action_label(changed[0]["action"]))
                if changed
                else _("nothing to undo")
            ),
        )

    def action_redo(self) -> None:
        self.commit(
            lambda: undo.redo(self.project, self.coder),
            lambda changed: (
                _("redid {action}").format(action=undo.action_label(changed[0]["action"]))
                if changed
                else _("nothing to redo")
            ),
        )

    def action_toggle_compare(self) -> None:
        """Show every coder who coded this document (that the viewer may see), disagreements marked."""
        if self.compare is not None:
            self.compare = None
            self.reload_segments()
            return
        if self.document is None:
            return
        everyone = workbench.document_segments(self.project, self.document, viewer=self.coder)
        coders = sorted({s["coder"] for s in everyone})
        if len(coders) < 2:
            blind = workbench.visible_coders(self.project, self.coder) == [self.coder]
            self.notify(
                _("Blind mode: only your own segments are visible.")
                if blind
                else _("Fewer than two coders coded this document."),
                severity="warning",
            )
            return
        self.compare = coders
        self.reload_segments()

    def action_toggle_suggestions(self) -> None:
        """Suggestions on (shown quietly, reviewed in the pane under the transcript) or off."""
        review = self.query_one(SuggestionReview)
        if self.suggesting:
            self.suggesting = False
            review.display = False
            self.reload_segments()
            self.query_one(TranscriptView).focus()
            return
        self.suggesting = True
        try:
            self.reload_segments()
        except QualcodeError as exc:  # blind mode without assisted coding, or no suggestions layer
            self.suggesting = False
            self.notify(str(exc), severity="warning")
            self.reload_segments()
            return
        review.display = True
        review.focus()

    def action_toggle_other_language(self) -> None:
        """Name codes (tree, details, picker) in both languages, or in the interface language only."""
        self.both_languages = not self.both_languages
        tree = self.query_one(CodebookTree)
        tree.both = self.both_languages
        tree.relabel()
        details = self.query_one(CodeDetails)
        details.show(details.entry, both=self.both_languages)

    def relabel(self) -> None:
        """The language changed: every text of this screen again, from what it already holds
        (nothing is reloaded, so the document, selection, cursor and scroll stay)."""
        if self.document is None:
            self.title = _(self.TITLE)  # else the title is the document's name
        self.query_one("#code-filter", Input).placeholder = _(FILTER_PLACEHOLDER)
        self.reload_pins()
        self._update_segment_title()
        self.refresh_cursor_info(self.query_one(TranscriptView).cursor_offset)

    def action_filter_codes(self) -> None:
        self._open_pane("right")
        self.query_one("#code-filter", Input).focus()

    def action_focus_documents(self) -> None:
        self._open_pane("left")
        self.query_one(DocumentList).focus()

    def action_focus_text(self) -> None:
        self._close_overlays()
        self.query_one(TranscriptView).focus()

    # ---- panes: side by side when there is room, over the transcript when there is not -------

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    def pane_shown(self, side: str) -> bool:
        """Whether the left or right pane is on screen (the tcss decides from the classes)."""
        return self.query_one(f"#{side}").display

    def action_toggle_pane(self, side: str) -> None:
        """Wide: hide or show a side pane (more room for the text). Narrow: open it over the
        transcript, focused, or close it and go back to the text."""
        if self.pane_shown(side):
            self.set_class(not self.narrow, f"-hide-{side}")
            self.remove_class(f"-open-{side}")
            self.query_one(TranscriptView).focus()
        else:
            self._open_pane(side)
            target = DocumentList if side == "left" else CodebookTree
            self.query_one(target).focus()

    def _open_pane(self, side: str) -> None:
        self.remove_class(f"-hide-{side}")
        if self.narrow:
            other = "right" if side == "left" else "left"
            self.remove_class(f"-open-{other}")  # one overlay at a time: the text stays in sight
            self.add_class(f"-open-{side}")

    def _close_overlays(self) -> None:
        self.remove_class("-open-left", "-open-right")

    def on_resize(self, event: events.Resize) -> None:
        # Crossing a breakpoint starts from that size's default layout: a pane hidden for room at
        # 200 columns must not reappear as an overlay at 80.
        # Runs before Screen sets the breakpoint classes, so the tier is read from the table.
        tier = [name for least, name in self.HORIZONTAL_BREAKPOINTS if event.size.width >= least][-1]
        if self._tier is not None and tier != self._tier:
            self.remove_class("-open-left", "-open-right", "-hide-left", "-hide-right")
        self._tier = tier

    # ---- messages from the panes ---------------------------------------------------------------

    @on(Input.Changed, "#code-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.query_one(CodebookTree).apply_filter(event.value)

    @on(Input.Submitted, "#code-filter")
    def _filter_done(self) -> None:
        self.query_one(CodebookTree).focus()

    @on(TranscriptView.CursorMoved)
    def _cursor(self, event: TranscriptView.CursorMoved) -> None:
        self.refresh_cursor_info(event.offset)

    @on(TranscriptView.UndoRequested)
    def _undo(self) -> None:
        self.action_undo()

    @on(TranscriptView.RedoRequested)
    def _redo(self) -> None:
        self.action_redo()

    @on(DocumentChosen)
    def _doc(self, event: DocumentChosen) -> None:
        self.attempt(lambda: self.open_document(event.name), title=CANNOT_LOAD)
        self._close_overlays()
        self.query_one(TranscriptView).focus()

    @on(CodeHighlighted)
    def _code(self, event: CodeHighlighted) -> None:
        self.query_one(CodeDetails).show(self.codes_by_key.get(event.key or ""))

    @on(CodeChosen)
    def _chosen(self, event: CodeChosen) -> None:
        self.apply_code(event.key)
        self._close_overlays()

    @on(SegmentChosen)
    def _segment(self, event: SegmentChosen) -> None:
        view = self.query_one(TranscriptView)
        view.select_offsets(event.start, event.end)
        self._close_overlays()
        view.focus()

    @on(SuggestionReview.Decided)
    def _decided(self) -> None:
        self.reload_documents()
        self.reload_segments()

    @on(SuggestionReview.Shown)
    def _suggestion_shown(self, event: SuggestionReview.Shown) -> None:
        self.query_one(TranscriptView).select_offsets(event.start, event.end)

    @on(JumpTo)
    def _jump(self, event: JumpTo) -> None:
        self.attempt(
            lambda: self.open_document(event.document, select=(event.start, event.end)), title=CANNOT_LOAD
        )
        self.query_one(TranscriptView).focus()

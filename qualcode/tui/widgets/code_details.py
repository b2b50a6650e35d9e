"""The definition, inclusion and exclusion criteria and examples of the highlighted code, in the
interface language first (the other language too while the workbench shows both)."""

from collections.abc import Mapping
from typing import Any

from textual.widgets import Static

from qualcode.core.code_names import details, names
from qualcode.i18n import _, current_language
from qualcode.tui.safe_text import markup_safe
from qualcode.tui.theme import swatch


class CodeDetails(Static):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.entry: Mapping[str, Any] | None = None
        self.both = False

    def show(self, entry: Mapping[str, Any] | None, both: bool | None = None) -> None:
        self.entry = entry
        if both is not None:
            self.both = both
        if entry is None:
            self.update("[dim]" + _("Highlight a code to see its definition.") + "[/]")
            return
        language = current_language()
        first, other = names(entry, language)
        head = f"{swatch(entry.get('color'))} [b]{markup_safe(entry['key'])}[/b]  {markup_safe(first)}"
        if self.both and other:
            head += f"  [dim]{markup_safe(other)}[/]"
        parts = [head]
        if entry.get("retired"):
            parts.append("[red]" + _("retired: cannot be applied") + "[/]")
        for heading, text, _language in details(entry, language, self.both):
            parts.append(f"[b]{_(heading)}:[/b] {markup_safe(text)}")
        self.update("\n".join(parts))

    def relabel(self) -> None:
        self.show(self.entry)

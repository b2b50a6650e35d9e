"""The definition, inclusion and exclusion criteria and examples of the highlighted code."""

from collections.abc import Mapping
from typing import Any

from textual.widgets import Static

from qualcode.tui.safe_text import markup_safe
from qualcode.tui.theme import swatch


class CodeDetails(Static):
    def show(self, entry: Mapping[str, Any] | None) -> None:
        if entry is None:
            self.update("[dim]Highlight a code to see its definition.[/]")
            return
        parts = [
            f"{swatch(entry.get('color'))} [b]{markup_safe(entry['key'])}[/b]  {markup_safe(entry.get('name_en') or '')}"
            f"  {markup_safe(entry.get('name_zh') or '')}"
        ]
        if entry.get("retired"):
            parts.append("[red]retired: cannot be applied[/]")
        for label, field in (
            ("In short", "short_definition"),
            ("Definition", "definition"),
            ("Include", "inclusion"),
            ("Exclude", "exclusion"),
            ("Example", "example_zh"),
            ("Example", "example_en"),
        ):
            if entry.get(field):
                parts.append(f"[b]{label}:[/b] {markup_safe(str(entry[field]))}")
        self.update("\n".join(parts))

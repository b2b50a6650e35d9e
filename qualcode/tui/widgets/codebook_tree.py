"""The codebook pane: a tree of dimensions, categories and codes, each named in the interface
language first (the other language too while the workbench shows both)."""

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qualcode.core.code_names import names
from qualcode.core.code_search import filter_tree
from qualcode.i18n import current_language
from qualcode.tui.messages import CodeChosen, CodeHighlighted
from qualcode.tui.safe_text import markup_safe
from qualcode.tui.theme import swatch


class CodebookTree(Tree[str]):
    """Rebuilt from the flat codebook on every filter change (fast up to a few thousand codes)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("codebook", **kwargs)
        self.show_root = False
        self.entries: list[Mapping[str, Any]] = []
        self.by_key: dict[str, Mapping[str, Any]] = {}
        self.both = False  # show the name in the other language after the interface language's

    def load(self, entries: Sequence[Mapping[str, Any]]) -> None:
        self.entries = list(entries)
        self.by_key = {e["key"]: e for e in entries}
        self.apply_filter("")

    def _label(self, entry: Mapping[str, Any]) -> Text:
        first, other = names(entry, current_language())
        shown = f"{first} {other}".strip() if self.both else first
        dim = " dim strike" if entry.get("retired") else ""
        head = swatch(entry.get("color")) + " " if entry.get("codable") else ""
        return Text.from_markup(
            f"{head}[b{dim}]{markup_safe(entry['key'])}[/] [{dim.strip() or 'none'}]{markup_safe(shown)}[/]"
        )

    def relabel(self) -> None:
        """Name every node again (language or `both` changed); expansion and cursor stay."""
        for node in self._all_nodes():
            entry = self.by_key.get(node.data or "")
            if entry is not None:
                node.set_label(self._label(entry))

    def _all_nodes(self) -> list[TreeNode[str]]:
        out: list[TreeNode[str]] = []
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(node.children)
        return out

    def apply_filter(self, needle: str) -> None:
        keep = filter_tree(self.entries, needle) if needle.strip() else None
        self.clear()
        nodes: dict[str | None, TreeNode[str]] = {None: self.root}
        children: dict[str | None, list[Mapping[str, Any]]] = {}
        for entry in self.entries:
            if keep is None or entry["key"] in keep:
                parent = entry.get("parent") if entry.get("parent") in self.by_key else None
                children.setdefault(parent, []).append(entry)
        stack: list[str | None] = [None]
        while stack:
            parent = stack.pop()
            for entry in children.get(parent, []):
                if entry["key"] in children:
                    nodes[entry["key"]] = nodes[parent].add(
                        self._label(entry),
                        data=entry["key"],
                        expand=bool(needle.strip()) or entry.get("level") == "dimension",
                    )
                    stack.append(entry["key"])
                else:
                    nodes[entry["key"]] = nodes[parent].add_leaf(self._label(entry), data=entry["key"])
        if needle.strip():
            self.root.expand_all()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        event.stop()
        self.post_message(CodeHighlighted(event.node.data))

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        key = event.node.data
        if key is not None and self.by_key.get(key, {}).get("codable"):
            self.post_message(CodeChosen(key))

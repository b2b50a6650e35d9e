"""The private Textual names qualcode/tui/textual_private.py relies on are still there, in the same shape.

Each check inspects Textual's own objects, so an upgrade that renames or reshapes one fails here,
naming the module to re-verify, before the transcript view silently draws wrong.
"""

import ast
import inspect
import textwrap
from collections import defaultdict

import textual
from textual.document._document import Document
from textual.widgets import TextArea

from qualcode.tui import textual_private
from qualcode.tui.textual_private import CACHE_KEY_Y, OVERRIDDEN, VERIFIED_WITH, WRAP_STATE, WrappedDocument

MODULE = "qualcode/tui/textual_private.py"


def _changed(what: str) -> str:
    return f"{MODULE} relies on {what}; textual {textual.__version__} changed it: re-verify that module"


def test_the_installed_textual_is_the_verified_minor_version() -> None:
    verified = VERIFIED_WITH.split()[-1].split(".")[:2]
    assert textual.__version__.split(".")[:2] == verified, _changed(f"the internals of {VERIFIED_WITH}")


def test_wrapped_document_keeps_its_wrap_state() -> None:
    wrapped = WrappedDocument(Document("一行中文\nline two\n"), 3)
    for name in WRAP_STATE:
        assert hasattr(wrapped, name), _changed(f"WrappedDocument.{name}")
    assert type(TextArea("a").wrapped_document) is WrappedDocument, _changed(
        "a TextArea's wrapped_document being a plain WrappedDocument (the view swaps its class)"
    )
    rows = textual_private.wrapped_rows(wrapped)
    assert all(isinstance(r, tuple) and len(r) == 2 for r in rows), _changed(
        "WrappedDocument._offset_to_line_info holding (line, section) pairs"
    )
    assert len(rows) == wrapped.height, _changed("the wrapped height being len(_offset_to_line_info)")


def test_text_area_keeps_the_methods_the_view_overrides() -> None:
    for name, positional in OVERRIDDEN.items():
        method = getattr(TextArea, name, None)
        assert callable(method), _changed(f"TextArea.{name}")
        parameters = [
            p
            for p in inspect.signature(method).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        assert len(parameters) == positional + 1, _changed(f"TextArea.{name} taking {positional} arguments")


def test_text_area_keeps_its_highlight_map_and_line_cache() -> None:
    area = TextArea("a\nb")
    highlights = textual_private.highlight_map(area)
    assert isinstance(highlights, defaultdict) and highlights.default_factory is list, _changed(
        "TextArea._highlights being a defaultdict(list) by row"
    )
    cache = area._line_cache
    assert callable(getattr(cache, "keys", None)) and callable(getattr(cache, "discard", None)), _changed(
        "TextArea._line_cache with keys() and discard()"
    )


def test_the_line_cache_key_holds_the_absolute_row_where_the_module_reads_it() -> None:
    tree = ast.parse(textwrap.dedent(inspect.getsource(TextArea.render_line)))
    keys = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ["cache_key"]
    ]
    assert len(keys) == 1 and isinstance(keys[0], ast.Tuple), _changed(
        "TextArea.render_line's cache_key tuple"
    )
    assert ast.unparse(keys[0].elts[CACHE_KEY_Y]) == "absolute_y", _changed(
        f"item {CACHE_KEY_Y} of the line cache key being the absolute row"
    )
    sums = [
        ast.unparse(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ["absolute_y"]
    ]
    assert sums == ["scroll_y + y"], _changed("absolute_y = scroll_y + y in TextArea.render_line")

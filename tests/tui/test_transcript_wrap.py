"""The transcript's own line wrapping must give exactly what Textual's WrappedDocument gives."""

import pytest
from textual.document._document import Document
from textual.document._wrapped_document import WrappedDocument

from qualcode.tui.widgets.transcript_view import _WrappedTranscript
from tests.tui.conftest import EN_TEXT, ZH_TEXT

TEXT = "\n".join(
    [
        ZH_TEXT,
        EN_TEXT,
        "",
        "x" * 200,
        "  leading  spaces   and trailing   ",
        "中文" * 80 + " " * 10,
        "a b " * 60,
    ]
)
FIELDS = (
    "_wrap_offsets",
    "_offset_to_line_info",
    "_line_index_to_offsets",
    "_tab_width_cache",
    "_width",
    "_tab_width",
)


@pytest.mark.parametrize("text", [TEXT, TEXT + "\n\tindented with a tab"], ids=["no-tabs", "tabs"])
@pytest.mark.parametrize("width", [0, 1, 3, 17, 40, 79, 150])
def test_wrap_matches_textual(text: str, width: int) -> None:
    doc = Document(text)
    stock = WrappedDocument(doc, width)
    ours = WrappedDocument(doc, 0)
    ours.__class__ = _WrappedTranscript
    ours.wrap(width, 4)
    assert {f: getattr(ours, f) for f in FIELDS} == {f: getattr(stock, f) for f in FIELDS}
    ours.wrap(width + 1, 4)  # a new width is wrapped again, not skipped
    assert ours._width == width + 1

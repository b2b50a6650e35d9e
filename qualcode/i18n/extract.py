"""A Babel extraction method for the command line: the usual `_()`/`N_()` calls, plus the
docstrings click shows as a command's help (they are translated when shown, see
`qualcode.cli.localise`). Used by `make catalogues` (babel.cfg) and the catalogue test; the
program itself never imports it.
"""

import ast
import io
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

_COMMAND_DECORATORS = ("command", "group")


def _is_click_command(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in function.decorator_list:
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = call.attr if isinstance(call, ast.Attribute) else getattr(call, "id", None)
        if name in _COMMAND_DECORATORS:
            return True
    return False


def click_help_docstrings(source: bytes) -> Iterator[tuple[int, str]]:
    """(line, text) of every click command's docstring, cleaned and cut at a form feed as click
    cuts it, so the text is exactly the help click shows."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _is_click_command(node):
            text = ast.get_docstring(node, clean=True)
            if text:
                yield node.lineno, text.split("\f", 1)[0].rstrip()


def extract_cli(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Any,
) -> Iterator[tuple[Any, ...]]:
    """Babel's Python extraction, then the click command docstrings."""
    from babel.messages.extract import extract_python

    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    for line, text in click_help_docstrings(source):
        yield line, "N_", text, []

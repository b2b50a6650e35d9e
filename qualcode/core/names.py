"""Names people give things (coders, codes, codebooks), and stored text shown on a screen.

Two rules live here, and every surface calls them:

- :func:`clean_name` is the one gate a name passes on its way into a project (the CLI, the TUI,
  codebook YAML/.qdc files, .qdpx archives, merges). It normalises to Unicode NFC, so that an NFD
  and an NFC spelling of one name are one coder, and refuses characters a terminal acts on or that
  hide what a name really is: control characters (ESC, BEL, DEL, newlines, C1 controls),
  text-direction overrides and invisible (zero-width) characters.
- :func:`printable` is the one escape for stored text on its way to a terminal or the TUI. It
  replaces each control or direction-override character by one visible character, so a transcript
  or memo can never move the cursor, clear the screen or write the clipboard, and the text keeps its
  length (offsets into it stay valid). The stored text itself is never changed.
"""

import unicodedata

from qualcode.i18n import _

__all__ = ["NameProblem", "clean_name", "name_problem", "printable"]

# Characters that reorder the text around them (embeddings, overrides, isolates, marks).
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Categories refused in names: control (Cc), format/invisible (Cf: zero-width and direction
# characters), line and paragraph separators, surrogates, unassigned.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Cn"})
# Display: C0 controls show as their Unicode "control picture", DEL as ␡, anything else as �.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
_REPLACEMENT = "\ufffd"
_MAX_NAME = 200


class NameProblem(ValueError):
    """Why a name was refused; `message` is a whole sentence for the person who typed it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def name_problem(name: str) -> str | None:
    """Why `name` (already NFC) cannot be a name, or None when it can."""
    for position, char in enumerate(name):
        if char in BIDI_CONTROLS or unicodedata.category(char) in _REFUSED_CATEGORIES:
            return _(
                "the name {name!r} contains the invisible or control character {codepoint} at position "
                "{position}; names may not contain control, zero-width or text-direction characters"
            ).format(name=printable(name), codepoint=f"U+{ord(char):04X}", position=position + 1)
    return None


def clean_name(name: str, *, max_length: int = _MAX_NAME) -> str:
    """The NFC form of `name`, or raise :class:`NameProblem` saying why it is refused.

    Leading and trailing spaces and empty names are refused too: a name that looks the same as
    another must be the same name.
    """
    text = unicodedata.normalize("NFC", name)
    problem = name_problem(text)
    if problem:
        raise NameProblem(problem)
    if not text.strip():
        raise NameProblem(_("a name cannot be empty"))
    if text.strip() != text:
        raise NameProblem(_("the name {name!r} has leading or trailing spaces").format(name=text))
    if len(text) > max_length:
        raise NameProblem(_("a name can be at most {count} characters").format(count=max_length))
    return text


def _shown(char: str, keep_lines: bool) -> str:
    if keep_lines and char in "\n\t":
        return char
    code = ord(char)
    if code in _PICTURES:
        return _PICTURES[code]
    if 0x80 <= code <= 0x9F or char in BIDI_CONTROLS or char in "\u2028\u2029":
        return _REPLACEMENT
    return char


# `_shown` as str.translate tables (C speed: a transcript has hundreds of thousands of characters
# and, with its line breaks, never passes the isprintable shortcut).
_REPLACED = [*_PICTURES, *range(0x80, 0xA0), *map(ord, BIDI_CONTROLS), 0x2028, 0x2029]
_TABLES = {
    keep: {code: _shown(chr(code), keep) for code in _REPLACED if _shown(chr(code), keep) != chr(code)}
    for keep in (False, True)
}


def printable(text: str, *, keep_lines: bool = False) -> str:
    """`text` safe to show: each control or direction character replaced by one visible character.

    With `keep_lines`, newlines and tabs stay (a transcript shown as a text); without, they are
    shown as ␊ and ␉ too, so one stored value is always one line of a table.
    """
    if text.isprintable():
        # str.isprintable is False for every character this function replaces (and for spaces
        # other than ' '), so printable text passes through untouched at C speed.
        return text
    return text.translate(_TABLES[keep_lines])

"""Line-breaking rules for Chinese text (the usual 避头尾 rules of Chinese typesetting).

A display line may not begin with closing punctuation (，。、；：？！）》」』】… and the like) and may
not end with opening punctuation (（《「『【 and the like); a doubled ellipsis or dash (……, ——)
is never split. Breaks are moved earlier, carrying the character before the punctuation onto
the next line, which is how Chinese typesetters push a line when they cannot squeeze it.
These rules only move where a line is *displayed* as broken: offsets into the text never depend
on them.
"""

import re

# Closing punctuation: must not begin a line. Full-width forms and the ASCII ones a Chinese
# transcript mixes in.
NO_LINE_START = frozenset("，。、；：？！）》」』】〉〕］｝〗〙〛…‥—～·・”’％‰℃,.;:?!)]}%")
# Opening punctuation: must not end a line.
NO_LINE_END = frozenset("（《「『【〈〔［｛〖〘〚“‘([{")

_ANY_RULED = re.compile("[" + re.escape("".join(sorted(NO_LINE_START | NO_LINE_END))) + "]")


def needs_rules(line: str) -> bool:
    """Whether a line holds any character the rules speak of (most lines of English do not)."""
    return _ANY_RULED.search(line) is not None


def violates(line: str, index: int) -> bool:
    """Whether a break before `line[index]` breaks a rule."""
    return line[index] in NO_LINE_START or line[index - 1] in NO_LINE_END


def settle_break(line: str, index: int, lowest: int) -> int:
    """Where a break proposed before `line[index]` should go: moved earlier until it breaks no
    rule, but never to `lowest` or before it (the start of the line being filled, so that no
    display line is left empty). When no place qualifies, the proposed break stands: an
    overlong run of punctuation is not worth an empty line."""
    candidate = index
    while candidate > lowest and violates(line, candidate):
        candidate -= 1
    return candidate if candidate > lowest else index

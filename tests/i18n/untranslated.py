"""Find English a Chinese reader would meet in text the tool printed or drew.

Used by the CLI tests (human output under `--lang zh_CN`) and the Pilot scenario of a coder
working in Chinese. What a Chinese interface legitimately still shows in Latin letters is left
out: code keys (`TAL.PROG`, `GOV_LED`), key binding ids (`workbench.pick_code`), names of people and documents the test passes in, file
paths, options and commands (`--coder`, `qualcode tui`), key names (`ctrl+p`), numbers, and the
names of coefficients and formats that Chinese papers print in their original form.
"""

import re
from collections.abc import Iterable

# Words a Chinese text keeps in Latin letters: coefficient and method names as journals print
# them, file formats and products, key names, and the program's own name.
KEPT = frozenset(
    """
    alpha kappa ac1 gwet cohen fleiss krippendorff krippendorff's brennan prediger brennan-prediger
    scott pi ci qca rand
    qualcode tui json csv xlsx docx qdpx qdc refi refi-qda excel word markdown md yaml txt vtt srt
    pdf utf sqlite postgresql python opencc pinyin mcp ai llm id ids
    ctrl shift alt tab enter esc escape space backspace delete up down left right home end
    pageup pagedown insert
    """.split()
)

_PATH = re.compile(r"(?:[\w.~-]*[/\\][\w.~/\\-]*)")
_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
_KEY_COMBO = re.compile(r"\b(?:ctrl|shift|alt)\+\S+", re.IGNORECASE)
_BINDING_ID = re.compile(r"\b[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\b")  # workbench.pick_code
_CODE_KEY = re.compile(r"\b[A-Z][A-Z0-9]*(?:[._][A-Z0-9]+)+\b|\b[A-Z]{2,}[0-9]*\b")
_BACKTICKED = re.compile(r"`[^`]*`")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]|[A-Za-z]")


def english_words(text: str, allow: Iterable[str] = ()) -> list[str]:
    """The Latin-letter words of `text` a Chinese reader should not meet: every word of two
    letters or more that is not kept (above), not part of a path, option, key combination, code
    key or backticked command, and not one of `allow` (names of people, documents, cases)."""
    allowed = {a.lower() for a in allow} | KEPT
    for name in allow:  # a table may cut a long name short: its parts are names too
        allowed.update(part.lower() for part in re.split(r"[^A-Za-z]+", name) if part)
    for name in sorted(allow, key=len, reverse=True):  # a name may hold spaces or dots: out whole first
        if name:
            text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", " ", text)
    for pattern in (_BACKTICKED, _KEY_COMBO, _PATH, _OPTION, _BINDING_ID, _CODE_KEY):
        text = pattern.sub(" ", text)
    names = [a for a in allowed if a not in KEPT]
    found: list[str] = []
    for word in _WORD.findall(text):
        lower = word.lower()
        if len(word) < 2 or lower in allowed or lower.rstrip("'’s") in allowed:
            continue
        if len(word) >= 3 and any(name.startswith(lower) for name in names):
            continue  # a name cut short by a pane's edge or a dialog drawn over it
        found.append(word)
    return found


def english_sentences(text: str, allow: Iterable[str] = ()) -> list[str]:
    """The lines of `text` holding English a Chinese reader should not meet (for messages)."""
    return [line for line in text.splitlines() if english_words(line, allow)]

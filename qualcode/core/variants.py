"""Simplified and traditional Chinese read as the same text, for search and keyword auto-coding.

Folding maps each character on its own to its simplified form (OpenCC's `t2s` dictionary), so the
folded text has exactly the length of the original and a match at [start, end) in the folded text
is the same [start, end) in the original: offsets never move. Phrase-level conversions that would
change the length (rare in t2s) are deliberately not used.
"""

from collections.abc import Callable
from functools import lru_cache


@lru_cache(maxsize=1)
def _converter() -> Callable[[str], str]:
    import opencc  # loaded only when someone asks for folding

    return opencc.OpenCC("t2s").convert


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    folded = _converter()(char)
    return folded if len(folded) == 1 else char


def fold_variants(text: str) -> str:
    """`text` with every traditional character replaced by its simplified form, same length."""
    # One lookup per distinct character keeps a long transcript cheap (a few thousand characters).
    table = {ord(char): _fold_char(char) for char in set(text) if ord(char) > 0x2E7F}
    return text.translate({code: folded for code, folded in table.items() if folded != chr(code)})

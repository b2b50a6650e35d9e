"""How well what a person types matches a label written in Chinese, English or both.

One rule for every place that finds something by typing (the command palette, the code picker,
the codebook filter): a query matches a label by its characters (case-insensitive), or, when the
label has Chinese characters, by their pinyin — full syllables, initials, or a mix
(`rcgy`, `rencai`, `rencaigy` all find 人才供应). Tones are ignored: `rén`, `ren2` and `ren`
are one query. A character read in more than one way (行 xing/hang) matches by any of its
readings, with pypinyin's phrase reading (银行 yinhang) among them.

The pinyin of a label is computed once and cached (code names are few and typed against many
times).
"""

import re
import unicodedata
from functools import lru_cache

__all__ = ["EXACT", "PINYIN", "PREFIX", "SUBSTRING", "score", "syllables"]

# Scores, best first. A caller may add its own tiers below PINYIN (fuzzy matching).
EXACT = 300.0
PREFIX = 200.0
SUBSTRING = 150.0
PINYIN = 140.0  # the query spells the label's first syllables in pinyin (full, initials or mixed)
PINYIN_INSIDE = 130.0  # ... or syllables further in

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_TONE_DIGITS = re.compile(r"(?<=[a-zü])[1-5]")


def _fold(text: str) -> str:
    return text.strip().casefold()


@lru_cache(maxsize=256)
def _query_pinyin(query: str) -> str | None:
    """The query as bare pinyin letters (tone marks and tone digits dropped, ü as v), or None
    when it is not something pinyin could spell."""
    folded = _TONE_DIGITS.sub("", _fold(query))
    decomposed = unicodedata.normalize("NFD", folded.replace("ü", "v"))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    letters = re.sub(r"[\s'’·-]+", "", letters)
    return letters if letters and letters.isascii() and letters.isalpha() else None


@lru_cache(maxsize=16384)
def syllables(label: str) -> tuple[frozenset[str], ...]:
    """Each Chinese character of `label` as the set of its toneless readings, and each run of Latin
    letters or digits as itself; other characters (punctuation, spaces) are left out."""
    if not _HAN.search(label):
        return ()
    from pypinyin import Style, pinyin  # lazily: loading its dictionaries takes a moment

    out: list[frozenset[str]] = []
    for run in _HAN_RUN.split(label):
        if not run:
            continue
        if _HAN.match(run):
            # one call per run of Chinese characters keeps pypinyin's phrase readings (银行 yinhang);
            # heteronym=True adds a lone character's other readings
            for readings in pinyin(run, style=Style.NORMAL, heteronym=True):
                forms = {r.replace("ü", "v") for r in readings}
                out.append(frozenset(forms | {f.replace("v", "u") for f in forms}))
        else:
            out.extend(frozenset({word}) for word in _LATIN_WORD.findall(run.casefold()))
    return tuple(out)


def _spells(query: str, sylls: tuple[frozenset[str], ...], anywhere: bool) -> bool:
    """Whether `query` spells consecutive syllables, from the first (or, `anywhere`, from any):
    each one by all of its letters or a prefix (its initial, `zh`, the start of the last one
    typed), in order, nothing skipped."""
    reached = {0}  # how much of the query the syllables so far can have spelled
    for readings in sylls:
        after: set[int] = set()
        for at in reached:
            for reading in readings:
                k = 0
                while k < len(reading) and at + k < len(query) and query[at + k] == reading[k]:
                    k += 1
                    after.add(at + k)
        if len(query) in after:
            return True
        reached = after | {0} if anywhere else after
        if not reached:
            return False
    return False


def score(query: str, label: str) -> float:
    """How well `query` matches `label`: EXACT, PREFIX, SUBSTRING, PINYIN, PINYIN_INSIDE, or 0."""
    q, hay = _fold(query), _fold(label)
    if not q or not hay:
        return 0.0
    if q == hay:
        return EXACT
    if hay.startswith(q):
        return PREFIX
    if q in hay:
        return SUBSTRING
    spelled = _query_pinyin(query)
    if spelled is None:
        return 0.0
    sylls = syllables(label)
    if not sylls:
        return 0.0
    if _spells(spelled, sylls, anywhere=False):
        return PINYIN
    if _spells(spelled, sylls, anywhere=True):
        return PINYIN_INSIDE
    return 0.0

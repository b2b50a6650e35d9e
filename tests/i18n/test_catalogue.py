"""The zh_CN catalogue is complete, current, consistent with the glossary, and compiled as shipped.

Fails on: an untranslated, empty or fuzzy entry; a string marked with _()/N_()/ngettext()/
pgettext() in the sources that the catalogue lacks (or an entry no source uses any more);
placeholders that differ between the English and the Chinese; a shipped .mo that is not the
compiled .po; a Chinese entry that does not use the glossary's term.
"""

import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from qualcode.i18n import LOCALE_DIR

REPO = Path(__file__).resolve().parents[2]
PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "qualcode.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_noop": ((1, "c"), 2),
    "translate_in": (2,),
    "ntranslate_in": (2, 3),
}


def _catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="zh_CN")


def _key(message) -> tuple[str | None, str]:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return (message.context, msgid)


def _entries():
    return [m for m in _catalogue() if m.id]


def _source_keys() -> set[tuple[str | None, str]]:
    keys = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(REPO / "qualcode"),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            keys.add((context, msgid))
    return keys


def _placeholders(text: str) -> list[str]:
    names = sorted(field for _lit, field, _spec, _conv in string.Formatter().parse(text) if field is not None)
    percent = sorted(re.findall(r"%(?:\([a-z_]+\))?[sdifr]", text))
    return names + percent


def test_every_entry_is_translated_and_not_fuzzy() -> None:
    bad = []
    for message in _entries():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(s and s.strip() for s in strings):
            bad.append(_key(message)[1])
    assert not bad, f"untranslated, empty or fuzzy zh_CN entries: {bad}"


def test_catalogue_matches_the_sources() -> None:
    in_sources = _source_keys()
    in_catalogue = {_key(m) for m in _entries()}
    missing = sorted(k[1] for k in in_sources - in_catalogue)
    stale = sorted(k[1] for k in in_catalogue - in_sources)
    assert not missing, f"marked for translation but not in the catalogue (run `make catalogues`): {missing}"
    assert not stale, f"in the catalogue but no longer in the sources (run `make catalogues`): {stale}"


def test_placeholders_are_the_same_in_both_languages() -> None:
    bad = []
    for message in _entries():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = _placeholders(ids[-1])
        for translated in strings:
            if _placeholders(translated) != expected:
                bad.append((ids[0], translated))
    assert not bad, f"placeholders differ: {bad}"


def test_shipped_mo_is_the_compiled_po() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue())
    assert MO.read_bytes() == compiled.getvalue(), "qualcode.mo is stale: run `make catalogues`"


def _glossary() -> list[tuple[str, str]]:
    rows = []
    for line in (REPO / "docs" / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[2] == "yes":
            rows.append((cells[0], cells[1]))
    return rows


def test_glossary_is_read() -> None:
    terms = dict(_glossary())
    assert terms["codebook"] == "编码本" and len(terms) >= 20


def test_translations_use_the_glossary_terms() -> None:
    bad = []
    for english, chinese in _glossary():
        pattern = re.compile(rf"\b{re.escape(english)}s?\b", re.IGNORECASE)
        for message in _entries():
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            # a placeholder ({project}) is a name for a value, not the word
            words = [re.sub(r"\{[^{}]*\}", "", i) for i in ids]
            if any(pattern.search(w) for w in words) and not all(chinese in s for s in strings):
                bad.append((english, chinese, ids[0]))
    assert not bad, f"entries that do not use the glossary term: {bad}"


@pytest.mark.parametrize("placeholder_text", ["{count} documents", "%(name)s is %d"])
def test_placeholder_reader_can_fail(placeholder_text: str) -> None:
    assert _placeholders(placeholder_text) != _placeholders("no placeholders")

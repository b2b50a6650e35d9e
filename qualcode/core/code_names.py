"""Which of a code's two languages is shown first: the interface language, then the other.

Codes carry English and Chinese names, and (as the codebook gains them) Chinese definitions,
inclusion/exclusion criteria and examples beside the English ones. Every surface that shows a
code in the workbench asks here, so the order is one rule. Fields are read with `.get`, so a
codebook written before the Chinese fields existed shows what it has.
"""

from collections.abc import Mapping
from typing import Any

from qualcode.i18n import N_

__all__ = ["DETAIL_FIELDS", "details", "names"]

# (heading (translated when shown), English field, Chinese field): a code's explanation, in the order it is read.
DETAIL_FIELDS: tuple[tuple[str, str, str], ...] = (
    (N_("In short"), "short_definition", "short_definition_zh"),
    (N_("Definition"), "definition", "definition_zh"),
    (N_("Include"), "inclusion", "inclusion_zh"),
    (N_("Exclude"), "exclusion", "exclusion_zh"),
    (N_("Example"), "example_en", "example_zh"),
)


def _chinese_first(language: str) -> bool:
    return language.startswith("zh")


def names(entry: Mapping[str, Any], language: str) -> tuple[str, str]:
    """(the name to show, the name in the other language or ""): the interface language's name
    first; a code named in one language only shows that name in both."""
    english, chinese = str(entry.get("name_en") or ""), str(entry.get("name_zh") or "")
    first, second = (chinese, english) if _chinese_first(language) else (english, chinese)
    return (first, second) if first else (second, "")


def details(entry: Mapping[str, Any], language: str, both: bool) -> list[tuple[str, str, str]]:
    """(heading, text, which language) for each explanation field the code has: the interface
    language's text, the other one where it is missing, and with `both` the other one as well."""
    out: list[tuple[str, str, str]] = []
    for heading, english_field, chinese_field in DETAIL_FIELDS:
        pairs = [("en", entry.get(english_field)), ("zh_CN", entry.get(chinese_field))]
        if _chinese_first(language):
            pairs.reverse()
        shown = [(lang, str(text)) for lang, text in pairs if text]
        for lang, text in shown if both else shown[:1]:
            out.append((heading, text, lang))
    return out

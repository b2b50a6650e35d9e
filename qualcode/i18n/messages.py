"""Warnings, notes and reasons as structured messages: a stable kind plus its values.

Core computes a caution ("prevalence paradox", "alpha undefined", "no interval") where the numbers
are, but must not decide the language it is read in. It returns a `Message`: the kind and the
values (numbers, coder names, code keys), with the sentence for each kind written once, in
`report_notes.py`, as a whole catalogue entry with named placeholders.

A `Message` is also a `str` whose value is its English sentence, exactly the text the reports
carried before messages existed. So the machine-readable outputs (JSON, CSV, the `agree` xlsx
keys) hold the same bytes in every interface language, and nothing that stores or compares the
text changes; a surface a person reads calls `localise` and gets the sentence in the interface
language (or a chosen one), with every number formatted as in the English.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from qualcode.i18n import ENGLISH, current_language, join_list, pgettext_noop, translate_in
from qualcode.i18n.report_notes import JOINED, SENTENCES

_CLAUSE_SEPARATOR = pgettext_noop("clause separator", "; ")


class Message(str):
    """A sentence kept as `kind` and `params`; its `str` value is the English sentence."""

    __slots__ = ("kind", "params")
    kind: str
    params: Mapping[str, Any]

    def __new__(cls, kind: str, **params: Any) -> "Message":
        if kind != JOINED and kind not in SENTENCES:
            raise KeyError(f"no sentence for the message kind {kind!r}")
        self = super().__new__(cls, _text(kind, params, ENGLISH))
        self.kind = kind
        self.params = dict(params)
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # copy, deepcopy and pickle keep the kind and values
        return (_restore, (self.kind, dict(self.params)))

    def in_language(self, language: str | None = None) -> str:
        """The sentence in `language` (default: the interface language)."""
        return _text(self.kind, self.params, language or current_language())


def _restore(kind: str, params: dict[str, Any]) -> Message:
    return Message(kind, **params)


def joined(parts: Iterable[str]) -> str:
    """Clauses about one thing as one note ("a; b" in English, "a；b" in Chinese); a single clause
    stays itself, no clause gives ""."""
    items = [p for p in parts if p]
    if len(items) <= 1:
        return items[0] if items else ""
    return Message(JOINED, parts=tuple(items))


def localise(text: Any, language: str | None = None) -> Any:
    """A message in the interface language (or `language`); anything else is returned as it is,
    so a surface can pass every note, reason or cell through it."""
    return text.in_language(language) if isinstance(text, Message) else text


def localise_all(texts: Iterable[Any], language: str | None = None) -> list[Any]:
    """`localise` for each item of a list of notes or warnings."""
    return [localise(t, language) for t in texts]


def _text(kind: str, params: Mapping[str, Any], language: str) -> str:
    if kind == JOINED:
        separator = translate_in(language, _CLAUSE_SEPARATOR, context="clause separator")
        return separator.join(_value(p, None, language) for p in params["parts"])
    sentence = SENTENCES[kind]
    template = translate_in(language, sentence.text)
    values = {name: _value(v, sentence.formats.get(name), language) for name, v in params.items()}
    return template.format(**values)


def _value(value: Any, spec: str | None, language: str) -> str:
    """One placeholder's text: nested messages in the same language, numbers by the kind's format
    (the same digits and percent signs in every language), lists as the language writes them."""
    if isinstance(value, Message):
        return value.in_language(language)
    if spec is not None and isinstance(value, int | float):
        return format(value, spec)
    if isinstance(value, list | tuple):
        return join_list((_value(v, spec, language) for v in value), language)
    return str(value)

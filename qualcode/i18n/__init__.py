"""The interface language: one catalogue lookup for every string a person reads.

Every layer may import this module (it imports nothing of ours and only the standard library),
so a message is translated where it is written: `_("{count} documents").format(count=n)`.
Machine-readable output (JSON keys, CSV column keys, code keys, exit codes) never goes through
it. The catalogues are GNU gettext files shipped inside the package: `locale/<lang>/LC_MESSAGES/
qualcode.po` is the source people edit, `qualcode.mo` its compiled form (`make catalogues`
rebuilds it; a test fails when the two differ).

Choosing the language, first that applies: `--lang`, `QUALCODE_LANG`, the project's `language`
setting, the user's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), English.
"""

import gettext
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "qualcode"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES: tuple[str, ...] = (CHINESE, ENGLISH)
LANGUAGE_NAMES: Mapping[str, str] = {CHINESE: "简体中文", ENGLISH: "English"}

# What people type for a language, lower-cased, with '-' read as '_' and any encoding cut off.
_ALIASES: Mapping[str, str] = {
    "zh": CHINESE,
    "zh_cn": CHINESE,
    "zh_hans": CHINESE,
    "zh_hans_cn": CHINESE,
    "zh_sg": CHINESE,
    "chinese": CHINESE,
    "中文": CHINESE,
    "简体中文": CHINESE,
    "en": ENGLISH,
    "en_us": ENGLISH,
    "en_gb": ENGLISH,
    "english": ENGLISH,
    "c": ENGLISH,
    "posix": ENGLISH,
}

_lock = threading.Lock()
_current = ENGLISH
_pinned = False  # chosen by --lang or QUALCODE_LANG: a project's setting does not override it
_translations: dict[str, gettext.NullTranslations] = {}
_listeners: list[Callable[[str], None]] = []


class UnknownLanguageError(ValueError):
    """A language name that is neither Chinese nor English (message in both, as no language is set)."""


def normalise(name: str) -> str | None:
    """The language a name stands for (`zh-CN`, `zh_CN.UTF-8`, `Chinese`, `en_US`...), or None."""
    key = name.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_").lower()
    if not key:
        return None
    if key in _ALIASES:
        return _ALIASES[key]
    if key.startswith("zh_") and not key.startswith(("zh_tw", "zh_hk", "zh_hant")):
        return CHINESE
    if key.startswith("en_"):
        return ENGLISH
    return None


def parse_language(name: str) -> str:
    """A language someone asked for explicitly; an unknown one is refused, never guessed."""
    language = normalise(name)
    if language is None:
        raise UnknownLanguageError(
            f"unknown language {name!r}: use zh_CN or en / 未知的界面语言 {name!r}：请用 zh_CN 或 en"
        )
    return language


def resolve_language(
    flag: str | None = None,
    environ: Mapping[str, str] | None = None,
    project_setting: str | None = None,
) -> str:
    """The language to use, by the documented order. Only `flag` and `QUALCODE_LANG` are refused
    when unknown (someone typed them for us); a project setting or locale we cannot serve falls
    through to the next source."""
    env = environ if environ is not None else _os_environ()
    explicit = explicit_language(flag, env)
    if explicit:
        return explicit
    if project_setting:
        language = normalise(project_setting)
        if language:
            return language
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable)
        if value:  # the first one set decides, as in POSIX; C/POSIX mean English
            return normalise(value) or ENGLISH
    return ENGLISH


def explicit_language(flag: str | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The language fixed before any project is open (`--lang`, `QUALCODE_LANG`), if any."""
    if flag:
        return parse_language(flag)
    env = environ if environ is not None else _os_environ()
    if env.get("QUALCODE_LANG"):
        return parse_language(env["QUALCODE_LANG"])
    return None


def start_language(flag: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Set the language a command starts in: `--lang`, `QUALCODE_LANG`, else the locale.
    A project's setting can still change it when the project opens (`apply_project_language`)."""
    global _pinned
    env = environ if environ is not None else _os_environ()
    explicit = explicit_language(flag, env)
    _pinned = explicit is not None
    return set_language(explicit or resolve_language(None, env, None))


def project_language_applies() -> bool:
    """Whether a project's `language` setting would be used (nobody chose with --lang or
    QUALCODE_LANG), so callers read the setting only when it matters."""
    return not _pinned


def apply_project_language(project_setting: str | None) -> str:
    """Use the project's `language` setting unless `--lang`/`QUALCODE_LANG` chose already."""
    if not _pinned and project_setting:
        language = normalise(project_setting)
        if language:
            set_language(language)
    return _current


def _os_environ() -> Mapping[str, str]:
    return os.environ


def _catalogue(language: str) -> gettext.NullTranslations:
    with _lock:
        found = _translations.get(language)
        if found is None:
            if language == ENGLISH:
                found = gettext.NullTranslations()
            else:
                found = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
            _translations[language] = found
        return found


def set_language(language: str) -> str:
    """Make `language` the interface language for this process; listeners hear of a change."""
    global _current
    language = parse_language(language)
    changed = language != _current
    _current = language
    if changed:
        for listener in list(_listeners):
            listener(language)
    return language


def current_language() -> str:
    return _current


def on_language_change(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call `listener(language)` after every change; returns a function that stops it."""
    _listeners.append(listener)

    def stop() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return stop


@contextmanager
def language(name: str) -> Iterator[str]:
    """Use `name` inside the block only (reports written in a chosen language, tests)."""
    previous = _current
    set_language(name)
    try:
        yield _current
    finally:
        set_language(previous)


def _(message: str) -> str:
    """The message in the interface language (the English text is the catalogue key)."""
    return _catalogue(_current).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Singular or plural by `count`, in the interface language (Chinese has one form)."""
    return _catalogue(_current).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """A message whose translation depends on where it is shown (e.g. "code" the noun vs the verb)."""
    return _catalogue(_current).pgettext(context, message)


def N_(message: str) -> str:
    """Marks a string for the catalogue without translating it yet: for module-level constants
    (binding descriptions, column headings) that are translated with `_()` when shown."""
    return message


def translate_in(language_name: str, message: str, context: str | None = None) -> str:
    """The message in a given language, whatever the interface language is (bilingual output)."""
    catalogue = _catalogue(parse_language(language_name))
    return catalogue.pgettext(context, message) if context else catalogue.gettext(message)


def ntranslate_in(language_name: str, singular: str, plural: str, count: int) -> str:
    """`ngettext` in a given language, whatever the interface language is."""
    return _catalogue(parse_language(language_name)).ngettext(singular, plural, count)


def pgettext_noop(context: str, message: str) -> str:
    """Marks a message with a context for the catalogue without translating it yet."""
    return message


def label_of(labels: Mapping[str, str], word: str, context: str | None = None) -> str:
    """A stored word (a verdict, a role, an event's action: a JSON value, English) as a person
    reads it: its label from `labels` (marked with N_ or pgettext_noop under `context`) in the
    interface language, or the word itself when it has no label."""
    label = labels.get(word)
    if not label:
        return word
    return pgettext(context, label) if context is not None else _(label)


_LIST_SEPARATOR = pgettext_noop("list separator", ", ")


def join_list(items: Iterable[str], language_name: str | None = None) -> str:
    """Items joined as a list is written in the language (", " in English, "、" in Chinese)."""
    separator = translate_in(language_name or _current, _LIST_SEPARATOR, context="list separator")
    return separator.join(items)


def join_sentences(sentences: Iterable[str], language_name: str | None = None) -> str:
    """Whole sentences run together as a paragraph: a space between them in English, nothing in
    Chinese (a full stop 。 or ） already ends each sentence)."""
    separator = "" if parse_language(language_name or _current) == CHINESE else " "
    return separator.join(sentence.strip() for sentence in sentences if sentence.strip())

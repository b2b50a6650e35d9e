"""The command line in the interface language: click's own words and our help texts.

Help texts are written in English in the decorators and docstrings (they are the catalogue
keys) and translated when a command is about to run or show its help, not when its module is
imported: a module imported once serves every language (tests, `--lang` after the subcommand).
"""

import importlib
import inspect

import click

from qualcode.i18n import _, ngettext

# The click modules that look up their messages with `from gettext import gettext as _`.
_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)
_ENGLISH = "_qualcode_english"


def use_our_catalogue_for_click() -> None:
    """Make click's messages ("Usage:", "Missing argument", ...) come from our catalogue,
    in our interface language (click would ask the process locale under the `messages` domain)."""
    for name in _CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def _translate_attributes(thing: object, names: tuple[str, ...]) -> None:
    # The English text is kept on first sight, so translating again (another language) starts from it.
    english: dict[str, str | None] = thing.__dict__.setdefault(
        _ENGLISH, {name: getattr(thing, name, None) for name in names}
    )
    for name, text in english.items():
        if isinstance(text, str) and text:
            # The catalogue key is the text click shows: the docstring without its indentation.
            setattr(thing, name, _(inspect.cleandoc(text).partition("\f")[0]))


def localise_command(command: click.Command) -> click.Command:
    """Put `command`'s help, its options' help and its subcommands' help in the current language."""
    _translate_attributes(command, ("help", "short_help", "epilog"))
    for param in command.params:
        _translate_attributes(param, ("help",))
    # click builds the -h/--help option once per command with the words of that moment.
    if getattr(command, "_help_option", None) is not None:
        command._help_option = None
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            localise_command(subcommand)
    return command


def has_own_lang_option(command: click.Command) -> bool:
    """Whether `command` (or one of its subcommands) has a `--lang` of its own (e.g. the language
    a report is written in), which then is not the interface language."""
    if any("--lang" in getattr(param, "opts", ()) for param in command.params):
        return True
    if isinstance(command, click.Group):
        return any(has_own_lang_option(sub) for sub in command.commands.values())
    return False


def language_in_argv(argv: list[str], after_command: bool = True) -> tuple[str | None, list[str]]:
    """`--lang X` wherever it is typed (before or after the subcommand, before a `--`), and the
    arguments without it, so that the language is set before any help text is shown. With
    `after_command` False only a `--lang` before the subcommand counts (the subcommand has its own)."""
    chosen: str | None = None
    rest: list[str] = []
    index = 0
    while index < len(argv):
        token = argv[index]
        if not after_command and not token.startswith("-"):
            rest.extend(argv[index:])
            break
        if token == "--":
            rest.extend(argv[index:])
            break
        if token == "--lang" and index + 1 < len(argv):
            chosen = argv[index + 1]
            index += 2
            continue
        if token.startswith("--lang="):
            chosen = token.split("=", 1)[1]
            index += 1
            continue
        rest.append(token)
        index += 1
    return chosen, rest

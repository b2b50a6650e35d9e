"""One-line descriptions of YAML failures and of tags the readers refuse, with file:line:column.

Codebook and guide files are data: a tag such as `!foo` or `!!python/name:os.system` asks a
loader to build an object, which we never do. PyYAML's own messages span several lines
(a context, a quoted source line and a caret); a person gets one line here instead.
"""

import yaml

from qualcode.i18n import N_, _

# The tags PyYAML's safe constructor builds (plain text, numbers, booleans, null, dates,
# lists and mappings); any other tag, written or implied, is refused.
SAFE_TAGS = frozenset(tag for tag in yaml.constructor.SafeConstructor.yaml_constructors if tag)
_STANDARD_PREFIX = "tag:yaml.org,2002:"
# PyYAML's most frequent problem and context texts that hold no quoted source, as catalogue
# entries: each is translated when PyYAML says exactly this, any other text is shown as written.
_PYYAML_WORDS = frozenset(
    (
        N_("mapping values are not allowed here"),
        N_("mapping keys are not allowed here"),
        N_("sequence entries are not allowed here"),
        N_("could not find expected ':'"),
        N_("found unexpected end of stream"),
        N_("found duplicate key"),
        N_("expected a single document in the stream"),
        N_("but found another document"),
        N_("while scanning a simple key"),
        N_("while scanning a quoted scalar"),
        N_("while scanning a double-quoted scalar"),
        N_("while scanning a block scalar"),
        N_("while scanning for the next token"),
        N_("while parsing a block mapping"),
        N_("while parsing a block collection"),
        N_("while parsing a flow mapping"),
        N_("while parsing a flow sequence"),
        N_("while parsing a node"),
    )
)


def _pyyaml_words(text: str | None) -> str:
    """PyYAML's text on one line, in the interface language when it is one of the known texts."""
    flat = " ".join((text or "").split())
    return _(flat) if flat in _PYYAML_WORDS else flat


def shown_tag(tag: str) -> str:
    """A tag as it was written in the file (`!!python/name:x`, `!foo`)."""
    return "!!" + tag[len(_STANDARD_PREFIX) :] if tag.startswith(_STANDARD_PREFIX) else tag


def unsafe_tag(node: yaml.Node) -> str | None:
    """The tag of `node` as written, when it is one the readers refuse; else None."""
    return None if node.tag in SAFE_TAGS else shown_tag(node.tag)


def tag_message(tag: str) -> str:
    return _(
        "the YAML tag {tag} is not supported (tags would ask to build objects; nothing was run); "
        "remove the tag and write the plain value"
    ).format(tag=tag)


def _line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def describe_yaml_error(exc: yaml.YAMLError, text: str, name: str | None = None) -> tuple[int, int, str]:
    """(line, column, explanation) of a YAML failure, 1-based, the explanation on one line.

    An unclosed [ { or quote is only noticed where the file ends: the explanation then also says
    where the construct began (as `name:line:column` when the file's `name` is given)."""
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_column(text, exc.position)
        character = exc.character if isinstance(exc.character, int) else ord(exc.character or "\0")
        return (
            line,
            column,
            _(
                "the character {codepoint} is not allowed in YAML text; remove it (is this really a text file?)"
            ).format(codepoint=f"U+{character:04X}"),
        )
    if isinstance(exc, yaml.constructor.ConstructorError) and "constructor for the tag" in (
        exc.problem or ""
    ):
        mark = exc.problem_mark
        tag = (exc.problem or "").split("'")[1] if "'" in (exc.problem or "") else "?"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return line, column, tag_message(shown_tag(tag))
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        explanation = _pyyaml_words(exc.problem or exc.context) or _("the structure is broken")
        began = exc.context_mark
        if mark is not None and began is not None and (began.line, began.column) != (mark.line, mark.column):
            if name:
                place = f"{name}:{began.line + 1}:{began.column + 1}"
            else:
                place = _("line {line}, column {column}").format(line=began.line + 1, column=began.column + 1)
            explanation = _("{explanation}; the construct began at {place} ({context})").format(
                explanation=explanation, place=place, context=_pyyaml_words(exc.context)
            )
        return line, column, _("not valid YAML: {explanation}").format(explanation=explanation)
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return 1, 1, _("not valid YAML: {explanation}").format(explanation=first)

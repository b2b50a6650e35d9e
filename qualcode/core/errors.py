"""Errors a person can act on. The CLI prints their message on one line and exits 2."""


class QualcodeError(Exception):
    """Bad input or a refused operation; the message is shown to the user as is.

    `details` are extra lines a person may need to act (e.g. the candidates for an ambiguous
    quote); the CLI prints each below the one `error:` line, escaped like the message."""

    def __init__(self, *args: object, details: list[str] | None = None) -> None:
        super().__init__(*args)
        self.details: list[str] = list(details or [])


class NotFoundError(QualcodeError):
    """A named coder, code, document or project does not exist."""


class ValidationError(QualcodeError):
    """Input that breaks a rule of the data model (offsets, keys, formats)."""

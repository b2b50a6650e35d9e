"""Errors a person can act on. The CLI prints their message on one line and exits 2."""


class QualcodeError(Exception):
    """Bad input or a refused operation; the message is shown to the user as is."""


class NotFoundError(QualcodeError):
    """A named coder, code, document or project does not exist."""


class ValidationError(QualcodeError):
    """Input that breaks a rule of the data model (offsets, keys, formats)."""

"""Resolving the names people type (document, code) to rows, with helpful errors."""

from sqlmodel import Session, select

from qualcode.core.errors import NotFoundError
from qualcode.i18n import _
from qualcode.store.models import Code, Document


def _suggest(name: str, choices: list[str]) -> str:
    if not choices:
        return ""
    from rapidfuzz import process  # only on a miss: importing rapidfuzz costs ~0.25 s at start-up

    best = process.extract(name, choices, limit=3, score_cutoff=60)
    return f" (did you mean {', '.join(repr(b[0]) for b in best)}?)" if best else ""


def find_document(session: Session, name: str) -> Document:
    """The document called `name`; NotFoundError suggesting close names otherwise."""
    doc = session.exec(select(Document).where(Document.name == name)).first()
    if doc is None:
        names = list(session.exec(select(Document.name)).all())
        raise NotFoundError(
            _("unknown document {name!r}{suggest}").format(name=name, suggest=_suggest(name, names))
        )
    return doc


def find_code(session: Session, key: str) -> Code:
    """The code with key `key`; NotFoundError suggesting close keys (or how to load a codebook) otherwise."""
    code = session.exec(select(Code).where(Code.key == key)).first()
    if code is None:
        keys = list(session.exec(select(Code.key)).all())
        hint = _suggest(key, keys) if keys else " (the project has no codebook yet: `qualcode codebook load`)"
        raise NotFoundError(_("unknown code {key!r}{hint}").format(key=key, hint=hint))
    return code

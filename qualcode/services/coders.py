"""Coders: the people (and pseudo-coders such as `auto:*` and `consensus`) who code."""

import unicodedata
from typing import TypedDict

from sqlmodel import Session, select

from qualcode.core.errors import NotFoundError, ValidationError
from qualcode.core.names import NameProblem, clean_name
from qualcode.i18n import _
from qualcode.services.events import record, snapshot
from qualcode.store.db import Project
from qualcode.store.models import Coder

ROLES = ("coder", "lead")
CONSENSUS = "consensus"
AUTO_PREFIX = "auto:"
MODEL_PREFIX = "model:"  # a trained suggester, `model:<id>`
AI_PREFIX = "ai:"  # an assistant: `ai:mcp`, `ai:<llm model>`
PSEUDO_PREFIXES = (AUTO_PREFIX, MODEL_PREFIX, AI_PREFIX)


class CoderRow(TypedDict):
    """A coder as `coders list` and `coders add` print it."""

    name: str
    role: str  # coder | lead


def is_pseudo_coder(name: str) -> bool:
    """Whether `name` is a pseudo-coder (auto:, model:, ai: or consensus), left out of agreement unless named."""
    return name == CONSENSUS or name.startswith(PSEUDO_PREFIXES)


def check_coder_name(name: str) -> str:
    """The stored (NFC) form of a new coder's name, or a ValidationError saying why it is refused."""
    try:
        return clean_name(name)
    except NameProblem as exc:
        raise ValidationError(_("coder name refused: {message}").format(message=exc.message)) from None


def find_coder(session: Session, name: str) -> Coder:
    """The coder called `name` (NFC-normalised); NotFoundError naming the known coders otherwise."""
    # Names are stored in NFC: a name typed in NFD (as some keyboards and file systems do) is the same coder.
    name = unicodedata.normalize("NFC", name)
    coder = session.exec(select(Coder).where(Coder.name == name)).first()
    if coder is None:
        known = ", ".join(session.exec(select(Coder.name).order_by(Coder.name)).all()) or "none yet"
        raise NotFoundError(
            _("unknown coder {name!r} (known coders: {known})").format(name=name, known=known)
        )
    return coder


def ensure_coder(session: Session, name: str, role: str = "coder", actor: str | None = None) -> Coder:
    """Return the coder, creating it (with an event) if it does not exist yet."""
    name = check_coder_name(name)
    coder = session.exec(select(Coder).where(Coder.name == name)).first()
    if coder is not None:
        return coder
    if role not in ROLES:
        raise ValidationError(
            _("role must be one of {ROLES}, not {role!r}").format(ROLES=', '.join(ROLES), role=role)
        )
    coder = Coder(name=name, role=role)
    session.add(coder)
    session.flush()
    record(session, actor=actor, action="create", entity="coder", entity_id=coder.id, after=snapshot(coder))
    return coder


def add_coder(project: Project, name: str, role: str = "coder", actor: str | None = None) -> CoderRow:
    """Register a person as coder or lead. Refused for an unknown role, an invalid or reserved name (auto:,
    model:, ai:, consensus) or a name already taken."""
    if role not in ROLES:
        raise ValidationError(
            _("role must be one of {ROLES}, not {role!r}").format(ROLES=', '.join(ROLES), role=role)
        )
    name = check_coder_name(name)
    if is_pseudo_coder(name):  # created by auto-coding and adjudication, left out of agreement
        raise ValidationError(
            _(
                "{name!r} is reserved for auto-coding (auto:...), suggesters (model:..., ai:...) and adjudication (consensus); choose another name"
            ).format(name=name)
        )

    def _work(session: Session) -> CoderRow:
        if session.exec(select(Coder).where(Coder.name == name)).first() is not None:
            raise ValidationError(_("coder {name!r} already exists").format(name=name))
        coder = ensure_coder(session, name, role, actor=actor)
        return CoderRow(name=coder.name, role=coder.role)

    return project.transact(_work)


def list_coders(project: Project) -> list[CoderRow]:
    """Every coder with their role, by name."""
    with project.read() as session:
        return [{"name": c.name, "role": c.role} for c in session.exec(select(Coder).order_by(Coder.name))]


def coder_role(project: Project, name: str) -> str:
    """The role (coder or lead) of the coder called `name`; NotFoundError for an unknown name."""
    with project.read() as session:
        return find_coder(session, name).role

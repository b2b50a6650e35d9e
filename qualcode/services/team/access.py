"""Who may see whose work: blind coding enforced for every caller, not only the TUI.

In blind mode a person acting as a coder (role 'coder') sees only their own segments,
memos and document statuses until a lead reveals everyone's work. Every service that
returns coded data (listings, exports, agreement, compare views) must pass the person it
acts for through `visible_coder_ids` and filter by the result.

Calling with `viewer=None` while blind mode is on and not revealed is refused: a command
that does not say who runs it cannot know what to hide, so it shows nothing.
"""

from typing import Any

from sqlmodel import Session

from qualcode.core.errors import QualcodeError
from qualcode.services.coders import find_coder
from qualcode.services.settings import read_setting
from qualcode.store import rls
from qualcode.store.db import Project
from qualcode.store.mapped import id_of

BLIND_KEY = "blind_mode"
REVEALED_KEY = "revealed"
# Entities whose rows belong to one coder and are hidden from other coders in blind mode.
PRIVATE_ENTITIES = frozenset(rls.PRIVATE_ENTITIES)


class BlindModeError(QualcodeError):
    """Blind mode hides other coders' work and the caller did not say who they are."""


class NotALeadError(QualcodeError):
    """Only a lead may do this."""


def is_blind(session: Session) -> bool:
    """True while coders must not see each other's work (blind on and not revealed)."""
    return bool(read_setting(session, BLIND_KEY)) and not bool(read_setting(session, REVEALED_KEY))


def visible_coder_ids(session: Session, viewer: str | None) -> set[int] | None:
    """Which coders' work `viewer` may see: None means everyone's.

    A lead sees everything; so does everybody when blind mode is off or revealed.
    Otherwise a coder sees only their own work, and an anonymous caller is refused.
    """
    blind = is_blind(session)
    if viewer is None:
        if blind:
            raise BlindModeError(
                "blind mode is on: say who you are with --as NAME (or QUALCODE_CODER=NAME) to see your own coding"
            )
        return None
    coder = find_coder(session, viewer)
    if coder.role == "lead" or not blind:
        return None
    return {id_of(coder)}


def require_full_view(session: Session, viewer: str | None, what: str) -> None:
    """Refuse output that necessarily mixes coders (agreement, disagreements, typology by
    all coders, a whole-project export) to a coder while blind mode hides the others."""
    if visible_coder_ids(session, viewer) is not None:
        raise BlindModeError(
            f"blind mode is on: {what} shows other coders' work, so only a lead may see it "
            "until a lead runs `qualcode blind reveal`"
        )


def can_see(visible: set[int] | None, coder_id: int | None) -> bool:
    """Whether a row by `coder_id` passes the filter; rows without a coder are shared."""
    return visible is None or coder_id is None or coder_id in visible


def require_lead(session: Session, name: str | None) -> None:
    if name is None:
        raise NotALeadError("only a lead may do this: run it with --as LEAD_NAME")
    coder = find_coder(session, name)
    if coder.role != "lead":
        raise NotALeadError(f"{name} is a {coder.role}; only a lead may do this")


def blind_status(project: Project) -> dict[str, Any]:
    with project.read() as session:
        blind = bool(read_setting(session, BLIND_KEY))
        revealed = bool(read_setting(session, REVEALED_KEY))
    state = "off" if not blind else ("revealed" if revealed else "on")
    return {"blind_mode": blind, "revealed": revealed, "state": state}


def set_blind(project: Project, state: str, *, actor: str | None) -> dict[str, Any]:
    """Turn blind mode on (hiding again), off, or reveal everyone's work; leads only.

    States: 'on' (blind, not revealed), 'off' (no blinding), 'reveal' (blind mode kept on
    record but everyone's work is shown, e.g. for adjudication).
    """
    from qualcode.services.events import record
    from qualcode.services.settings import write_setting

    wanted = {"on": (True, False), "off": (False, False), "reveal": (True, True)}
    if state not in wanted:
        raise QualcodeError(f"blind mode can be set to on, off or reveal, not {state!r}")
    blind, revealed = wanted[state]

    def work(session: Session) -> None:
        require_lead(session, actor)
        before = {
            BLIND_KEY: read_setting(session, BLIND_KEY),
            REVEALED_KEY: read_setting(session, REVEALED_KEY),
        }
        after = {BLIND_KEY: blind, REVEALED_KEY: revealed}
        if {k: bool(v) for k, v in before.items()} == after:
            return
        write_setting(session, BLIND_KEY, blind)
        write_setting(session, REVEALED_KEY, revealed)
        record(session, actor=actor, action=f"blind.{state}", entity="setting", before=before, after=after)

    project.transact(work)
    return blind_status(project)

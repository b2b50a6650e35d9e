"""The codebook's version number: a counter that only moves forward.

Kept out of services/codebook so that a team merge, which moves the version on when it
changes codes, does not import the codebook package (which imports services/team for blind mode).
"""

from sqlmodel import Session

from qualcode.services.events import record
from qualcode.services.settings import read_setting, write_setting

VERSION_KEY = "codebook.version"


def read_version(session: Session) -> int:
    """The project's codebook version (0 before the first codebook change)."""
    return int(read_setting(session, VERSION_KEY) or 0)


def advance_version(session: Session, actor: str | None) -> int:
    """Move the version on by one and record it; versions only move forward (undo too),
    so a version number names one content."""
    version = read_version(session) + 1
    write_setting(session, VERSION_KEY, version)
    record(
        session,
        actor=actor,
        action="codebook.version",
        entity="codebook",
        before={"version": version - 1},
        after={"version": version},
    )
    return version

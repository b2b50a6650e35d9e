"""Who is compared in a document: the one rule every agreement and adjudication surface uses.

`agree` (every unit type), `adjudicate list`, the TUI agreement and adjudication screens and the
workbook's Agreement sheets all decide through `takes_part`, and every report prints
`PARTICIPATION_RULE` so a reader knows whose coding was compared.
"""

from typing import Literal, TypeVar

from qualcode.i18n import N_, label_of, pgettext_noop
from qualcode.i18n.messages import Message

CoderKind = Literal["coder", "lead", "pseudo"]
Flag = TypeVar("Flag")  # a bool, or a numpy bool array with one entry per document

PARTICIPATION_RULE = N_(
    "a coder takes part in a document when they marked it done; a lead takes part only where they "
    "marked it done and coded in it, or when named with --coders; pseudo-coders (auto:*, consensus) "
    "take part only when named, wherever they have segments"
)


# A person's stored role as a reader sees it; the stored word ("coder", "lead") stays the key.
_ROLE_LABELS = {
    "coder": pgettext_noop("person's role", "coder"),
    "lead": pgettext_noop("person's role", "lead"),
}


def role_label(role: str) -> str:
    """A stored coder role in the interface language (an unknown stored role is shown as is)."""
    return label_of(_ROLE_LABELS, role, "person's role")


def coder_kind(role: str, pseudo: bool) -> CoderKind:
    """The participation class of a coder from the stored role and the pseudo-coder naming rule."""
    if pseudo:
        return "pseudo"
    return "lead" if role == "lead" else "coder"


def takes_part(kind: CoderKind, named: bool, done: Flag, coded: Flag) -> Flag:
    """Whether a coder's values count in a document (elementwise over arrays of documents).

    `named`: the coder was chosen explicitly (`--coders`, or `--include-pseudo` for pseudo-coders).
    `done`: the coder marked the document done. `coded`: the coder has a segment in it.
    A lead reviewing documents often marks them done without coding; counting such a lead as a
    coder who found nothing would turn every agreement of the real coders into a disagreement.
    """
    if kind == "pseudo":
        return coded if named else coded & False  # type: ignore[operator]
    if kind == "lead" and not named:
        return done & coded  # type: ignore[operator]
    return done


def reason_left_out(kind: CoderKind, named: bool, done: bool, coded: bool) -> str | None:
    """Why a coder does not take part in a document (None when they do), for listings and notes."""
    if takes_part(kind, named, done, coded):
        return None
    if kind == "pseudo":
        return Message("pseudo_coder_not_named") if not named else Message("no_segments_in_document")
    if not done:
        return Message("document_not_done")
    return Message("lead_did_not_code")

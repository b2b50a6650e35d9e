"""How a typology's stored words read in the interface language.

A typology result keeps short machine words — a case's basis (`rule`, `score_tie`), its flags
(`rules_tied:GOV_LED+ENT_LED`), the coding source (`consensus-else-union`), the aggregation
(`mean_of_role_means`), the special types (`UNCLASSIFIED`, `HYBRID:A+B`) — and the JSON keeps
them as they are. The CLI table and the TUI screen ask here for the words a person reads, so both
say the same thing. Type names come from the codebook through `core/code_names.names` (passed in
as `type_name`), never from here.
"""

from collections.abc import Callable

from qualcode.core.attributes import role_in
from qualcode.i18n import N_, _, current_language, join_list, label_of, pgettext, pgettext_noop

__all__ = ["aggregation_label", "basis_label", "case_unit_label", "flag_label", "source_label", "type_label"]

_BASES = {
    "rule": pgettext_noop("typology basis", "rule"),
    "score": pgettext_noop("typology basis", "score"),
    "score_tie": pgettext_noop("typology basis", "scores tied"),
    "fallback": pgettext_noop("typology basis", "fallback rule"),
    "none": pgettext_noop("typology basis", "none"),
    "insufficient_data": pgettext_noop("typology basis", "too little data"),
    "no_coding": pgettext_noop("typology basis", "not coded"),
}
_SOURCES = {
    "coder": N_("one coder"),
    "consensus": N_("consensus"),
    "union": N_("union"),
    "majority": N_("majority"),
    "consensus-else-union": N_("consensus, else union"),
}
_AGGREGATIONS = {
    "mean_of_role_means": N_("mean of the role means"),
    "mean_of_documents": N_("mean of the documents"),
    "pooled": N_("pooled"),
}
# Flags carrying a list after the colon ("rules_tied:A+B"); the list is of type ids or names.
_LIST_FLAGS = {
    "missing": N_("missing values: {items}"),
    "role_imbalance": N_("roles missing: {items}"),
    "rules_tied": N_("rules tied: {items}"),
    "insufficient_data": N_("too little data: {items}"),
    "fallbacks_tied": N_("fallback rules tied: {items}"),
}
_FLAGS = {
    "no_rule_fired": N_("no rule fired"),
    "near_hybrid": N_("near hybrid (small margin)"),
}


def basis_label(basis: str) -> str:
    """Why a case has its type (rule, score...), as a reader sees it."""
    return label_of(_BASES, basis, "typology basis")


def source_label(source: str) -> str:
    """A coding source's short name (`consensus-else-union` → "consensus, else union")."""
    return label_of(_SOURCES, source)


def aggregation_label(aggregation: str) -> str:
    """How a case's documents are combined, as a reader sees it."""
    return label_of(_AGGREGATIONS, aggregation)


def case_unit_label(case_unit: str) -> str:
    """What a case is: each document on its own, or the documents sharing an attribute (named
    by the attribute, as the project stores it)."""
    return pgettext("case unit", "document") if case_unit == "document" else case_unit


def type_label(type_id: str | None, type_name: Callable[[str], str]) -> str:
    """A case's type: the codebook's name through `type_name`, and the special results
    (unclassified, too little data, a hybrid of two types) in words."""
    if not type_id:
        return ""
    if type_id == "UNCLASSIFIED":
        return pgettext("typology result", "unclassified")
    if type_id == "INSUFFICIENT_DATA":
        return pgettext("typology result", "too little data")
    if type_id.startswith("HYBRID:"):
        first, _sep, second = type_id.removeprefix("HYBRID:").partition("+")
        return _("hybrid of {first} and {second}").format(first=type_name(first), second=type_name(second))
    return type_name(type_id)


def flag_label(flag: str, type_name: Callable[[str], str]) -> str:
    """One flag of a case in words; type ids inside it are named through `type_name`."""
    if flag in _FLAGS:
        return _(_FLAGS[flag])
    kind, sep, rest = flag.partition(":")
    if sep and kind in _LIST_FLAGS:
        items = rest.split("+")
        if kind in ("rules_tied", "fallbacks_tied"):
            items = [type_name(item) for item in items]
        elif kind == "role_imbalance":
            items = [role_in(item, current_language()) or item for item in items]
        return _(_LIST_FLAGS[kind]).format(items=join_list(items))
    return flag

"""Workbook column headings in the interface language: the one table of what each column key
is called.

A column's key ("short_definition", "coder:lin", "level_2") is what CSV files, data frames and
JSON use, in every language. The workbook's header row shows the heading in the interface
language: in English that is the key itself (as the CSV has it), in Chinese the translation,
with the key in the cell's note so a reader can find the column in the CSV. An English
workbook's notes give the Chinese headings, as before.
"""

from collections.abc import Sequence

from qualcode.i18n import CHINESE, current_language, pgettext_noop, translate_in
from qualcode.io.agreement_report import column_heading

_CONTEXT = "workbook column"
# The msgid is the key, so an English workbook's header row is the keys, exactly as in the CSV.
LABELS: dict[str, str] = {
    "key": pgettext_noop("workbook column", "key"),
    "parent": pgettext_noop("workbook column", "parent"),
    "level": pgettext_noop("workbook column", "level"),
    "depth": pgettext_noop("workbook column", "depth"),
    "name_en": pgettext_noop("workbook column", "name_en"),
    "name_zh": pgettext_noop("workbook column", "name_zh"),
    "short_definition": pgettext_noop("workbook column", "short_definition"),
    "short_definition_zh": pgettext_noop("workbook column", "short_definition_zh"),
    "definition": pgettext_noop("workbook column", "definition"),
    "definition_zh": pgettext_noop("workbook column", "definition_zh"),
    "inclusion": pgettext_noop("workbook column", "inclusion"),
    "inclusion_zh": pgettext_noop("workbook column", "inclusion_zh"),
    "exclusion": pgettext_noop("workbook column", "exclusion"),
    "exclusion_zh": pgettext_noop("workbook column", "exclusion_zh"),
    "example_en": pgettext_noop("workbook column", "example_en"),
    "example_zh": pgettext_noop("workbook column", "example_zh"),
    "color": pgettext_noop("workbook column", "color"),
    "codable": pgettext_noop("workbook column", "codable"),
    "retired": pgettext_noop("workbook column", "retired"),
    "document": pgettext_noop("workbook column", "document"),
    "case": pgettext_noop("workbook column", "case"),
    "role": pgettext_noop("workbook column", "role"),
    "role_title": pgettext_noop("workbook column", "role_title"),
    "characters": pgettext_noop("workbook column", "characters"),
    "respondent_characters": pgettext_noop("workbook column", "respondent_characters"),
    "units": pgettext_noop("workbook column", "units"),
    "segments": pgettext_noop("workbook column", "segments"),
    "segment_id": pgettext_noop("workbook column", "segment_id"),
    "question": pgettext_noop("workbook column", "question"),
    "speaker": pgettext_noop("workbook column", "speaker"),
    "coder": pgettext_noop("workbook column", "coder"),
    "code": pgettext_noop("workbook column", "code"),
    "dimension": pgettext_noop("workbook column", "dimension"),
    "start": pgettext_noop("workbook column", "start"),
    "end": pgettext_noop("workbook column", "end"),
    "length": pgettext_noop("workbook column", "length"),
    "text": pgettext_noop("workbook column", "text"),
    "memo": pgettext_noop("workbook column", "memo"),
    "total": pgettext_noop("workbook column", "total"),
    "section": pgettext_noop("workbook column", "section"),
    "item": pgettext_noop("workbook column", "item"),
    "value": pgettext_noop("workbook column", "value"),
    "explanation": pgettext_noop("workbook column", "explanation"),
    "documents": pgettext_noop("workbook column", "documents"),
    "roles": pgettext_noop("workbook column", "roles"),
    "missing_roles": pgettext_noop("workbook column", "missing_roles"),
    "respondent_chars": pgettext_noop("workbook column", "respondent_chars"),
    "type": pgettext_noop("workbook column", "type"),
    "type_name": pgettext_noop("workbook column", "type_name"),
    "lead_actor": pgettext_noop("workbook column", "lead_actor"),
    "dominant_dimension": pgettext_noop("workbook column", "dominant_dimension"),
    "rule": pgettext_noop("workbook column", "rule"),
    "score": pgettext_noop("workbook column", "score"),
    "fallback": pgettext_noop("workbook column", "fallback"),
    "description": pgettext_noop("workbook column", "description"),
    "basis": pgettext_noop("workbook column", "basis"),
    "source": pgettext_noop("workbook column", "source"),
    "reason": pgettext_noop("workbook column", "reason"),
    "margin": pgettext_noop("workbook column", "margin"),
    "flags": pgettext_noop("workbook column", "flags"),
    "cluster": pgettext_noop("workbook column", "cluster"),
    "cluster_stability": pgettext_noop("workbook column", "cluster_stability"),
    "agrees_with_cluster": pgettext_noop("workbook column", "agrees_with_cluster"),
    "analyst_override": pgettext_noop("workbook column", "analyst_override"),
    "row": pgettext_noop("workbook column", "row"),
    "statistic": pgettext_noop("workbook column", "statistic"),
    "n_cases": pgettext_noop("workbook column", "n_cases"),
    "cases": pgettext_noop("workbook column", "cases"),
    "reduces_to": pgettext_noop("workbook column", "reduces_to"),
    "defining_code": pgettext_noop("workbook column", "defining_code"),
    "rank": pgettext_noop("workbook column", "rank"),
    "line": pgettext_noop("workbook column", "line"),
    "coverage": pgettext_noop("workbook column", "coverage"),
    "k": pgettext_noop("workbook column", "k"),
}
# Keys made of a kind and a name: "coder:lin", "role:manager", "level_2", "score.GOV_LED".
PATTERNS: dict[str, str] = {
    "coder:": pgettext_noop("workbook column", "coder:{name}"),
    "role:": pgettext_noop("workbook column", "role:{name}"),
    "level_": pgettext_noop("workbook column", "level_{name}"),
    "raw.": pgettext_noop("workbook column", "raw.{name}"),
    "total.": pgettext_noop("workbook column", "total.{name}"),
    "coverage.": pgettext_noop("workbook column", "coverage.{name}"),
    "frequency.": pgettext_noop("workbook column", "frequency.{name}"),
    "score.": pgettext_noop("workbook column", "score.{name}"),
    "rule.": pgettext_noop("workbook column", "rule.{name}"),
    "fallback.": pgettext_noop("workbook column", "fallback.{name}"),
}


def heading(key: str, language: str | None = None) -> str:
    """The heading of the column `key` in `language` (default: the interface language); a key
    the table does not know (a document attribute, a code key) is its own heading."""
    language = language or current_language()
    if key in LABELS:
        return translate_in(language, LABELS[key], context=_CONTEXT)
    agreement = column_heading(key, language)  # the Agreement sheets' columns
    if agreement is not None:
        return agreement
    for prefix, pattern in PATTERNS.items():
        if key.startswith(prefix) and len(key) > len(prefix):
            return translate_in(language, pattern, context=_CONTEXT).format(name=key[len(prefix) :])
    return key


def headings(
    header: Sequence[str], notes: Sequence[str | None] | None = None
) -> tuple[list[str], list[str | None]]:
    """The header row to show and a note for each cell. In Chinese the note is the column's key;
    in English it is the Chinese heading. `notes` (e.g. a matrix's code names) fill in where the
    table knows no heading for a column."""
    chinese = current_language() == CHINESE
    shown: list[str] = []
    cell_notes: list[str | None] = []
    for i, key in enumerate(header):
        given = notes[i] if notes is not None and i < len(notes) else None
        label = heading(key)
        other = key if chinese else heading(key, CHINESE)
        shown.append(label)
        if other != label:
            cell_notes.append(other)
        elif given and given != label:
            cell_notes.append(given)
        else:
            cell_notes.append(None)
    return shown, cell_notes

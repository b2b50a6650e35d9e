"""What a case is: the document attribute that names it, and each document's respondent role.

Attributes are read through `core.attributes` (bilingual keys, the project's value aliases in
the setting `attribute_aliases`, role values mapped to the role vocabulary plus the setting
`role_aliases`), the same reading the workbench, retrieval and the workbook use.
"""

from dataclasses import dataclass, field

from qualcode.core.attributes import attribute_value, key_variants
from qualcode.core.errors import QualcodeError
from qualcode.i18n import _
from qualcode.services.analysis.data import AnalysisData
from qualcode.services.attributes import role_reading, value_aliases

DOCUMENT_UNIT = "document"


@dataclass
class CaseUnit:
    attribute: str | None  # None: every document is a case
    role_attribute: str | None
    case_of: dict[int, str]  # document id -> case
    role_of: dict[int, str | None]
    without_case: list[str]  # documents lacking the case attribute
    role_title_of: dict[int, str | None] = field(default_factory=dict)
    unmapped_roles: dict[str, list[str]] = field(default_factory=dict)  # raw value -> documents


def _present(data: AnalysisData, key: str) -> bool:
    variants = set(key_variants(key)) | {key.casefold()}
    return any(k.casefold() in variants for k in data.attribute_keys())


def resolve_case_unit(
    data: AnalysisData,
    spec_case: str | None,
    spec_role: str | None,
    case_attribute: str | None,
    role_attribute: str | None,
) -> CaseUnit:
    """The case unit from the explicit choice, the project setting, then the typology's own."""
    keys = data.attribute_keys()
    wanted = case_attribute or data.settings.get("case_attribute") or spec_case
    attribute = wanted if wanted and wanted != DOCUMENT_UNIT else None
    if attribute is not None and not _present(data, attribute):
        raise QualcodeError(
            _(
                "no document has the attribute {attribute!r} to define cases (attributes: {value}; or use 'document' to make every document a case)"
            ).format(attribute=attribute, value=', '.join(keys) or 'none')
        )
    role_attr = role_attribute or data.settings.get("role_attribute") or spec_role
    if role_attr and not _present(data, role_attr):
        raise QualcodeError(
            _("no document has the role attribute {role_attr!r} (attributes: {value})").format(
                role_attr=role_attr, value=', '.join(keys) or 'none'
            )
        )
    if not role_attr and _present(data, "Role"):
        role_attr = "Role"
    aliases = value_aliases(data.settings)
    case_of: dict[int, str] = {}
    without: list[str] = []
    role_of: dict[int, str | None] = {}
    title_of: dict[int, str | None] = {}
    unmapped: dict[str, list[str]] = {}
    for doc_id, (name, _text) in data.documents.items():
        attrs = data.attributes.get(doc_id, {})
        reading = role_reading(attrs, data.settings, role_attr) if role_attr else None
        role_of[doc_id] = reading.role if reading else None
        title_of[doc_id] = reading.title if reading else None
        if reading is not None and not reading.mapped:
            unmapped.setdefault(reading.raw, []).append(name)
        if attribute is None:
            case_of[doc_id] = name
            continue
        value = attribute_value(attrs, attribute, aliases)
        if value is None:
            without.append(name)
        else:
            case_of[doc_id] = value
    return CaseUnit(attribute, role_attr, case_of, role_of, without, title_of, unmapped)

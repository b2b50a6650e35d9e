"""What a case is: the document attribute that names it, and each document's respondent role.

Transcripts in two languages carry the same header in two languages (`Consortium` /
`联合体`, `Role` / `身份`, `government official` / `政府官员`), so an attribute is found
under its name, its case-folded name or its equivalent in the other language, and the
usual role names are mapped to one English label. A project can add its own role
equivalents in the setting `role_aliases` ({"其他写法": "canonical role"}).
"""

from dataclasses import dataclass

from qualcode.core.errors import QualcodeError
from qualcode.services.analysis.data import AnalysisData

DOCUMENT_UNIT = "document"

# Used when the transcript importer's table (core/transcript.py) is not available.
_KEY_ALIASES: tuple[frozenset[str], ...] = (
    frozenset({"case", "案例", "个案"}),
    frozenset({"consortium", "联合体"}),
    frozenset({"city", "城市"}),
    frozenset({"role", "身份", "角色"}),
)
ROLE_ALIASES: dict[str, str] = {
    "政府官员": "government official",
    "政府": "government official",
    "院校领导": "college leader",
    "学校领导": "college leader",
    "高校领导": "college leader",
    "企业高管": "corporate executive",
    "企业": "corporate executive",
    "科研专家": "research expert",
    "研究专家": "research expert",
    "专家": "research expert",
}


@dataclass
class CaseUnit:
    attribute: str | None  # None: every document is a case
    role_attribute: str | None
    case_of: dict[int, str]  # document id -> case
    role_of: dict[int, str | None]
    without_case: list[str]  # documents lacking the case attribute


def key_variants(key: str) -> list[str]:
    """`key` case-folded, then its equivalents in the other language."""
    try:
        from qualcode.core.transcript import header_key_variants  # type: ignore[import-not-found, unused-ignore]

        return list(header_key_variants(key))
    except ImportError:
        folded = key.casefold()
        return [folded] + sorted(next((g - {folded} for g in _KEY_ALIASES if folded in g), set()))


def attribute_value(attrs: dict[str, str | None], key: str) -> str | None:
    """The value of `key` (or an equivalent key) in one document's attributes."""
    if attrs.get(key) not in (None, ""):
        return attrs[key]
    folded = {k.casefold(): v for k, v in attrs.items() if v not in (None, "")}
    for variant in key_variants(key):
        if variant in folded:
            return folded[variant]
    return None


def _present(data: AnalysisData, key: str) -> bool:
    variants = set(key_variants(key)) | {key.casefold()}
    return any(k.casefold() in variants for k in data.attribute_keys())


def canonical_role(value: str | None, extra: dict[str, str] | None = None) -> str | None:
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    table = {**ROLE_ALIASES, **(extra or {})}
    return table.get(text, table.get(text.casefold(), text))


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
            f"no document has the attribute {attribute!r} to define cases "
            f"(attributes: {', '.join(keys) or 'none'}; or use 'document' to make every document a case)"
        )
    role_attr = role_attribute or data.settings.get("role_attribute") or spec_role
    if role_attr and not _present(data, role_attr):
        raise QualcodeError(
            f"no document has the role attribute {role_attr!r} (attributes: {', '.join(keys) or 'none'})"
        )
    if not role_attr and _present(data, "Role"):
        role_attr = "Role"
    extra = data.settings.get("role_aliases") if isinstance(data.settings.get("role_aliases"), dict) else None
    case_of: dict[int, str] = {}
    without: list[str] = []
    role_of: dict[int, str | None] = {}
    for doc_id, (name, _text) in data.documents.items():
        attrs = data.attributes.get(doc_id, {})
        role_of[doc_id] = canonical_role(attribute_value(attrs, role_attr), extra) if role_attr else None
        if attribute is None:
            case_of[doc_id] = name
            continue
        value = attribute_value(attrs, attribute)
        if value is None or not str(value).strip():
            without.append(name)
        else:
            case_of[doc_id] = str(value).strip()
    return CaseUnit(attribute, role_attr, case_of, role_of, without)

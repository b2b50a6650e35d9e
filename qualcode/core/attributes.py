"""Document attributes read one way everywhere: bilingual header keys, value aliases, roles.

Transcripts of one project come in two languages, so the same header key appears as `Role` or
`身份`, the same case as `Qingshan City` or `青山市`, and a role as `Government official (deputy
director, ...)` or `院校领导（某职业学院副院长）`. The importer, the workbench, retrieval, the case
unit of the typology and the workbook all read attributes through this module, so they cannot
disagree about a document's case or role.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

# English and Chinese header keys that mean the same thing, so that one setting such as
# case_attribute = "Consortium" also reads 联合体 in the Chinese transcripts.
KEY_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group)
    for group in (
        ("case", "案例", "个案", "個案"),
        ("city", "城市"),
        ("role", "身份", "角色", "respondent_role"),
        ("date", "日期"),
        ("interviewer", "访谈者", "访谈人", "訪談者", "訪談人"),
        ("consortium", "联合体", "聯合體"),
        ("language", "语言", "語言"),
    )
)
ROLE_KEY = "Role"
ROLE_TITLE_KEY = "role_title"

# The respondent groups of the research design (government officials, college leaders,
# corporate executives, research experts) with the usual ways of writing them in either language.
# Matching is on the leading term of a header value; a project adds its own in the setting
# `role_aliases` ({"其他写法": "canonical role"}) or with `qualcode attributes alias`.
ROLE_VOCABULARY: dict[str, tuple[str, ...]] = {
    "government official": (
        "government official",
        "government officer",
        "government",
        "official",
        "civil servant",
        "政府官员",
        "政府",
        "政府部门",
        "政府人员",
        "政府干部",
        "官员",
        "公务员",
    ),
    "college leader": (
        "college leader",
        "university leader",
        "school leader",
        "college leadership",
        "vocational college leader",
        "院校领导",
        "学校领导",
        "高校领导",
        "职业院校领导",
        "学院领导",
        "校领导",
        "院校",
        "高校",
    ),
    "corporate executive": (
        "corporate executive",
        "company executive",
        "enterprise executive",
        "business executive",
        "executive",
        "企业高管",
        "企业管理者",
        "企业负责人",
        "企业代表",
        "企业",
    ),
    "research expert": (
        "research expert",
        "research institute expert",
        "expert",
        "researcher",
        "scholar",
        "科研专家",
        "研究专家",
        "研究机构专家",
        "科研人员",
        "研究人员",
        "专家",
    ),
}

# Where a role value's leading term ends and the title begins.
_TITLE_START = re.compile(r"[（(\[【,，;；:：、/|]|\s[-–—]\s?")
_CJK = re.compile(r"[\u3400-\u9fff]")


def key_variants(key: str) -> list[str]:
    """`key` case-folded, followed by its equivalents in the other language."""
    folded = key.casefold()
    variants = [folded]
    for group in KEY_GROUPS:
        if folded in group:
            variants += sorted(group - {folded})
    return variants


def same_key(a: str, b: str) -> bool:
    """Whether two attribute keys name the same attribute (case and language aside)."""
    return b.casefold() in key_variants(a)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def alias_value(aliases: Mapping[str, Mapping[str, str]] | None, key: str, value: str) -> str:
    """`value` of attribute `key` after the project's value aliases (e.g. 青山市 -> Qingshan City)."""
    if not aliases:
        return value
    wanted = _fold(value)
    for alias_key, table in aliases.items():
        if not same_key(key, alias_key) or not isinstance(table, Mapping):
            continue
        for raw, canonical in table.items():
            if _fold(raw) == wanted:
                return str(canonical)
    return value


def attribute_value(
    attrs: Mapping[str, str | None],
    key: str,
    aliases: Mapping[str, Mapping[str, str]] | None = None,
) -> str | None:
    """The value of `key` (or an equivalent key) in one document's attributes.

    Blank values count as absent, and an exact key wins over its equivalents, so every caller
    gets the same answer for a document with both `Role: ` and `身份: 政府官员`.
    """
    value = attrs.get(key)
    if value is None or not str(value).strip():
        folded = {k.casefold(): v for k, v in attrs.items() if v is not None and str(v).strip()}
        value = next((folded[v] for v in key_variants(key) if v in folded), None)
    if value is None:
        return None
    return alias_value(aliases, key, str(value).strip())


@dataclass(frozen=True)
class RoleReading:
    """A role header value read against the role vocabulary."""

    raw: str
    role: str  # the canonical role, or the leading term when nothing matched
    title: str | None  # the rest of the value, e.g. 某职业学院副院长
    mapped: bool


def _role_table(extra: Mapping[str, str] | None) -> dict[str, str]:
    return _role_table_for(tuple((str(alias), str(role)) for alias, role in (extra or {}).items()))


@lru_cache(maxsize=16)
def _role_table_for(extra: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The lookup table of role aliases (built once per set of project aliases; read only)."""
    table = {_fold(alias): role for role, aliases in ROLE_VOCABULARY.items() for alias in aliases}
    table.update({_fold(role): role for role in ROLE_VOCABULARY})
    for alias, role in extra:
        table[_fold(alias)] = role
        table.setdefault(_fold(role), role)
    return table


def _singular(term: str) -> str:
    return term[:-1] if term.endswith("s") and not term.endswith("ss") else term


def read_role(value: str, extra: Mapping[str, str] | None = None) -> RoleReading:
    """Canonical role and title from a header value such as `院校领导（某职业学院副院长）`.

    The leading term (before a bracket, comma, colon, dash or slash) is looked up in the
    vocabulary plus `extra`; failing that, the longest Chinese alias or several-word English alias
    the value starts with. A single English word only matches as the whole leading term, so
    `Executive director of the secretariat` is not read as a corporate executive.
    """
    raw = " ".join(str(value).split())
    table = _role_table(extra)
    cut = _TITLE_START.search(raw)
    lead = (raw[: cut.start()] if cut else raw).strip()
    rest = raw[cut.start() :].strip(" （()）[]【】,，;；:：、/|-–—") if cut else ""
    for term in (_fold(raw), _fold(lead), _singular(_fold(lead))):
        if term in table:
            return RoleReading(raw, table[term], rest or None if term != _fold(raw) else None, True)
    folded = _fold(raw)
    best = ""
    for alias in table:
        if len(alias) <= len(best) or not folded.startswith(alias):
            continue
        if _CJK.search(alias):
            best = alias if len(alias) >= 2 else best
        elif " " in alias and (len(folded) == len(alias) or not folded[len(alias)].isalnum()):
            best = alias
    if best:
        rest = raw[len(best) :].strip(" （()）[]【】,，;；:：、/|-–—")
        return RoleReading(raw, table[best], rest or None, True)
    return RoleReading(raw, lead or raw, rest or None, False)


def document_role(
    attrs: Mapping[str, str | None],
    aliases: Mapping[str, Mapping[str, str]] | None = None,
    role_aliases: Mapping[str, str] | None = None,
    key: str = ROLE_KEY,
) -> RoleReading | None:
    """A document's role read against the role vocabulary (None without a role value)."""
    value = attribute_value(attrs, key, aliases)
    return read_role(value, role_aliases) if value is not None else None


# One word per role for narrow panes (the documents list); reports use the full role.
ROLE_SHORT = {
    "government official": "gov",
    "college leader": "college",
    "corporate executive": "business",
    "research expert": "research",
}


def short_role(role: str | None, width: int = 8) -> str:
    """The role in one word where the vocabulary has one, else cut to `width` characters."""
    if not role:
        return ""
    short = ROLE_SHORT.get(role, role)
    return short if len(short) <= width else short[: width - 1] + "…"


def role_in(role: str | None, language: str) -> str | None:
    """A canonical role as a reader of `language` writes it: in Chinese the vocabulary's first
    Chinese term (政府官员 for government official); other values as stored."""
    if not role or not language.startswith("zh"):
        return role
    terms = ROLE_VOCABULARY.get(role, ())
    return next((term for term in terms if _CJK.search(term)), role)

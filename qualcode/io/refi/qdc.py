"""REFI-QDA codebook exchange (.qdc): write ours, read other tools'.

A .qdc has nested <Code guid name isCodable color> elements with an optional
<Description>. REFI-QDA has no field for our key, Chinese name, definitions or
examples, so they go into the Description as labelled lines ("Key: TAL.PROG"),
each Chinese text after its English one ("Definition (zh): ...").
Reading a .qdc written by qualcode recovers them; a .qdc from another tool gets
keys generated from the code names, and a report lists everything that was dropped.
Parsing goes through defusedxml: entity expansion and external references are refused.
"""

import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from qualcode.core.codebook import (
    COLOR_RE,
    MAX_DEPTH,
    TEXT_FIELDS,
    Codebook,
    CodeNode,
    check_key,
    depth_problem,
)
from qualcode.core.errors import ValidationError
from qualcode.i18n import _

NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
SCHEMA_LOCATION = "http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
GUID_RE = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")
# The labels are part of the file format (docs/codebook.md), so they are never translated. The
# English texts keep their round-1 labels; each Chinese text follows its English one with "(zh)".
LABELS = (
    ("Key", "key"),
    ("Name (en)", "name_en"),
    ("Name (zh)", "name_zh"),
    ("Short definition", "short_definition"),
    ("Short definition (zh)", "short_definition_zh"),
    ("Definition", "definition"),
    ("Definition (zh)", "definition_zh"),
    ("When to use", "inclusion"),
    ("When to use (zh)", "inclusion_zh"),
    ("When not to use", "exclusion"),
    ("When not to use (zh)", "exclusion_zh"),
    ("Example (en)", "example_en"),
    ("Example (zh)", "example_zh"),
    ("Status", "status"),
)
LABEL_RE = re.compile(r"^(" + "|".join(re.escape(label) for label, _unused in LABELS) + r"): ?(.*)$")
CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_BYTES = 50_000_000


def stable_guid(book_id: str, key: str) -> str:
    """A GUID derived from the codebook id and key, for codes that have none stored."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"qualcode:{book_id}:{key}"))


# ---------------------------------------------------------------- writing


def codebook_to_qdc(book: Codebook, origin: str = "qualcode") -> bytes:
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}CodeBook", {"origin": origin})
    codes = ET.SubElement(root, f"{{{NS}}}Codes")

    def add(parent: ET.Element, node: CodeNode) -> None:
        attrs = {
            "guid": node.guid or stable_guid(book.id, node.key),
            "name": node.name_en or node.name_zh or node.key,
            "isCodable": "true" if node.codable and not node.retired else "false",
        }
        if node.color:
            attrs["color"] = node.color
        element = ET.SubElement(parent, f"{{{NS}}}Code", attrs)
        ET.SubElement(element, f"{{{NS}}}Description").text = _description(node)
        for child in book.children(node.key):
            add(element, child)

    roots = book.roots()
    if not roots:
        raise ValidationError(_("the codebook has no codes to export (REFI-QDA needs at least one)"))
    for node in roots:
        add(codes, node)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _description(node: CodeNode) -> str:
    values = {
        "key": node.key,
        "name_en": node.name_en,
        "name_zh": node.name_zh,
        **{name: getattr(node, name) for name in TEXT_FIELDS},
        "status": "retired" if node.retired else None,
    }
    lines = [f"{label}: {value.strip()}" for label, name in LABELS if (value := values.get(name))]
    return "\n".join(lines)


# ---------------------------------------------------------------- reading


@dataclass
class QdcImport:
    book: Codebook
    dropped: list[str] = field(default_factory=list)  # what could not be carried over, in plain words
    generated_keys: int = 0


def read_qdc(data: bytes, book_id: str) -> QdcImport:
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("the file is larger than {value} MB; is it really a codebook?").format(
                value=MAX_BYTES // 1_000_000
            )
        )
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ValidationError(
            _(
                "the file declares a DTD or XML entities, which are refused for safety; a REFI-QDA codebook needs neither"
            )
        ) from None
    except ET.ParseError as exc:
        line, column = exc.position
        raise ValidationError(
            _("not valid XML at line {line}, column {value}: {split}").format(
                line=line, value=column + 1, split=str(exc).split(':')[0]
            )
        ) from None
    namespace, _unused, tag = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if tag == "Project" and namespace == PROJECT_NS:
        codebook = root.find(f"{{{PROJECT_NS}}}CodeBook")
        if codebook is None:
            raise ValidationError(_("the REFI-QDA project has no CodeBook"))
        root, namespace = codebook, PROJECT_NS
    elif tag != "CodeBook" or namespace != NS:
        raise ValidationError(
            _(
                "not a REFI-QDA codebook: the root element is <{tag}> in namespace {value!r}, expected <CodeBook> in {NS!r}"
            ).format(tag=tag, value=namespace or '(none)', NS=NS)
        )
    result = QdcImport(
        Codebook(id=book_id, title_en=root.get("origin", "") and f"Imported from {root.get('origin')}")
    )
    codes = root.find(f"{{{namespace}}}Codes")
    if codes is None or not len(codes):
        raise ValidationError(_("the codebook has no <Codes>; nothing to import"))
    sets = root.find(f"{{{namespace}}}Sets")
    if sets is not None and len(sets):
        result.dropped.append(
            _("{count} code set(s) (<Sets>): qualcode has no code sets").format(count=len(sets))
        )
    reader = _Reader(namespace, result)
    for element in codes:
        reader.code(element, None, 0)
    problems = result.book.validate()
    if problems:
        raise ValidationError(
            _("the imported codebook is not valid: {message}").format(message=problems[0].message)
        )
    return result


@dataclass
class _Reader:
    ns: str
    result: QdcImport
    guids: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)

    def code(self, element: ET.Element, parent: str | None, depth: int) -> None:
        if element.tag != f"{{{self.ns}}}Code":
            self.result.dropped.append(
                _("an unexpected <{element}> element").format(element=element.tag.split("}")[-1])
            )
            return
        if depth >= MAX_DEPTH:
            raise ValidationError(depth_problem().message)
        name = (element.get("name") or "").strip()
        fields = _parse_description(element.findtext(f"{{{self.ns}}}Description") or "")
        label = name or fields.get("key") or _("(unnamed)")
        if not name:
            self.result.dropped.append(_("a code without a name was named {label!r}").format(label=label))
        for attr in sorted(set(element.attrib) - {"guid", "name", "isCodable", "color"}):
            self.result.dropped.append(_("code {label!r}: attribute {attr!r}").format(label=label, attr=attr))
        notes = element.findall(f"{{{self.ns}}}NoteRef")
        if notes:
            self.result.dropped.append(
                _("code {label!r}: {count} note reference(s)").format(label=label, count=len(notes))
            )
        key = self._key(fields.get("key"), name, parent)
        node = CodeNode(key=key, parent=parent)
        node.guid = self._guid(element.get("guid"), label)
        if "name_en" in fields or "name_zh" in fields:  # written by qualcode
            node.name_en, node.name_zh = fields.get("name_en", ""), fields.get("name_zh", "")
        elif CJK_RE.search(name):
            node.name_zh = name
        else:
            node.name_en = name
        if not node.name_en and not node.name_zh:
            node.name_en = key
        for attr in TEXT_FIELDS:
            setattr(node, attr, fields.get(attr) or None)
        node.retired = fields.get("status") == "retired"
        codable = (element.get("isCodable") or "true").strip().lower()
        node.codable = codable in ("true", "1") or node.retired
        node.color = self._color(element.get("color"), label)
        children = element.findall(f"{{{self.ns}}}Code")
        node.level = "dimension" if parent is None else ("category" if children else "code")
        self.result.book.nodes.append(node)
        for child in children:
            self.code(child, key, depth + 1)

    def _key(self, stated: str | None, name: str, parent: str | None) -> str:
        if stated and check_key(stated) is None and stated not in self.keys:
            self.keys.add(stated)
            return stated
        self.result.generated_keys += 1
        base = _slug(name) or f"C{self.result.generated_keys}"
        key = f"{parent}.{base}" if parent else base
        if len(key) > 90:  # deep trees: keys need not spell out the whole path
            key = f"C{self.result.generated_keys}"
        candidate, n = key, 2
        while candidate in self.keys:
            candidate = f"{key}_{n}"
            n += 1
        self.keys.add(candidate)
        return candidate

    def _guid(self, guid: str | None, label: str) -> str:
        if guid and GUID_RE.match(guid.strip()):
            clean = guid.strip().strip("{}").lower()
            if clean not in self.guids:
                self.guids.add(clean)
                return clean
            self.result.dropped.append(
                _("code {label!r}: duplicate GUID {guid} (a new one was made)").format(label=label, guid=guid)
            )
        else:
            self.result.dropped.append(
                _("code {label!r}: missing or malformed GUID {guid!r} (a new one was made)").format(
                    label=label, guid=guid
                )
            )
        fresh = str(uuid.uuid4())
        self.guids.add(fresh)
        return fresh

    def _color(self, color: str | None, label: str) -> str | None:
        if color is None:
            return None
        color = color.strip()
        if re.fullmatch(r"#[0-9A-Fa-f]{3}", color):
            color = "#" + "".join(c * 2 for c in color[1:])
        if COLOR_RE.match(color):
            return color.upper()
        self.result.dropped.append(
            _("code {label!r}: colour {color!r} is not #RRGGBB").format(label=label, color=color)
        )
        return None


def _parse_description(text: str) -> dict[str, str]:
    """Labelled lines (ours) become fields; any other text becomes the definition."""
    names = dict(LABELS)
    fields: dict[str, str] = {}
    loose: list[str] = []
    current: str | None = None
    for line in text.replace("\r\n", "\n").split("\n"):
        match = LABEL_RE.match(line)
        if match:
            current = names[match.group(1)]
            fields[current] = match.group(2)
        elif current is not None:
            fields[current] += "\n" + line
        else:
            loose.append(line)
    free = "\n".join(loose).strip()
    if free:
        fields["definition"] = free + ("\n" + fields["definition"] if fields.get("definition") else "")
    return {k: v.strip() for k, v in fields.items()}


def _slug(name: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_text)
    slug = "_".join(words).upper()[:24].rstrip("_")
    if slug and not slug[0].isalpha():
        slug = "C" + slug
    return slug

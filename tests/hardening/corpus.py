"""Generators for the bad-input corpus: every input is built here, none is stored as a blob.

Each function writes one hostile input under a folder and returns its path (or returns the
hostile string itself). They are small on disk on purpose: the bombs are small archives that
inflate to much more, so the corpus stays cheap enough for CI.
"""

import uuid
import zipfile
from pathlib import Path

# ---------------------------------------------------------------- hostile names and text

# Each one is something a terminal obeys or a reader cannot see.
HOSTILE_NAMES = {
    "osc52-clipboard": "mallory\x1b]52;c;cm0gLXJmIH4K\x07",
    "clear-screen": "eve\x1b[2J\x1b[H",
    "newline-forged-row": "bob\nadmin   lead",
    "bell": "ding\x07",
    "delete": "del\x7f",
    "c1-csi": "csi\x9b31m",
    "right-to-left-override": "alice\u202etxt.exe",
    "zero-width-space": "ali\u200bce",
    "bidi-isolate": "x\u2066y\u2069",
    "nul": "nul\x00byte",
    "line-separator": "two\u2028lines",
}
SQL_INJECTION = ["x' OR '1'='1", "'; DROP TABLE coder; --", 'a" OR 1=1 --', "\\'; DELETE FROM segment; --"]
NFC_NAME, NFD_NAME = "Zoë 张", "Zoe\u0308 张"


def codebook_yaml(folder: Path, name: str, *, name_en: str = "Talent", extra: str = "") -> Path:
    """A one-dimension YAML codebook whose code name (or an extra line) carries the attack."""
    path = folder / name
    path.write_text(
        "codebook:\n  id: hostile\n  version: '1'\n  title_en: Hostile\n"
        f"codes:\n  - key: TAL\n    name_en: {name_en}\n    name_zh: 人才\n{extra}",
        encoding="utf-8",
    )
    return path


def codebook_yaml_raw(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def yaml_escaped(value: str) -> str:
    """A YAML double-quoted scalar holding any characters (YAML escapes for controls)."""
    out = []
    for char in value:
        code = ord(char)
        if char == '"' or char == "\\":
            out.append("\\" + char)
        elif code < 0x20 or code == 0x7F or 0x80 <= code <= 0x9F or 0x2028 <= code <= 0x2029:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# ---------------------------------------------------------------- deep structures


def deep_yaml_codebook(folder: Path, depth: int) -> Path:
    """A codebook whose codes form one `parent:` chain `depth` long (flat list, no nesting)."""
    lines = ["codebook:\n  id: deep\n  version: '1'\n  title_en: Deep\ncodes:\n"]
    lines.append("  - key: D0\n    name_en: level 0\n")
    for i in range(1, depth):
        lines.append(f"  - key: D{i}\n    name_en: level {i}\n    parent: D{i - 1}\n")
    path = folder / f"deep-{depth}.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def deep_qdc(folder: Path, depth: int) -> Path:
    """A REFI-QDA codebook (.qdc) with `depth` codes nested inside each other."""
    opening = "".join(
        f'<Code guid="{uuid.UUID(int=i + 1)}" name="c{i}" isCodable="true">' for i in range(depth)
    )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        + opening
        + "</Code>" * depth
        + "</Codes></CodeBook>"
    )
    path = folder / f"deep-{depth}.qdc"
    path.write_text(xml, encoding="utf-8")
    return path


# ---------------------------------------------------------------- REFI-QDA archives


def qde(
    *,
    users: list[tuple[str, str]] = (),  # type: ignore[assignment]
    codes: list[tuple[str, str]] = (),  # type: ignore[assignment]
    sources: list[tuple[str, str, str]] = (),  # type: ignore[assignment]  (guid, name, selections xml)
    prolog: str = "",
) -> str:
    user_xml = "".join(f'<User guid="{g}" name="{n}"/>' for g, n in users)
    code_xml = "".join(f'<Code guid="{g}" name="{n}" isCodable="true"/>' for g, n in codes)
    source_xml = "".join(
        f'<TextSource guid="{g}" name="{n}" plainTextPath="internal://{g}.txt">{sel}</TextSource>'
        for g, n, sel in sources
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="hostile" origin="corpus">'
        + (f"<Users>{user_xml}</Users>" if users else "")
        + (f"<CodeBook><Codes>{code_xml}</Codes></CodeBook>" if codes else "")
        + (f"<Sources>{source_xml}</Sources>" if sources else "")
        + "</Project>"
    )


def selection(guid: str, start: int, end: int, user: str, code: str) -> str:
    return (
        f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}" creatingUser="{user}">'
        f'<Coding guid="{uuid.uuid4()}" creatingUser="{user}"><CodeRef targetGUID="{code}"/></Coding>'
        "</PlainTextSelection>"
    )


def qdpx(folder: Path, name: str, project_xml: str, texts: dict[str, str] | None = None) -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", project_xml)
        for guid, text in (texts or {}).items():
            z.writestr(f"sources/{guid}.txt", text)
    return path


def xml_attr(value: str) -> str:
    """An XML attribute value with control characters as character references."""
    return "".join(f"&#{ord(c)};" if ord(c) < 0x20 or c in '"<&' else c for c in value)


def billion_laughs() -> str:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    return f"<!DOCTYPE Project [{entities}]>"


def zip_slip(folder: Path) -> Path:
    guid = str(uuid.uuid4())
    path = folder / "slip.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", qde(sources=[(guid, "d", "")]))
        z.writestr(f"sources/{guid}.txt", "text")
        z.writestr("../../escaped.txt", "owned")
    return path


# ---------------------------------------------------------------- zip bombs


def docx_bomb(folder: Path, inflated_mb: int) -> Path:
    """A .docx a few KB on disk whose document.xml inflates to `inflated_mb` MB of text."""
    paragraph = "<w:p><w:r><w:t>" + "产教" * 2000 + "</w:t></w:r></w:p>"
    count = inflated_mb * 1024 * 1024 // len(paragraph.encode("utf-8")) + 1
    body = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + paragraph * count
        + "</w:body></w:document>"
    )
    path = folder / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        z.writestr("word/document.xml", body)
    return path


def xlsx_with(folder: Path, name: str, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    path = folder / name
    book.save(path)
    return path


def xlsx_bomb(folder: Path, inflated_mb: int) -> Path:
    """An .xlsx whose shared-strings part inflates to `inflated_mb` MB (one enormous cell)."""
    base = xlsx_with(folder, "base.xlsx", [["document", "question", "answer"], ["d1", "Q1", "SMALL"]])
    path = folder / "bomb.xlsx"
    big = "答" * (inflated_mb * 1024 * 1024 // 3)
    with (
        zipfile.ZipFile(base) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"SMALL", big.encode("utf-8"))
            dst.writestr(info.filename, data)
    return path


# ---------------------------------------------------------------- wrong text


def mixed_encodings(folder: Path) -> Path:
    path = folder / "mixed.txt"
    path.write_bytes(
        "问：产教联合体如何运作？\n".encode()
        + "答：我们与企业共建实训基地。\n".encode("gb18030")
        + b"\x81\xff\xfe\x80 stray\n"
    )
    return path


def ascii_with_stray_byte(folder: Path) -> Path:
    path = folder / "stray.txt"
    path.write_bytes(b"Q: How does the consortium share labs?\nA: Jointly with firms\x9d and colleges.\n" * 3)
    return path


def csv_unterminated_quote(folder: Path) -> Path:
    path = folder / "answers.csv"
    path.write_text(
        'document,question,answer\nd1,Q1,"an answer that never closes\nd1,Q2,the next row\nd1,Q3,third\n',
        encoding="utf-8",
    )
    return path


def xlsx_formula_without_cache(folder: Path) -> Path:
    return xlsx_with(folder, "formula.xlsx", [["document", "question", "answer"], ["d1", "Q1", "=1+1"]])


def not_utf8_project_file(project: Path) -> None:
    (project / "qualcode-project.toml").write_bytes(b'db = "\xff\xfe\xfa"\n')
